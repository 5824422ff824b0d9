using System.Globalization;
using System.Text.Json.Nodes;
using MentorFlow.Graph.Model;
using static MentorFlow.Graph.Sandbox.SandboxJson;

namespace MentorFlow.Graph.Sandbox;

/// <summary>The routes below <c>/v1.0/users/{mailbox}</c> and the calendar handlers.</summary>
public sealed partial class GraphSandbox
{
    /// <summary>How often an update is retried when another writer changed the event in between.</summary>
    private const int MaxUpdateAttempts = 5;

    private Task<SandboxResponse> RouteAsync(SandboxRequest request, string mailbox, string[] rest, CancellationToken cancellationToken)
    {
        var method = request.Method.ToUpperInvariant();
        return (method, rest) switch
        {
            ("POST", [var events]) when Is(events, "events") => CreateEventAsync(request, mailbox, cancellationToken),
            ("GET", [var events]) when Is(events, "events") => ListEventsAsync(request, mailbox, cancellationToken),
            ("GET", [var view]) when Is(view, "calendarView") => CalendarViewAsync(request, mailbox, cancellationToken),
            ("GET", [var events, var id]) when Is(events, "events") => GetEventAsync(request, mailbox, id, cancellationToken),
            ("PATCH", [var events, var id]) when Is(events, "events") => UpdateEventAsync(request, mailbox, id, cancellationToken),
            ("DELETE", [var events, var id]) when Is(events, "events") => DeleteEventAsync(request, mailbox, id, cancellationToken),
            ("POST", [var events, var id, var cancel]) when Is(events, "events") && Is(cancel, "cancel") => CancelEventAsync(request, mailbox, id, cancellationToken),
            ("POST", [var send]) when Is(send, "sendMail") => SendMailAsync(request, mailbox, cancellationToken),
            ("GET", [var folders, var folder, var messages]) when Is(folders, "mailFolders") && Is(folder, "sentitems") && Is(messages, "messages")
                => ListSentItemsAsync(request, mailbox, cancellationToken),
            _ => Task.FromResult(Error(request, 400, "BadRequest", $"Resource not found for the segment '{rest[^1]}'.")),
        };
    }

    private async Task<SandboxResponse> CreateEventAsync(SandboxRequest request, string mailbox, CancellationToken cancellationToken)
    {
        if (ParseObject(request) is not { } body)
        {
            return Error(request, 400, "BadRequest", UnreadableBody(request));
        }

        var now = clock.GetUtcNow();
        var created = new SandboxEvent
        {
            Id = NewId("AAMkAGSbx"),
            ICalUId = "040000008200E00074C5B7101A82E008" + Guid.NewGuid().ToString("N").ToUpperInvariant(),
            Mailbox = mailbox,
            CreatedAt = now,
            LastModifiedAt = now,
            TransactionId = Text(body, "transactionId"),
        };
        if (created.TransactionId is { Length: > 200 })
        {
            return Error(request, 400, "ErrorPropertyValidationFailure", "At least one property failed validation. 'transactionId' is longer than 200 characters.");
        }

        if (ApplyEvent(created, body, creating: true) is { } invalid)
        {
            return Error(request, invalid);
        }

        if (!await Store.TryAddEventAsync(created, cancellationToken))
        {
            Interlocked.Increment(ref _duplicateTransactions);
            return Error(request, 400, "ErrorDuplicateTransactionId",
                "Your request can't be completed. The TransactionId specified in the request has already been used to create a different event.");
        }

        return Json(201, EventJson(created, mailbox));
    }

    private Task<SandboxResponse> UpdateEventAsync(SandboxRequest request, string mailbox, string id, CancellationToken cancellationToken)
    {
        if (ParseObject(request) is not { } body)
        {
            return Task.FromResult(Error(request, 400, "BadRequest", UnreadableBody(request)));
        }

        return ChangeEventAsync(request, mailbox, id, existing =>
        {
            if (Text(body, "transactionId") is { } transactionId && transactionId != existing.TransactionId)
            {
                return new SandboxProblem(400, "ErrorInvalidPropertyUpdate", "The property 'TransactionId' can't be changed once set.");
            }

            return ApplyEvent(existing, body, creating: false);
        }, changed => Json(200, EventJson(changed, mailbox)), cancellationToken);
    }

    private Task<SandboxResponse> CancelEventAsync(SandboxRequest request, string mailbox, string id, CancellationToken cancellationToken)
    {
        var body = ParseObject(request);
        return ChangeEventAsync(request, mailbox, id, existing =>
        {
            existing.IsCancelled = true;
            existing.CancellationComment = body is null ? null : Text(body, "comment");
            return null;
        }, _ => Empty(202), cancellationToken);
    }

    /// <summary>
    /// Reads the event, applies <paramref name="change"/> to a copy and writes it if nobody changed the event in between
    /// (another request or replica); otherwise reads it again, at most <see cref="MaxUpdateAttempts"/> times.
    /// </summary>
    private async Task<SandboxResponse> ChangeEventAsync(
        SandboxRequest request, string mailbox, string id, Func<SandboxEvent, SandboxProblem?> change, Func<SandboxEvent, SandboxResponse> answer,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            if (await Store.FindEventAsync(mailbox, id, cancellationToken) is not { IsCancelled: false } existing)
            {
                return NotFound(request);
            }

            var copy = Clone(existing);
            if (change(copy) is { } invalid)
            {
                return Error(request, invalid);
            }

            copy.ChangeNumber = existing.ChangeNumber + 1;
            copy.LastModifiedAt = clock.GetUtcNow();
            if (await Store.TryReplaceEventAsync(copy, existing.ChangeNumber, cancellationToken))
            {
                return answer(copy);
            }
        }

        return Error(request, 409, "ErrorIrresolvableConflict",
            "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.");
    }

    private async Task<SandboxResponse> GetEventAsync(SandboxRequest request, string mailbox, string id, CancellationToken cancellationToken) =>
        await Store.FindEventAsync(mailbox, id, cancellationToken) is { IsCancelled: false } found
            ? Json(200, EventJson(found, mailbox))
            : NotFound(request);

    private async Task<SandboxResponse> DeleteEventAsync(SandboxRequest request, string mailbox, string id, CancellationToken cancellationToken) =>
        await Store.DeleteEventAsync(mailbox, id, cancellationToken) ? Empty(204) : NotFound(request);

    private async Task<SandboxResponse> ListEventsAsync(SandboxRequest request, string mailbox, CancellationToken cancellationToken)
    {
        var filter = QueryValue(request, "filter");
        (string Id, string Value)? property = null;
        if (filter is not null)
        {
            var match = ExtendedPropertyFilter().Match(filter);
            if (!match.Success)
            {
                return Error(request, 400, "ErrorInvalidUrlQueryFilter", "The sandbox supports only singleValueExtendedProperties/Any(...) filters.");
            }

            property = (match.Groups["id"].Value, match.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal));
        }

        var top = int.TryParse(QueryValue(request, "top"), out var parsedTop) && parsedTop > 0 ? parsedTop : 10;
        var found = (await Store.EventsAsync(mailbox: mailbox, property: property, cancellationToken: cancellationToken))
            .Where(e => !e.IsCancelled)
            .Where(e => property is not { } p || (e.ExtendedProperties.TryGetValue(p.Id, out var v) && v == p.Value))
            .Take(top)
            .Select(e => (JsonNode)EventJson(e, mailbox))
            .ToArray();
        return Json(200, new JsonObject
        {
            ["@odata.context"] = $"{ContextBase}#users('{mailbox}')/events",
            ["value"] = new JsonArray(found),
        });
    }

    private async Task<SandboxResponse> CalendarViewAsync(SandboxRequest request, string mailbox, CancellationToken cancellationToken)
    {
        var startText = QueryValue(request, "startDateTime");
        var endText = QueryValue(request, "endDateTime");
        if (startText is null || endText is null)
        {
            return Error(request, 400, "ErrorInvalidParameter",
                "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
        }

        if (!TryParseWindow(startText, out var from) || !TryParseWindow(endText, out var to))
        {
            return Error(request, 400, "ErrorInvalidParameter", "The value of StartDateTime or EndDateTime is not a valid date and time.");
        }

        var items = (await Store.EventsAsync(mailbox: mailbox, cancellationToken: cancellationToken))
            .Where(e => !e.IsCancelled)
            .SelectMany(e => Occurrences(e, mailbox))
            .Where(o => o.StartUtc < to && o.EndUtc > from)
            .OrderBy(o => o.StartUtc)
            .Select(o => (JsonNode)o.Json)
            .ToArray();
        return Json(200, new JsonObject
        {
            ["@odata.context"] = $"{ContextBase}#users('{mailbox}')/calendarView",
            ["value"] = new JsonArray(items),
        });
    }

    /// <summary>The single instance, or one item per occurrence of a series (each with its own id and iCalUId).</summary>
    public static IEnumerable<(DateTimeOffset StartUtc, DateTimeOffset EndUtc, DateTime Start, DateTime End, JsonObject Json)> Occurrences(SandboxEvent item, string viewer, int limit = 1_000)
    {
        var duration = item.End - item.Start;
        foreach (var start in item.OccurrenceStarts(limit))
        {
            var end = start + duration;
            var json = EventJson(item, viewer);
            json["start"] = DateTimeJson(start, item.TimeZone);
            json["end"] = DateTimeJson(end, item.TimeZone);
            if (item.Recurrence is not null)
            {
                var stamp = start.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
                json["id"] = $"{item.Id}_{stamp}";
                json["iCalUId"] = $"{item.ICalUId}{stamp}";
                json["type"] = "occurrence";
                json["seriesMasterId"] = item.Id;
                json["recurrence"] = null;
            }

            yield return (GraphTimeZones.ToUtc(start, item.Zone), GraphTimeZones.ToUtc(end, item.Zone), start, end, json);
        }
    }
}
