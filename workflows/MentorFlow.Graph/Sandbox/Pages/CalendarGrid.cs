using System.Globalization;
using MentorFlow.Graph.Model;

namespace MentorFlow.Graph.Sandbox.Pages;

/// <summary>Week (7 days) or month (the weeks that cover it) of a person's calendar.</summary>
public enum CalendarSpan
{
    Week,
    Month,
}

/// <summary>
/// One occurrence placed on the grid, in the zone the grid is shown in (an all-day event keeps its dates: Outlook
/// shows it on the same days in every zone). <see cref="End"/> is the occurrence's own end converted on its own, so a
/// meeting across a daylight-saving change ends at the wall-clock time it really ends.
/// </summary>
public sealed record CalendarEntry(
    string EventId,
    string Subject,
    DateTime Start,
    DateTime End,
    string Organizer,
    string? Location,
    bool IsSeries,
    bool IsCancelled,
    bool IsAllDay = false)
{
    /// <summary>Whether the week view shows it in the all-day band: an all-day event or one lasting a day or more.</summary>
    public bool InAllDayBand => IsAllDay || End - Start >= TimeSpan.FromDays(1);
}

/// <summary>A day of the grid with its occurrences in start order.</summary>
public sealed record CalendarDay(DateOnly Date, bool InPeriod, bool IsToday, IReadOnlyList<CalendarEntry> Entries);

/// <summary>
/// What Outlook's calendar shows a person for a week or a month: every invite they organize or attend, a series
/// expanded into its occurrences (at most <see cref="MaxOccurrencesPerEvent"/> per series), shown in one time zone
/// (<see cref="ZoneId"/>); cancelled invites stay on the grid, marked, as Outlook keeps them until removed.
/// </summary>
public sealed record CalendarGrid(
    string Address,
    CalendarSpan Span,
    DateOnly Anchor,
    DateOnly First,
    DateOnly Last,
    DateOnly Previous,
    DateOnly Next,
    DateOnly Today,
    string ZoneId,
    IReadOnlyList<IReadOnlyList<CalendarDay>> Weeks,
    DateOnly? FirstInvite,
    WeekLayout? Week = null)
{
    public const int MaxOccurrencesPerEvent = 500;

    /// <summary>The occurrences shown in the period.</summary>
    public int Count => Weeks.Sum(week => week.Where(day => day.InPeriod).Sum(day => day.Entries.Count));

    public string Heading => Span == CalendarSpan.Week
        ? $"Week of {First.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}"
        : Anchor.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>
    /// Builds the grid of <paramref name="span"/> around <paramref name="anchor"/> for <paramref name="address"/>;
    /// <paramref name="now"/> is the current wall-clock time in the shown zone (<see cref="ShownZone"/>).
    /// </summary>
    public static CalendarGrid Build(string address, IReadOnlyList<SandboxEvent> events, CalendarSpan span, DateOnly anchor, DateTime now, string? zoneId)
    {
        var today = DateOnly.FromDateTime(now);
        var (zone, zoneLabel) = ShownZone(events, zoneId);
        DateOnly first, last, previous, next;
        if (span == CalendarSpan.Week)
        {
            first = StartOfWeek(anchor);
            last = first.AddDays(6);
            previous = anchor.AddDays(-7);
            next = anchor.AddDays(7);
        }
        else
        {
            var monthStart = new DateOnly(anchor.Year, anchor.Month, 1);
            first = StartOfWeek(monthStart);
            last = StartOfWeek(monthStart.AddMonths(1).AddDays(-1)).AddDays(6);
            previous = monthStart.AddMonths(-1);
            next = monthStart.AddMonths(1);
        }

        var from = first.ToDateTime(TimeOnly.MinValue);
        var to = last.AddDays(1).ToDateTime(TimeOnly.MinValue);
        DateOnly? firstInvite = null;
        var byDay = new Dictionary<DateOnly, List<CalendarEntry>>();
        var overlapping = new List<CalendarEntry>();
        foreach (var item in events)
        {
            foreach (var entry in Occurrences(item, zone))
            {
                var day = DateOnly.FromDateTime(entry.Start);
                if (!item.IsCancelled && (firstInvite is null || day < firstInvite))
                {
                    firstInvite = day;
                }

                if (entry.Start >= to)
                {
                    break;
                }

                if (entry.End > from || (entry.End == from && entry.Start == from))
                {
                    overlapping.Add(entry);
                }

                if (entry.Start < from)
                {
                    continue;
                }

                if (!byDay.TryGetValue(day, out var list))
                {
                    byDay[day] = list = [];
                }

                list.Add(entry);
            }
        }

        var weeks = new List<IReadOnlyList<CalendarDay>>();
        for (var weekStart = first; weekStart <= last; weekStart = weekStart.AddDays(7))
        {
            weeks.Add(Enumerable.Range(0, 7).Select(weekStart.AddDays).Select(date => new CalendarDay(
                date,
                span == CalendarSpan.Week || date.Month == anchor.Month,
                date == today,
                byDay.TryGetValue(date, out var entries) ? entries.OrderBy(e => e.Start).ThenBy(e => e.Subject, StringComparer.Ordinal).ToList() : [])).ToList());
        }

        var week = span == CalendarSpan.Week ? WeekLayout.Build(first, now, overlapping) : null;
        return new CalendarGrid(address, span, anchor, first, last, previous, next, today, zoneLabel, weeks, firstInvite, week);
    }

    /// <summary>
    /// The zone a person's calendar is shown in: <paramref name="zoneId"/> when asked for, else the zone of their
    /// latest invite, else UTC; with its IANA name.
    /// </summary>
    public static (TimeZoneInfo Zone, string Label) ShownZone(IReadOnlyList<SandboxEvent> events, string? zoneId)
    {
        var zoneName = zoneId ?? events.LastOrDefault()?.TimeZone;
        var zone = zoneName is not null && GraphTimeZones.TryFind(zoneName, out var found) ? found : TimeZoneInfo.Utc;
        var label = zone == TimeZoneInfo.Utc ? "UTC" : (GraphTimeZones.TryFromGraph(zoneName!, out var iana) ? iana : zoneName!);
        return (zone, label);
    }

    /// <summary>
    /// The occurrences of <paramref name="item"/> (at most <see cref="MaxOccurrencesPerEvent"/>) in start order, in
    /// <paramref name="zone"/>; an all-day event keeps its dates.
    /// </summary>
    public static IEnumerable<CalendarEntry> Occurrences(SandboxEvent item, TimeZoneInfo zone)
    {
        var duration = item.End - item.Start;
        foreach (var start in item.OccurrenceStarts(MaxOccurrencesPerEvent))
        {
            var (shownStart, shownEnd) = item.IsAllDay
                ? (start, start + duration)
                : (Shown(start, item.Zone, zone), Shown(start + duration, item.Zone, zone));
            yield return new CalendarEntry(item.Id, item.Subject, shownStart, shownEnd, item.Mailbox, item.Location,
                item.Recurrence is not null, item.IsCancelled, item.IsAllDay);
        }
    }

    private static DateTime Shown(DateTime wallClock, TimeZoneInfo from, TimeZoneInfo to) =>
        TimeZoneInfo.ConvertTime(GraphTimeZones.ToUtc(wallClock, from), to).DateTime;

    /// <summary>Monday of the week holding <paramref name="date"/> (Outlook's default for most locales).</summary>
    public static DateOnly StartOfWeek(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
}
