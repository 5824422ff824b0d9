using System.Globalization;

namespace MentorFlow.Graph.Sandbox.Pages;

/// <summary>A mail in a person's list (newest first); an HTML body is shown from its own framed document.</summary>
public sealed record MailItem(
    string Id,
    string Subject,
    string From,
    string To,
    string? ReplyTo,
    DateTimeOffset SentAt,
    bool IsHtml,
    string Text)
{
    public static MailItem Of(SandboxMessage mail) => new(
        mail.Id,
        mail.Subject,
        mail.Sender,
        string.Join(", ", mail.To.Select(r => r.Address)),
        mail.ReplyTo.Count == 0 ? null : string.Join(", ", mail.ReplyTo.Select(r => r.Address)),
        mail.SentAt,
        string.Equals(mail.BodyContentType, "html", StringComparison.OrdinalIgnoreCase),
        mail.BodyContent);
}

/// <summary>An invitation in a person's list: one row per invite or series, as Outlook's inbox shows it.</summary>
public sealed record InviteItem(
    string Id,
    string Subject,
    string Organizer,
    DateTime Start,
    DateTime End,
    string TimeZone,
    string? Recurrence,
    string? Location,
    string? JoinUrl,
    string Attendees,
    bool IsCancelled,
    string? CancellationComment,
    bool IsAllDay = false)
{
    /// <summary>"Mon 2 Mar 2026 09:00 – 09:30", the end's day too when it is another, or "Fri 13 Mar 2026, all day".</summary>
    public string When => IsAllDay
        ? (End.Date.AddDays(-1) > Start.Date ? $"{Weekday(Start)} – {Weekday(End.AddDays(-1))}, all day" : $"{Weekday(Start)}, all day")
        : $"{Stamp(Start)} – " + (End.Date == Start.Date ? End.ToString("HH:mm", CultureInfo.InvariantCulture) : Stamp(End));

    /// <summary>
    /// The invite's page (<see cref="SandboxPaths.Event"/>) opened on its first meeting in the invite's own zone, the
    /// day and zone this list shows it in (no zone when the invite's is unknown: the person's then).
    /// </summary>
    public string Page(string address) =>
        SandboxPaths.Event(address, Id, DateOnly.FromDateTime(Start), Model.GraphTimeZones.TryFind(TimeZone, out _) ? TimeZone : null);

    public static InviteItem Of(SandboxEvent item) => new(
        item.Id,
        item.Subject,
        item.Mailbox,
        item.Start,
        item.End,
        Model.GraphTimeZones.TryFromGraph(item.TimeZone, out var iana) ? iana : item.TimeZone,
        item.Recurrence is { } rule ? Describe(rule) : null,
        item.Location,
        item.JoinUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var join) && join.Scheme == Uri.UriSchemeHttps ? url : null,
        string.Join(", ", item.Attendees.Select(a => a.Address)),
        item.IsCancelled,
        item.CancellationComment,
        item.IsAllDay);

    /// <summary>"Every 2 weeks on Monday, from 2 Mar 2026 until 30 Apr 2026", as Outlook words a series.</summary>
    public static string Describe(SandboxRecurrence rule)
    {
        var every = rule.Interval <= 1 ? null : rule.Interval.ToString(CultureInfo.InvariantCulture);
        var days = string.Join(", ", rule.DaysOfWeek.Select(d => d.ToString()));
        var pattern = rule.PatternType switch
        {
            "daily" => every is null ? "Every day" : $"Every {every} days",
            "weekly" => (every is null ? "Every week" : $"Every {every} weeks") + $" on {days}",
            "absoluteMonthly" => (every is null ? "Every month" : $"Every {every} months") + $" on day {rule.DayOfMonth}",
            "relativeMonthly" => (every is null ? "Every month" : $"Every {every} months") + $" on the {rule.Index} {days}",
            "absoluteYearly" => $"Every year on {new DateOnly(2000, Math.Clamp(rule.Month, 1, 12), 1).ToString("MMMM", CultureInfo.InvariantCulture)} {rule.DayOfMonth}",
            _ => rule.PatternType,
        };
        var range = rule.RangeType switch
        {
            "endDate" when rule.EndDate is { } end => $" until {Day(end)}",
            "numbered" => $", {rule.NumberOfOccurrences} times",
            _ => string.Empty,
        };
        return $"{pattern}, from {Day(rule.StartDate)}{range}";
    }

    public static string Day(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private static string Weekday(DateTime value) => value.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);

    public static string Stamp(DateTime value) => value.ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture);
}
