using System.Globalization;
using System.Text.Json.Serialization;
using MentorFlow.Graph.Model;

namespace MentorFlow.Graph.Sandbox;

/// <summary>A request as the sandbox sees it: a path below <c>/v1.0</c> and decoded query names (<c>$</c> optional).</summary>
public sealed record SandboxRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    string? Body,
    string? ClientRequestId = null);

/// <summary>What the sandbox answers; <see cref="Body"/> is JSON text or empty.</summary>
public sealed record SandboxResponse(int Status, string? Body, IReadOnlyDictionary<string, string> Headers);

public sealed record SandboxAttendee(string Address, string? Name, string Type);

public sealed record SandboxRecurrence(
    string PatternType,
    int Interval,
    IReadOnlyList<DayOfWeek> DaysOfWeek,
    DayOfWeek FirstDayOfWeek,
    int DayOfMonth,
    int Month,
    string Index,
    string RangeType,
    DateOnly StartDate,
    DateOnly? EndDate,
    int NumberOfOccurrences,
    string? RecurrenceTimeZone);

/// <summary>An event in an organizer's calendar (a single instance or a series master).</summary>
public sealed class SandboxEvent
{
    public required string Id { get; init; }
    public required string ICalUId { get; init; }
    public required string Mailbox { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastModifiedAt { get; set; }
    public int ChangeNumber { get; set; } = 1;
    public string? TransactionId { get; init; }
    public string Subject { get; set; } = string.Empty;
    public string BodyContentType { get; set; } = "html";
    public string BodyContent { get; set; } = string.Empty;
    public DateTime Start { get; set; }
    public DateTime End { get; set; }
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Graph's <c>isAllDay</c>: whole days (start and end at midnight), shown on their dates in every zone.</summary>
    public bool IsAllDay { get; set; }

    public string? Location { get; set; }
    public List<SandboxAttendee> Attendees { get; set; } = [];
    public bool IsOnlineMeeting { get; set; }
    public string? OnlineMeetingProvider { get; set; }
    public string? JoinUrl { get; set; }
    public SandboxRecurrence? Recurrence { get; set; }
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public Dictionary<string, string> ExtendedProperties { get; } = new(StringComparer.OrdinalIgnoreCase);
    public bool IsCancelled { get; set; }
    public string? CancellationComment { get; set; }

    [JsonIgnore]
    public string Type => Recurrence is null ? "singleInstance" : "seriesMaster";

    [JsonIgnore]
    public TimeZoneInfo Zone => GraphTimeZones.TryFind(TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    [JsonIgnore]
    public DateTimeOffset StartUtc => GraphTimeZones.ToUtc(Start, Zone);

    [JsonIgnore]
    public DateTimeOffset EndUtc => GraphTimeZones.ToUtc(End, Zone);

    [JsonIgnore]
    public string ChangeKey => Convert.ToBase64String(BitConverter.GetBytes(ChangeNumber * 7919L + Id.Length));

    /// <summary>
    /// The occurrences of a series (or the single instance) as wall-clock starts in the event's zone, in order, up to
    /// <paramref name="limit"/>. Patterns: daily, weekly (days of week, first day of week, interval), absoluteMonthly,
    /// relativeMonthly, absoluteYearly; ranges endDate (inclusive), numbered and noEnd.
    /// </summary>
    public IEnumerable<DateTime> OccurrenceStarts(int limit = 1_000)
    {
        if (Recurrence is not { } rule)
        {
            yield return Start;
            yield break;
        }

        var produced = 0;
        var time = Start.TimeOfDay;
        var last = rule.RangeType == "endDate" ? rule.EndDate : null;
        var maxCount = rule.RangeType == "numbered" ? rule.NumberOfOccurrences : int.MaxValue;
        foreach (var date in CandidateDates(rule))
        {
            if (produced >= limit || produced >= maxCount || (last is { } end && date > end))
            {
                yield break;
            }

            if (date < rule.StartDate)
            {
                continue;
            }

            produced++;
            yield return date.ToDateTime(TimeOnly.FromTimeSpan(time));
        }
    }

    private static IEnumerable<DateOnly> CandidateDates(SandboxRecurrence rule)
    {
        var start = rule.StartDate;
        var horizon = start.AddYears(10);
        switch (rule.PatternType)
        {
            case "daily":
                for (var day = start; day <= horizon; day = day.AddDays(rule.Interval))
                {
                    yield return day;
                }

                break;
            case "weekly":
                var offset = ((int)start.DayOfWeek - (int)rule.FirstDayOfWeek + 7) % 7;
                var weekStart = start.AddDays(-offset);
                var ordered = rule.DaysOfWeek.Select(d => ((int)d - (int)rule.FirstDayOfWeek + 7) % 7).Order().ToList();
                for (var week = weekStart; week <= horizon; week = week.AddDays(7 * rule.Interval))
                {
                    foreach (var dayOffset in ordered)
                    {
                        yield return week.AddDays(dayOffset);
                    }
                }

                break;
            case "absoluteMonthly":
                for (var month = new DateOnly(start.Year, start.Month, 1); month <= horizon; month = month.AddMonths(rule.Interval))
                {
                    if (rule.DayOfMonth <= DateTime.DaysInMonth(month.Year, month.Month))
                    {
                        yield return new DateOnly(month.Year, month.Month, rule.DayOfMonth);
                    }
                }

                break;
            case "relativeMonthly":
                for (var month = new DateOnly(start.Year, start.Month, 1); month <= horizon; month = month.AddMonths(rule.Interval))
                {
                    var matches = Enumerable.Range(0, DateTime.DaysInMonth(month.Year, month.Month))
                        .Select(month.AddDays)
                        .Where(d => rule.DaysOfWeek.Contains(d.DayOfWeek))
                        .ToList();
                    var pick = rule.Index switch
                    {
                        "second" => matches.Skip(1).Take(1),
                        "third" => matches.Skip(2).Take(1),
                        "fourth" => matches.Skip(3).Take(1),
                        "last" => matches.TakeLast(1),
                        _ => matches.Take(1),
                    };
                    foreach (var day in pick)
                    {
                        yield return day;
                    }
                }

                break;
            case "absoluteYearly":
                for (var year = start.Year; year <= horizon.Year; year += rule.Interval)
                {
                    if (rule.DayOfMonth <= DateTime.DaysInMonth(year, rule.Month))
                    {
                        yield return new DateOnly(year, rule.Month, rule.DayOfMonth);
                    }
                }

                break;
            default:
                yield break;
        }
    }

    public static string FormatDateTime(DateTime value) =>
        value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
}

/// <summary>A mail the sandbox accepted through sendMail.</summary>
public sealed class SandboxMessage
{
    public required string Id { get; init; }
    public required string InternetMessageId { get; init; }
    public required string Sender { get; init; }
    public required DateTimeOffset SentAt { get; init; }

    /// <summary>When it shows in the sender's Sent Items (Exchange writes it after transport).</summary>
    public required DateTimeOffset VisibleInSentItemsAt { get; init; }

    public string Subject { get; init; } = string.Empty;
    public string BodyContentType { get; init; } = "html";
    public string BodyContent { get; init; } = string.Empty;
    public IReadOnlyList<SandboxAttendee> To { get; init; } = [];
    public IReadOnlyList<SandboxAttendee> Cc { get; init; } = [];
    public IReadOnlyList<SandboxAttendee> Bcc { get; init; } = [];
    public IReadOnlyList<SandboxAttendee> ReplyTo { get; init; } = [];
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> ExtendedProperties { get; init; } = new Dictionary<string, string>();

    [JsonIgnore]
    public IEnumerable<string> Recipients => To.Concat(Cc).Concat(Bcc).Select(r => r.Address);
}

/// <summary>
/// A fault to inject: the next <see cref="Count"/> requests (to one mailbox or any) get this answer. With
/// <see cref="AfterExecution"/> the request is carried out first and only its answer is replaced (a lost response).
/// </summary>
public sealed record SandboxFault(
    int Status,
    string Code,
    string Message,
    int Count = 1,
    int? RetryAfterSeconds = null,
    string? Mailbox = null,
    bool AfterExecution = false);
