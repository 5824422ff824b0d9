using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Graph.Model;
using Microsoft.Extensions.Options;

namespace MentorFlow.Graph.Sandbox;

/// <summary>
/// The embedded Graph v1.0 sandbox: the subset MentorFlow calls (events POST/GET/PATCH/DELETE/cancel, calendarView,
/// sendMail, Sent Items lookup, <c>$batch</c>), validated like Graph with Graph's error body, honouring
/// <c>transactionId</c>, storing everything it accepts, with optional throttling emulation and fault injection.
/// Transport-free: <see cref="HandleAsync"/> takes a request below <c>/v1.0</c>; the HTTP endpoint maps onto it.
/// </summary>
public sealed partial class GraphSandbox(IOptions<GraphSandboxOptions> options, TimeProvider clock)
{
    private const string ContextBase = "https://graph.microsoft.com/v1.0/$metadata";
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };
    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = false };

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SandboxEvent> _events = new(StringComparer.Ordinal);
    private readonly List<SandboxMessage> _messages = [];
    private readonly Dictionary<string, Queue<DateTimeOffset>> _windows = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _peakInFlight = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<SandboxFault> _faults = [];
    private readonly Random _batchOrder = new(options.Value.BatchOrderSeed);
    private long _requests;
    private long _throttled;
    private long _duplicateTransactions;
    private long _batches;

    public GraphSandboxOptions Options => options.Value;

    /// <summary>Requests handled (inner <c>$batch</c> requests counted one by one).</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    /// <summary>Requests answered 429 by the throttling emulation.</summary>
    public long ThrottledCount => Interlocked.Read(ref _throttled);

    /// <summary><c>$batch</c> envelopes received.</summary>
    public long BatchCount => Interlocked.Read(ref _batches);

    /// <summary>Creates refused because their transactionId was used already.</summary>
    public long DuplicateTransactionCount => Interlocked.Read(ref _duplicateTransactions);

    /// <summary>The highest number of requests seen in flight at once for a mailbox.</summary>
    public int PeakConcurrency(string mailbox) => _peakInFlight.GetValueOrDefault(mailbox);

    public IReadOnlyList<SandboxEvent> Events(string? mailbox = null)
    {
        lock (_gate)
        {
            return _events.Values.Where(e => mailbox is null || Same(e.Mailbox, mailbox)).OrderBy(e => e.CreatedAt).ToList();
        }
    }

    public IReadOnlyList<SandboxMessage> Messages(string? sender = null)
    {
        lock (_gate)
        {
            return _messages.Where(m => sender is null || Same(m.Sender, sender)).ToList();
        }
    }

    /// <summary>Every address that organizes, attends, sends or receives something here.</summary>
    public IReadOnlyList<string> KnownAddresses()
    {
        lock (_gate)
        {
            return _events.Values.SelectMany(e => e.Attendees.Select(a => a.Address).Append(e.Mailbox))
                .Concat(_messages.SelectMany(m => m.Recipients.Append(m.Sender)))
                .Select(a => a.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        }
    }

    public void InjectFault(SandboxFault fault)
    {
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    /// <summary>Forgets everything received (tests, demos).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _events.Clear();
            _messages.Clear();
            _windows.Clear();
            _faults.Clear();
        }
    }

    public async Task<SandboxResponse> HandleAsync(SandboxRequest request, CancellationToken cancellationToken = default)
    {
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (segments is ["$batch"])
        {
            return string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase)
                ? await BatchAsync(request, cancellationToken)
                : Error(request, 405, "Request_BadRequest", "The $batch endpoint accepts POST only.");
        }

        if (segments.Length < 3 || !string.Equals(segments[0], "users", StringComparison.OrdinalIgnoreCase))
        {
            return Error(request, 400, "BadRequest", $"Resource not found for the segment '{segments.FirstOrDefault() ?? string.Empty}'.");
        }

        Interlocked.Increment(ref _requests);
        var mailbox = segments[1];
        if (!MailboxExists(mailbox))
        {
            return Error(request, 404, "ErrorInvalidUser", $"The requested user '{mailbox}' is invalid.");
        }

        var fault = TakeFault(mailbox);
        if (fault is { AfterExecution: false })
        {
            return Error(request, fault.Status, fault.Code, fault.Message, fault.RetryAfterSeconds);
        }

        if (Throttle(mailbox) is { } retryAfter)
        {
            Interlocked.Increment(ref _throttled);
            return Error(request, 429, "TooManyRequests", "Please retry again later.", retryAfter);
        }

        var inFlight = _inFlight.AddOrUpdate(mailbox, 1, (_, n) => n + 1);
        try
        {
            _peakInFlight.AddOrUpdate(mailbox, inFlight, (_, peak) => Math.Max(peak, inFlight));
            if (options.Value.MaxConcurrentPerMailbox > 0 && inFlight > options.Value.MaxConcurrentPerMailbox)
            {
                Interlocked.Increment(ref _throttled);
                return Error(request, 429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", 1);
            }

            if (options.Value.ResponseLatency > TimeSpan.Zero)
            {
                await Task.Delay(options.Value.ResponseLatency, clock, cancellationToken);
            }

            var response = Route(request, mailbox, segments[2..]);
            return fault is null ? response : Error(request, fault.Status, fault.Code, fault.Message, fault.RetryAfterSeconds);
        }
        finally
        {
            _inFlight.AddOrUpdate(mailbox, 0, (_, n) => n - 1);
        }
    }

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
        if (ApplyEvent(request, created, body, creating: true) is { } invalid)
        {
            return invalid;
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
            if (ApplyEvent(request, copy, body, creating: false) is { } invalid)
            {
                return invalid;
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

    private SandboxResponse SendMail(SandboxRequest request, string mailbox)
    {
        if (ParseObject(request) is not { } body)
        {
            return Error(request, 400, "BadRequest", "Empty Payload. JSON content expected.");
        }

        if (body["message"] is not JsonObject message)
        {
            return Error(request, 400, "ErrorInvalidParameter", "The parameter 'Message' is missing or null.");
        }

        var to = People(message["toRecipients"]);
        var cc = People(message["ccRecipients"]);
        var bcc = People(message["bccRecipients"]);
        var replyTo = People(message["replyTo"]);
        if (to.Count + cc.Count + bcc.Count == 0)
        {
            return Error(request, 400, "ErrorInvalidRecipients", "At least one recipient isn't valid., A message can't be sent because it contains no recipients.");
        }

        if (to.Count + cc.Count + bcc.Count > GraphRequestValidator.MaxRecipients)
        {
            return Error(request, 400, "ErrorInvalidRecipients", "At least one recipient isn't valid., The message has too many recipients.");
        }

        if (to.Concat(cc).Concat(bcc).Concat(replyTo).FirstOrDefault(p => !GraphRequestValidator.IsEmail(p.Address)) is { } badRecipient)
        {
            return Error(request, 400, "ErrorInvalidRecipients", $"At least one recipient isn't valid., Recipient '{badRecipient.Address}' is not resolved.");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in message["internetMessageHeaders"]?.AsArray() ?? [])
        {
            var name = header is JsonObject h ? Text(h, "name") : null;
            if (name is null || !name.StartsWith("x-", StringComparison.OrdinalIgnoreCase))
            {
                return Error(request, 400, "InvalidInternetMessageHeader", $"The internet message header name '{name}' should start with 'x-' or 'X-'.");
            }

            headers[name] = Text((JsonObject)header!, "value") ?? string.Empty;
        }

        var now = clock.GetUtcNow();
        var saveToSentItems = body["saveToSentItems"] is not JsonValue save || !save.TryGetValue<bool>(out var flag) || flag;
        var stored = new SandboxMessage
        {
            Id = NewId("AAMkAGMsg"),
            InternetMessageId = $"<{Guid.NewGuid():N}@sandbox.mentorflow.local>",
            Sender = mailbox,
            SentAt = now,
            VisibleInSentItemsAt = saveToSentItems ? now + options.Value.SentItemsDelay : DateTimeOffset.MaxValue,
            Subject = Text(message, "subject") ?? string.Empty,
            BodyContentType = (message["body"] is JsonObject b ? Text(b, "contentType") : null)?.ToLowerInvariant() ?? "text",
            BodyContent = message["body"] is JsonObject c ? Text(c, "content") ?? string.Empty : string.Empty,
            To = to,
            Cc = cc,
            Bcc = bcc,
            ReplyTo = replyTo,
            Headers = headers,
            ExtendedProperties = ExtendedProperties(message),
        };
        lock (_gate)
        {
            _messages.Add(stored);
        }

        return Empty(202);
    }

    private SandboxResponse ListSentItems(SandboxRequest request, string mailbox)
    {
        var filter = QueryValue(request, "filter");
        var match = filter is null ? null : ExtendedPropertyFilter().Match(filter);
        if (filter is not null && match is { Success: false })
        {
            return Error(request, 400, "ErrorInvalidUrlQueryFilter", "The sandbox supports only singleValueExtendedProperties/Any(...) filters.");
        }

        var now = clock.GetUtcNow();
        lock (_gate)
        {
            var found = _messages
                .Where(m => Same(m.Sender, mailbox) && m.VisibleInSentItemsAt <= now)
                .Where(m => match is null || (m.ExtendedProperties.TryGetValue(match.Groups["id"].Value, out var v)
                                              && v == match.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal)))
                .Select(m => (JsonNode)new JsonObject
                {
                    ["id"] = m.Id,
                    ["subject"] = m.Subject,
                    ["internetMessageId"] = m.InternetMessageId,
                    ["sentDateTime"] = m.SentAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    ["internetMessageHeaders"] = new JsonArray(m.Headers.Select(h => (JsonNode)new JsonObject { ["name"] = h.Key, ["value"] = h.Value }).ToArray()),
                })
                .ToArray();
            return Json(200, new JsonObject
            {
                ["@odata.context"] = $"{ContextBase}#users('{mailbox}')/mailFolders('sentitems')/messages",
                ["value"] = new JsonArray(found),
            });
        }
    }

    private async Task<SandboxResponse> BatchAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        if (ParseObject(request) is not { } body || body["requests"] is not JsonArray steps)
        {
            return Error(request, 400, "BadRequest", "Invalid batch payload format.");
        }

        Interlocked.Increment(ref _batches);
        if (steps.Count > 20)
        {
            return Error(request, 400, "BadRequest", "Maximum number of requests allowed in a batch is 20.");
        }

        var parsed = new List<(string Id, string Method, string Url, JsonNode? Body, string[] DependsOn)>();
        foreach (var step in steps)
        {
            if (step is not JsonObject item || Text(item, "id") is not { Length: > 0 } id || Text(item, "method") is not { } method
                || Text(item, "url") is not { } url)
            {
                return Error(request, 400, "BadRequest", "Each batch request needs an id, a method and a url.");
            }

            if (parsed.Any(p => p.Id == id))
            {
                return Error(request, 400, "BadRequest", $"Batch request ids must be unique; '{id}' is repeated.");
            }

            if (item["body"] is not null && (item["headers"] is not JsonObject headers || Text(headers, "Content-Type") is null))
            {
                return Error(request, 400, "BadRequest", $"Batch request '{id}' has a body but no Content-Type header.");
            }

            var dependsOn = item["dependsOn"]?.AsArray().Select(d => d?.GetValue<string>() ?? string.Empty).ToArray() ?? [];
            parsed.Add((id, method, url, item["body"], dependsOn));
        }

        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        var responses = new List<JsonObject>();
        foreach (var step in parsed)
        {
            SandboxResponse inner;
            if (step.DependsOn.Any(d => !statuses.TryGetValue(d, out var status) || status >= 400))
            {
                inner = Error(request, 424, "FailedDependency", "Failed dependency.");
            }
            else
            {
                var (path, query) = SplitUrl(step.Url);
                inner = await HandleAsync(new SandboxRequest(step.Method, path, query, step.Body?.ToJsonString(), request.ClientRequestId), cancellationToken);
            }

            statuses[step.Id] = inner.Status;
            var headers = new JsonObject();
            foreach (var (name, value) in inner.Headers)
            {
                headers[name] = value;
            }

            var response = new JsonObject { ["id"] = step.Id, ["status"] = inner.Status, ["headers"] = headers };
            if (!string.IsNullOrEmpty(inner.Body))
            {
                response["body"] = JsonNode.Parse(inner.Body);
            }

            responses.Add(response);
        }

        lock (_gate)
        {
            for (var i = responses.Count - 1; i > 0; i--)
            {
                var j = _batchOrder.Next(i + 1);
                (responses[i], responses[j]) = (responses[j], responses[i]);
            }
        }

        return Json(200, new JsonObject { ["responses"] = new JsonArray(responses.Select(r => (JsonNode)r).ToArray()) });
    }

    /// <summary>Reads event fields present in <paramref name="body"/> into <paramref name="target"/>, validating like Graph.</summary>
    private SandboxResponse? ApplyEvent(SandboxRequest request, SandboxEvent target, JsonObject body, bool creating)
    {
        if (body.ContainsKey("subject"))
        {
            target.Subject = Text(body, "subject") ?? string.Empty;
        }

        if (body["body"] is JsonObject content)
        {
            target.BodyContentType = (Text(content, "contentType") ?? "text").ToLowerInvariant();
            target.BodyContent = Text(content, "content") ?? string.Empty;
        }

        if (body["location"] is JsonObject location)
        {
            target.Location = Text(location, "displayName");
        }

        if (body["start"] is not null || creating)
        {
            if (ReadDateTime(body["start"]) is not { } start)
            {
                return Error(request, 400, "ErrorPropertyValidationFailure", "At least one property failed validation. 'start' needs a dateTime and a timeZone.");
            }

            target.Start = start.Value;
            target.TimeZone = start.Zone;
        }

        if (body["end"] is not null || creating)
        {
            if (ReadDateTime(body["end"]) is not { } end)
            {
                return Error(request, 400, "ErrorPropertyValidationFailure", "At least one property failed validation. 'end' needs a dateTime and a timeZone.");
            }

            if (!GraphTimeZones.TryFind(end.Zone, out var endZone) || !GraphTimeZones.TryFind(target.TimeZone, out var startZone))
            {
                return Error(request, 400, "TimeZoneNotSupportedException",
                    $"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{end.Zone}'.");
            }

            target.End = TimeZoneInfo.ConvertTime(GraphTimeZones.ToUtc(end.Value, endZone), startZone).DateTime;
        }

        if (!GraphTimeZones.TryFind(target.TimeZone, out _))
        {
            return Error(request, 400, "TimeZoneNotSupportedException",
                $"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{target.TimeZone}'.");
        }

        if (target.End < target.Start)
        {
            return Error(request, 400, "ErrorPropertyValidationFailure", "At least one property failed validation. The end must not be before the start.");
        }

        if (body["attendees"] is JsonNode attendees)
        {
            var people = People(attendees);
            if (people.Count > GraphRequestValidator.MaxAttendees)
            {
                return Error(request, 400, "ErrorInvalidRecipients", "At least one recipient isn't valid., An event can have at most 500 attendees.");
            }

            if (people.FirstOrDefault(p => !GraphRequestValidator.IsEmail(p.Address)) is { } bad)
            {
                return Error(request, 400, "ErrorInvalidRecipients", $"At least one recipient isn't valid., Recipient '{bad.Address}' is not resolved.");
            }

            target.Attendees = people.ToList();
        }

        if (body["isOnlineMeeting"] is JsonValue online && online.TryGetValue<bool>(out var isOnline))
        {
            if (!creating && isOnline != target.IsOnlineMeeting)
            {
                return Error(request, 400, "ErrorInvalidPropertyUpdate", "The online meeting settings can't be changed once set.");
            }

            target.IsOnlineMeeting = isOnline;
            target.OnlineMeetingProvider = Text(body, "onlineMeetingProvider") ?? "teamsForBusiness";
            target.JoinUrl = isOnline ? $"https://teams.sandbox.mentorflow.local/l/meetup-join/{Uri.EscapeDataString(target.Id)}" : null;
        }

        foreach (var (id, value) in ExtendedProperties(body))
        {
            target.ExtendedProperties[id] = value;
        }

        if (body.ContainsKey("recurrence"))
        {
            if (body["recurrence"] is null)
            {
                target.Recurrence = null;
            }
            else if (ReadRecurrence(body["recurrence"]!, target, out var recurrence) is { } problem)
            {
                return Error(request, 400, "ErrorPropertyValidationFailure", "At least one property failed validation. " + problem);
            }
            else
            {
                target.Recurrence = recurrence;
            }
        }
        else if (target.Recurrence is { } kept && kept.StartDate != DateOnly.FromDateTime(target.Start))
        {
            target.Recurrence = kept with { StartDate = DateOnly.FromDateTime(target.Start) };
        }

        return null;
    }

    private static string? ReadRecurrence(JsonNode node, SandboxEvent target, out SandboxRecurrence? recurrence)
    {
        recurrence = null;
        if (node is not JsonObject recurrenceObject || recurrenceObject["pattern"] is not JsonObject pattern
            || recurrenceObject["range"] is not JsonObject range)
        {
            return "A recurrence needs a pattern and a range.";
        }

        var type = Text(pattern, "type");
        if (type is not ("daily" or "weekly" or "absoluteMonthly" or "relativeMonthly" or "absoluteYearly" or "relativeYearly"))
        {
            return $"Recurrence pattern type '{type}' is not supported.";
        }

        if (pattern["interval"] is not JsonValue intervalValue || !intervalValue.TryGetValue<int>(out var interval) || interval < 1)
        {
            return "The recurrence pattern needs an interval of at least 1.";
        }

        var days = new List<DayOfWeek>();
        foreach (var day in pattern["daysOfWeek"]?.AsArray() ?? [])
        {
            if (!Enum.TryParse<DayOfWeek>(day?.GetValue<string>(), ignoreCase: true, out var parsedDay))
            {
                return $"'{day}' is not a day of the week.";
            }

            days.Add(parsedDay);
        }

        var dayOfMonth = pattern["dayOfMonth"] is JsonValue dom && dom.TryGetValue<int>(out var d) ? d : 0;
        var month = pattern["month"] is JsonValue m && m.TryGetValue<int>(out var mo) ? mo : 0;
        var firstDay = Enum.TryParse<DayOfWeek>(Text(pattern, "firstDayOfWeek") ?? "sunday", ignoreCase: true, out var fd) ? fd : DayOfWeek.Sunday;
        var index = Text(pattern, "index") ?? "first";
        switch (type)
        {
            case "weekly" or "relativeMonthly" or "relativeYearly" when days.Count == 0:
                return $"A {type} pattern needs daysOfWeek.";
            case "absoluteMonthly" or "absoluteYearly" when dayOfMonth is < 1 or > 31:
                return $"A {type} pattern needs dayOfMonth between 1 and 31.";
            case "absoluteYearly" or "relativeYearly" when month is < 1 or > 12:
                return $"A {type} pattern needs month between 1 and 12.";
            case "daily" or "absoluteMonthly" or "absoluteYearly" when days.Count > 0:
                return $"A {type} pattern does not take daysOfWeek.";
            case "relativeYearly":
                return "The sandbox does not expand relativeYearly patterns.";
        }

        var rangeType = Text(range, "type");
        if (rangeType is not ("endDate" or "noEnd" or "numbered"))
        {
            return $"Recurrence range type '{rangeType}' is not supported.";
        }

        if (!DateOnly.TryParseExact(Text(range, "startDate"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var startDate))
        {
            return "The recurrence range needs a startDate (yyyy-MM-dd).";
        }

        if (startDate != DateOnly.FromDateTime(target.Start))
        {
            return $"The recurrence range startDate ({startDate:yyyy-MM-dd}) must be the date of the event start ({target.Start:yyyy-MM-dd}).";
        }

        DateOnly? endDate = null;
        if (rangeType == "endDate")
        {
            if (!DateOnly.TryParseExact(Text(range, "endDate"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsedEnd))
            {
                return "An endDate range needs an endDate (yyyy-MM-dd).";
            }

            if (parsedEnd < startDate)
            {
                return $"The recurrence range endDate ({parsedEnd:yyyy-MM-dd}) is before its startDate ({startDate:yyyy-MM-dd}).";
            }

            endDate = parsedEnd;
        }

        var count = range["numberOfOccurrences"] is JsonValue n && n.TryGetValue<int>(out var c) ? c : 0;
        if (rangeType == "numbered" && count < 1)
        {
            return "A numbered range needs a positive numberOfOccurrences.";
        }

        recurrence = new SandboxRecurrence(type, interval, days, firstDay, dayOfMonth, month, index, rangeType, startDate, endDate, count,
            Text(range, "recurrenceTimeZone"));
        return null;
    }

    private JsonObject EventJson(SandboxEvent item, string viewer)
    {
        var json = new JsonObject
        {
            ["@odata.context"] = $"{ContextBase}#users('{viewer}')/events/$entity",
            ["@odata.etag"] = $"W/\"{item.ChangeKey}\"",
            ["id"] = item.Id,
            ["createdDateTime"] = item.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["lastModifiedDateTime"] = item.LastModifiedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["changeKey"] = item.ChangeKey,
            ["transactionId"] = item.TransactionId,
            ["originalStartTimeZone"] = item.TimeZone,
            ["originalEndTimeZone"] = item.TimeZone,
            ["iCalUId"] = item.ICalUId,
            ["subject"] = item.Subject,
            ["isCancelled"] = item.IsCancelled,
            ["isOrganizer"] = true,
            ["responseRequested"] = true,
            ["showAs"] = "busy",
            ["type"] = item.Type,
            ["webLink"] = $"https://outlook.sandbox.mentorflow.local/calendar/item/{Uri.EscapeDataString(item.Id)}",
            ["isOnlineMeeting"] = item.IsOnlineMeeting,
            ["onlineMeetingProvider"] = item.IsOnlineMeeting ? item.OnlineMeetingProvider : "unknown",
            ["body"] = new JsonObject
            {
                ["contentType"] = item.BodyContentType,
                ["content"] = item.BodyContentType == "html" && !item.BodyContent.Contains("<html", StringComparison.OrdinalIgnoreCase)
                    ? $"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body>{item.BodyContent}</body></html>"
                    : item.BodyContent,
            },
            ["start"] = DateTimeJson(item.Start, item.TimeZone),
            ["end"] = DateTimeJson(item.End, item.TimeZone),
            ["location"] = new JsonObject { ["displayName"] = item.Location ?? string.Empty, ["locationType"] = "default" },
            ["attendees"] = new JsonArray(item.Attendees.Select(a => (JsonNode)new JsonObject
            {
                ["type"] = a.Type,
                ["status"] = new JsonObject { ["response"] = "none", ["time"] = "0001-01-01T00:00:00Z" },
                ["emailAddress"] = new JsonObject { ["name"] = a.Name ?? a.Address, ["address"] = a.Address },
            }).ToArray()),
            ["organizer"] = new JsonObject { ["emailAddress"] = new JsonObject { ["name"] = item.Mailbox, ["address"] = item.Mailbox } },
            ["onlineMeeting"] = item.JoinUrl is null ? null : new JsonObject { ["joinUrl"] = item.JoinUrl },
            ["recurrence"] = item.Recurrence is not { } r ? null : new JsonObject
            {
                ["pattern"] = new JsonObject
                {
                    ["type"] = r.PatternType,
                    ["interval"] = r.Interval,
                    ["month"] = r.Month,
                    ["dayOfMonth"] = r.DayOfMonth,
                    ["daysOfWeek"] = new JsonArray(r.DaysOfWeek.Select(day => (JsonNode)day.ToString().ToLowerInvariant()).ToArray()),
                    ["firstDayOfWeek"] = r.FirstDayOfWeek.ToString().ToLowerInvariant(),
                    ["index"] = r.Index,
                },
                ["range"] = new JsonObject
                {
                    ["type"] = r.RangeType,
                    ["startDate"] = r.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["endDate"] = r.EndDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "0001-01-01",
                    ["recurrenceTimeZone"] = r.RecurrenceTimeZone ?? item.TimeZone,
                    ["numberOfOccurrences"] = r.NumberOfOccurrences,
                },
            },
        };
        return json;
    }

    private static JsonObject DateTimeJson(DateTime value, string zone) =>
        new() { ["dateTime"] = SandboxEvent.FormatDateTime(value), ["timeZone"] = zone };

    private static (DateTime Value, string Zone)? ReadDateTime(JsonNode? node)
    {
        if (node is not JsonObject item || Text(item, "dateTime") is not { } text)
        {
            return null;
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            return null;
        }

        return (DateTime.SpecifyKind(value, DateTimeKind.Unspecified), Text(item, "timeZone") ?? "UTC");
    }

    private static List<SandboxAttendee> People(JsonNode? node)
    {
        var people = new List<SandboxAttendee>();
        foreach (var person in node as JsonArray ?? [])
        {
            if (person is JsonObject item && item["emailAddress"] is JsonObject email)
            {
                people.Add(new SandboxAttendee(Text(email, "address") ?? string.Empty, Text(email, "name"),
                    (Text(item, "type") ?? "required").ToLowerInvariant()));
            }
        }

        return people;
    }

    private static Dictionary<string, string> ExtendedProperties(JsonObject item)
    {
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in item["singleValueExtendedProperties"] as JsonArray ?? [])
        {
            if (property is JsonObject p && Text(p, "id") is { } id)
            {
                properties[id] = Text(p, "value") ?? string.Empty;
            }
        }

        return properties;
    }

    private static SandboxEvent Clone(SandboxEvent source)
    {
        var copy = new SandboxEvent
        {
            Id = source.Id,
            ICalUId = source.ICalUId,
            Mailbox = source.Mailbox,
            CreatedAt = source.CreatedAt,
            LastModifiedAt = source.LastModifiedAt,
            ChangeNumber = source.ChangeNumber,
            TransactionId = source.TransactionId,
            Subject = source.Subject,
            BodyContentType = source.BodyContentType,
            BodyContent = source.BodyContent,
            Start = source.Start,
            End = source.End,
            TimeZone = source.TimeZone,
            Location = source.Location,
            Attendees = [.. source.Attendees],
            IsOnlineMeeting = source.IsOnlineMeeting,
            OnlineMeetingProvider = source.OnlineMeetingProvider,
            JoinUrl = source.JoinUrl,
            Recurrence = source.Recurrence,
        };
        foreach (var (key, value) in source.ExtendedProperties)
        {
            copy.ExtendedProperties[key] = value;
        }

        return copy;
    }

    private bool MailboxExists(string mailbox) =>
        options.Value.Mailboxes.Count == 0
            ? GraphRequestValidator.IsMailboxId(mailbox)
            : options.Value.Mailboxes.Any(m => Same(m, mailbox));

    private SandboxFault? TakeFault(string mailbox)
    {
        lock (_gate)
        {
            var index = _faults.FindIndex(f => f.Mailbox is null || Same(f.Mailbox, mailbox));
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index];
            if (fault.Count <= 1)
            {
                _faults.RemoveAt(index);
            }
            else
            {
                _faults[index] = fault with { Count = fault.Count - 1 };
            }

            return fault;
        }
    }

    /// <summary>Counts the request in the mailbox's sliding window; returns the Retry-After seconds when over the limit.</summary>
    private int? Throttle(string mailbox)
    {
        var limit = options.Value.ThrottleRequests;
        if (limit <= 0)
        {
            return null;
        }

        var window = options.Value.ThrottleWindow;
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (!_windows.TryGetValue(mailbox, out var times))
            {
                _windows[mailbox] = times = new Queue<DateTimeOffset>();
            }

            while (times.Count > 0 && times.Peek() <= now - window)
            {
                times.Dequeue();
            }

            if (times.Count >= limit)
            {
                var wait = times.Peek() + window - now;
                return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            }

            times.Enqueue(now);
            return null;
        }
    }

    private static (string Path, IReadOnlyDictionary<string, string> Query) SplitUrl(string url)
    {
        var relative = url;
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
        {
            relative = absolute.PathAndQuery;
        }

        var question = relative.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? relative : relative[..question];
        if (path.StartsWith("/v1.0/", StringComparison.OrdinalIgnoreCase))
        {
            path = path[5..];
        }

        var query = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (question >= 0)
        {
            foreach (var pair in relative[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
                query[name] = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }
        }

        return (path, query);
    }

    private static string? QueryValue(SandboxRequest request, string name) =>
        request.Query.TryGetValue("$" + name, out var value) || request.Query.TryGetValue(name, out value) ? value : null;

    private static bool TryParseWindow(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    private static JsonObject? ParseObject(SandboxRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Body))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(request.Body, NodeOptions) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonObject item, string name) =>
        item[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool Is(string segment, string name) => string.Equals(segment, name, StringComparison.OrdinalIgnoreCase);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string NewId(string prefix) =>
        prefix + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private SandboxResponse NotFound(SandboxRequest request) =>
        Error(request, 404, "ErrorItemNotFound", "The specified object was not found in the store.");

    private static SandboxResponse Json(int status, JsonObject body) =>
        new(status, body.ToJsonString(WriteOptions), new Dictionary<string, string> { ["Content-Type"] = "application/json" });

    private static SandboxResponse Empty(int status) => new(status, null, new Dictionary<string, string>());

    private SandboxResponse Error(SandboxRequest request, int status, string code, string message, int? retryAfterSeconds = null)
    {
        var requestId = Guid.NewGuid().ToString();
        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject
                {
                    ["date"] = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                    ["request-id"] = requestId,
                    ["client-request-id"] = request.ClientRequestId ?? requestId,
                },
            },
        };
        var headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" };
        if (retryAfterSeconds is { } seconds)
        {
            headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return new SandboxResponse(status, body.ToJsonString(WriteOptions), headers);
    }

    [GeneratedRegex(@"singleValueExtendedProperties/Any\(\s*\w+\s*:\s*\w+/id\s+eq\s+'(?<id>[^']*)'\s+and\s+\w+/value\s+eq\s+'(?<value>(?:[^']|'')*)'\s*\)", RegexOptions.IgnoreCase)]
    private static partial Regex ExtendedPropertyFilter();
}
