using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Graph.Model;

namespace MentorFlow.Graph.Sandbox;

/// <summary>A Graph error the sandbox answers: status, Graph's error code and message, optional Retry-After.</summary>
public sealed record SandboxProblem(int Status, string Code, string Message, int? RetryAfterSeconds = null);

/// <summary>
/// Graph's JSON as the sandbox reads and writes it: request bodies (case-insensitive names, so PascalCase works) into
/// <see cref="SandboxEvent"/>s with Graph's validation rules, events back into Graph's event resource, and the small
/// helpers the handlers share (query values, responses, the extended-property filter).
/// </summary>
internal static partial class SandboxJson
{
    public const string ContextBase = "https://graph.microsoft.com/v1.0/$metadata";
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };

    /// <summary>A body that names a property twice is malformed (answered 400), not a reason to fail reading it later.</summary>
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false };
    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = false };

    /// <summary>Reads event fields present in <paramref name="body"/> into <paramref name="target"/>, validating like Graph.</summary>
    public static SandboxProblem? ApplyEvent(SandboxEvent target, JsonObject body, bool creating)
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
                return new SandboxProblem(400, "ErrorPropertyValidationFailure", "At least one property failed validation. 'start' needs a dateTime and a timeZone.");
            }

            target.Start = start.Value;
            target.TimeZone = start.Zone;
        }

        if (body["end"] is not null || creating)
        {
            if (ReadDateTime(body["end"]) is not { } end)
            {
                return new SandboxProblem(400, "ErrorPropertyValidationFailure", "At least one property failed validation. 'end' needs a dateTime and a timeZone.");
            }

            if (!GraphTimeZones.TryFind(end.Zone, out var endZone) || !GraphTimeZones.TryFind(target.TimeZone, out var startZone))
            {
                return new SandboxProblem(400, "TimeZoneNotSupportedException",
                    $"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{end.Zone}'.");
            }

            target.End = TimeZoneInfo.ConvertTime(GraphTimeZones.ToUtc(end.Value, endZone), startZone).DateTime;
        }

        if (!GraphTimeZones.TryFind(target.TimeZone, out _))
        {
            return new SandboxProblem(400, "TimeZoneNotSupportedException",
                $"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{target.TimeZone}'.");
        }

        if (target.End < target.Start)
        {
            return new SandboxProblem(400, "ErrorPropertyValidationFailure", "At least one property failed validation. The end must not be before the start.");
        }

        if (body["isAllDay"] is JsonValue allDay && allDay.TryGetValue<bool>(out var isAllDay))
        {
            target.IsAllDay = isAllDay;
        }

        if (target.IsAllDay && (target.Start.TimeOfDay != TimeSpan.Zero || target.End.TimeOfDay != TimeSpan.Zero || target.End <= target.Start))
        {
            return new SandboxProblem(400, "ErrorPropertyValidationFailure",
                "At least one property failed validation. An all-day event starts and ends at midnight and lasts at least one day.");
        }

        if (body["attendees"] is JsonNode attendees)
        {
            var people = People(attendees);
            if (people.Count > GraphRequestValidator.MaxAttendees)
            {
                return new SandboxProblem(400, "ErrorInvalidRecipients", "At least one recipient isn't valid., An event can have at most 500 attendees.");
            }

            if (people.FirstOrDefault(p => !GraphRequestValidator.IsEmail(p.Address)) is { } bad)
            {
                return new SandboxProblem(400, "ErrorInvalidRecipients", $"At least one recipient isn't valid., Recipient '{bad.Address}' is not resolved.");
            }

            target.Attendees = people.ToList();
        }

        if (body["isOnlineMeeting"] is JsonValue online && online.TryGetValue<bool>(out var isOnline))
        {
            if (!creating && isOnline != target.IsOnlineMeeting)
            {
                return new SandboxProblem(400, "ErrorInvalidPropertyUpdate", "The online meeting settings can't be changed once set.");
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
                return new SandboxProblem(400, "ErrorPropertyValidationFailure", "At least one property failed validation. " + problem);
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

    public static JsonObject EventJson(SandboxEvent item, string viewer)
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
            ["isAllDay"] = item.IsAllDay,
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

    public static JsonObject DateTimeJson(DateTime value, string zone) =>
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

    public static List<SandboxAttendee> People(JsonNode? node)
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

    public static Dictionary<string, string> ExtendedProperties(JsonObject item)
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

    public static SandboxEvent Clone(SandboxEvent source)
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
            IsAllDay = source.IsAllDay,
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

    public static string? QueryValue(SandboxRequest request, string name) =>
        request.Query.TryGetValue("$" + name, out var value) || request.Query.TryGetValue(name, out value) ? value : null;

    public static bool TryParseWindow(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    public static JsonObject? ParseObject(SandboxRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Body))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(request.Body, NodeOptions, DocumentOptions) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Graph's words for a body <see cref="ParseObject"/> could not read: none at all, or not one JSON object.</summary>
    public static string UnreadableBody(SandboxRequest request) => string.IsNullOrWhiteSpace(request.Body)
        ? "Empty Payload. JSON content expected."
        : "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.";

    public static string? Text(JsonObject item, string name) =>
        item[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static SandboxResponse Json(int status, JsonObject body) =>
        new(status, body.ToJsonString(WriteOptions), new Dictionary<string, string> { ["Content-Type"] = "application/json" });

    public static SandboxResponse Empty(int status) => new(status, null, new Dictionary<string, string>());

    [GeneratedRegex(@"singleValueExtendedProperties/Any\(\s*\w+\s*:\s*\w+/id\s+eq\s+'(?<id>[^']*)'\s+and\s+\w+/value\s+eq\s+'(?<value>(?:[^']|'')*)'\s*\)", RegexOptions.IgnoreCase)]
    public static partial Regex ExtendedPropertyFilter();
}
