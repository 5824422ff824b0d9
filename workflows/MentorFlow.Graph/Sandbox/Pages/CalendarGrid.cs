using System.Globalization;
using MentorFlow.Graph.Model;

namespace MentorFlow.Graph.Sandbox.Pages;

/// <summary>Week (7 days) or month (the weeks that cover it) of a person's calendar.</summary>
public enum CalendarSpan
{
    Week,
    Month,
}

/// <summary>One occurrence placed on the grid, in the zone the grid is shown in.</summary>
public sealed record CalendarEntry(
    string EventId,
    string Subject,
    DateTime Start,
    DateTime End,
    string Organizer,
    string? Location,
    bool IsSeries,
    bool IsCancelled);

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
    DateOnly? FirstInvite)
{
    public const int MaxOccurrencesPerEvent = 500;

    /// <summary>The occurrences shown in the period.</summary>
    public int Count => Weeks.Sum(week => week.Where(day => day.InPeriod).Sum(day => day.Entries.Count));

    public string Heading => Span == CalendarSpan.Week
        ? $"Week of {First.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}"
        : Anchor.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>Builds the grid of <paramref name="span"/> around <paramref name="anchor"/> for <paramref name="address"/>.</summary>
    public static CalendarGrid Build(string address, IReadOnlyList<SandboxEvent> events, CalendarSpan span, DateOnly anchor, DateOnly today, string? zoneId)
    {
        var zoneName = zoneId ?? events.LastOrDefault()?.TimeZone;
        var zone = zoneName is not null && GraphTimeZones.TryFind(zoneName, out var found) ? found : TimeZoneInfo.Utc;
        var zoneLabel = zone == TimeZoneInfo.Utc ? "UTC" : (GraphTimeZones.TryFromGraph(zoneName!, out var iana) ? iana : zoneName!);
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
        foreach (var item in events)
        {
            var duration = item.End - item.Start;
            foreach (var start in item.OccurrenceStarts(MaxOccurrencesPerEvent))
            {
                var shownStart = TimeZoneInfo.ConvertTime(GraphTimeZones.ToUtc(start, item.Zone), zone).DateTime;
                var day = DateOnly.FromDateTime(shownStart);
                if (!item.IsCancelled && (firstInvite is null || day < firstInvite))
                {
                    firstInvite = day;
                }

                if (shownStart >= to)
                {
                    break;
                }

                if (shownStart < from)
                {
                    continue;
                }

                if (!byDay.TryGetValue(day, out var list))
                {
                    byDay[day] = list = [];
                }

                list.Add(new CalendarEntry(item.Id, item.Subject, shownStart, shownStart + duration, item.Mailbox, item.Location,
                    item.Recurrence is not null, item.IsCancelled));
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

        return new CalendarGrid(address, span, anchor, first, last, previous, next, today, zoneLabel, weeks, firstInvite);
    }

    /// <summary>Monday of the week holding <paramref name="date"/> (Outlook's default for most locales).</summary>
    public static DateOnly StartOfWeek(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
}
