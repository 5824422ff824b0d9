using System.Globalization;
using System.Text.Json.Nodes;
using MentorFlow.Graph.Model;
using static MentorFlow.Graph.Sandbox.SandboxJson;

namespace MentorFlow.Graph.Sandbox;

/// <summary>The routes below <c>/v1.0/users/{mailbox}</c> and the calendar handlers.</summary>
public sealed partial class GraphSandbox
{
    private SandboxResponse Route(SandboxRequest request, string mailbox, string[] rest)
    {
        var method = request.Method.ToUpperInvariant();
        return (method, rest) switch
        {
            ("POST", [var events]) when Is(events, "events") => CreateEvent(request, mailbox),
            ("GET", [var events]) when Is(events, "events") => ListEvents(request, mailbox),
            ("GET", [var view]) when Is(view, "calendarView") => CalendarView(request, mailbox),
            ("GET", [var events, var id]) when Is(events, "events") => GetEvent(request, mailbox, id),
            ("PATCH", [var events, var id]) when Is(events, "events") => UpdateEvent(request, mailbox, id),
            ("DELETE", [var events, var id]) when Is(events, "events") => DeleteEvent(request, mailbox, id),
            ("POST", [var events, var id, var cancel]) when Is(events, "events") && Is(cancel, "cancel") => CancelEvent(request, mailbox, id),
            ("POST", [var send]) when Is(send, "sendMail") => SendMail(request, mailbox),
            ("GET", [var folders, var folder, var messages]) when Is(folders, "mailFolders") && Is(folder, "sentitems") && Is(messages, "messages")
                => ListSentItems(request, mailbox),
            _ => Error(request, 400, "BadRequest", $"Resource not found for the segment '{rest[^1]}'."),
        };
    }

    private SandboxResponse CreateEvent(SandboxRequest request, string mailbox)
    {
        if (ParseObject(request) is not { } body)
        {
            return Error(request, 400, "BadRequest", "Empty Payload. JSON content expected.");
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
        if (ApplyEvent(created, body, creating: true) is { } invalid)
        {
            return Error(request, invalid);
        }

        lock (_gate)
        {
            if (created.TransactionId is { Length: > 0 } transactionId
                && _events.Values.Any(e => Same(e.Mailbox, mailbox) && e.TransactionId == transactionId))
            {
                Interlocked.Increment(ref _duplicateTransactions);
                return Error(request, 400, "ErrorDuplicateTransactionId",
                    "Your request can't be completed. The TransactionId specified in the request has already been used to create a different event.");
            }

            _events[created.Id] = created;
        }

        return Json(201, EventJson(created, mailbox));
    }

    private SandboxResponse UpdateEvent(SandboxRequest request, string mailbox, string id)
    {
        if (ParseObject(request) is not { } body)
        {
            return Error(request, 400, "BadRequest", "Empty Payload. JSON content expected.");
        }

        lock (_gate)
        {
            if (!_events.TryGetValue(id, out var existing) || !Same(existing.Mailbox, mailbox) || existing.IsCancelled)
            {
                return NotFound(request);
            }

            if (Text(body, "transactionId") is { } transactionId && transactionId != existing.TransactionId)
            {
                return Error(request, 400, "ErrorInvalidPropertyUpdate", "The property 'TransactionId' can't be changed once set.");
            }

            var copy = Clone(existing);
            if (ApplyEvent(copy, body, creating: false) is { } invalid)
            {
                return Error(request, invalid);
            }

            copy.ChangeNumber = existing.ChangeNumber + 1;
            copy.LastModifiedAt = clock.GetUtcNow();
            _events[id] = copy;
            return Json(200, EventJson(copy, mailbox));
        }
    }

    private SandboxResponse GetEvent(SandboxRequest request, string mailbox, string id)
    {
        lock (_gate)
        {
            return _events.TryGetValue(id, out var found) && Same(found.Mailbox, mailbox) && !found.IsCancelled
                ? Json(200, EventJson(found, mailbox))
                : NotFound(request);
        }
    }

    private SandboxResponse DeleteEvent(SandboxRequest request, string mailbox, string id)
    {
        lock (_gate)
        {
            if (!_events.TryGetValue(id, out var found) || !Same(found.Mailbox, mailbox))
            {
                return NotFound(request);
            }

            _events.Remove(id);
            return Empty(204);
        }
    }

    private SandboxResponse CancelEvent(SandboxRequest request, string mailbox, string id)
    {
        var body = ParseObject(request);
        lock (_gate)
        {
            if (!_events.TryGetValue(id, out var found) || !Same(found.Mailbox, mailbox) || found.IsCancelled)
            {
                return NotFound(request);
            }

            found.IsCancelled = true;
            found.CancellationComment = body is null ? null : Text(body, "comment");
            found.ChangeNumber++;
            found.LastModifiedAt = clock.GetUtcNow();
            return Empty(202);
        }
    }

    private SandboxResponse ListEvents(SandboxRequest request, string mailbox)
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
        lock (_gate)
        {
            var found = _events.Values
                .Where(e => Same(e.Mailbox, mailbox) && !e.IsCancelled)
                .Where(e => property is not { } p || (e.ExtendedProperties.TryGetValue(p.Id, out var v) && v == p.Value))
                .OrderBy(e => e.CreatedAt)
                .Take(top)
                .Select(e => (JsonNode)EventJson(e, mailbox))
                .ToArray();
            return Json(200, new JsonObject
            {
                ["@odata.context"] = $"{ContextBase}#users('{mailbox}')/events",
                ["value"] = new JsonArray(found),
            });
        }
    }

    private SandboxResponse CalendarView(SandboxRequest request, string mailbox)
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

        lock (_gate)
        {
            var items = _events.Values
                .Where(e => Same(e.Mailbox, mailbox) && !e.IsCancelled)
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
    }

    /// <summary>The single instance, or one item per occurrence of a series (each with its own id and iCalUId).</summary>
    public IEnumerable<(DateTimeOffset StartUtc, DateTimeOffset EndUtc, DateTime Start, DateTime End, JsonObject Json)> Occurrences(SandboxEvent item, string viewer, int limit = 1_000)
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
