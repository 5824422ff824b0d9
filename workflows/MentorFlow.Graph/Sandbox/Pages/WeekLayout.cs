using System.Globalization;

namespace MentorFlow.Graph.Sandbox.Pages;

/// <summary>
/// Outlook's week view as a grid of 7 day columns and quarter-hour rows: each meeting starts on the row of its start
/// and spans its duration (at least one row), meetings that overlap share their day's width side by side, all-day
/// meetings and those lasting a day or more sit in a band above the hours, a meeting across midnight shows on both
/// days. The hours shown are 07:00–21:00, widened to the week's earliest start and latest end. Placement is given as
/// CSS classes (the pages' policy forbids inline style): rows <c>sb-y{n}</c>/<c>sb-h{n}</c> (1-based start, span) and
/// columns <c>sb-x{n}</c>/<c>sb-w{n}</c> out of <see cref="Columns"/>. When the week holds today, a line marks the
/// current time on today's column (<see cref="WeekColumn.NowLine"/>): the row of its quarter hour and <c>sb-m{n}</c>, the
/// minute within it; outside the hours shown there is no line (pinned to the grid's edge it would show a wrong time).
/// Bounded: at most <see cref="MaxLanes"/> meetings side by side and <see cref="MaxAllDay"/> per day in the band; the
/// others are counted in a "more" box that links to the list of them below the grid.
/// </summary>
public sealed record WeekLayout(int FirstHour, int LastHour, IReadOnlyList<WeekColumn> Days, IReadOnlyList<WeekOverflow> Overflow)
{
    public const int SlotMinutes = 15;
    public const int SlotsPerHour = 60 / SlotMinutes;
    public const int SlotsPerDay = 24 * SlotsPerHour;

    /// <summary>Columns a day is divided into (1, 2, 3 or 4 lanes share it evenly).</summary>
    public const int Columns = 12;

    /// <summary>Meetings side by side at most; with more, the last lane holds the "more" box.</summary>
    public const int MaxLanes = 4;

    /// <summary>All-day meetings shown per day at most; with more, the last place holds the "more" link.</summary>
    public const int MaxAllDay = 3;

    public const int DefaultFirstHour = 7;
    public const int DefaultLastHour = 21;

    /// <summary>The hours labelled on the grid's edge.</summary>
    public IEnumerable<WeekHour> Hours => Enumerable.Range(FirstHour, LastHour - FirstHour)
        .Select(hour => new WeekHour(hour, $"sb-y{(hour - FirstHour) * SlotsPerHour + 1} sb-h{SlotsPerHour}"));

    /// <summary>The class giving a day's hour area its number of rows.</summary>
    public string RowsClass => $"sb-hours{LastHour - FirstHour}";

    /// <summary>
    /// Places <paramref name="entries"/> (occurrences in the shown zone) on the week starting <paramref name="first"/>;
    /// <paramref name="now"/> is the current wall-clock time in that zone (its day is today).
    /// </summary>
    public static WeekLayout Build(DateOnly first, DateTime now, IEnumerable<CalendarEntry> entries)
    {
        var today = DateOnly.FromDateTime(now);
        var dates = Enumerable.Range(0, 7).Select(first.AddDays).ToArray();
        var band = dates.ToDictionary(d => d, _ => new List<CalendarEntry>());
        var timed = dates.ToDictionary(d => d, _ => new List<Segment>());
        foreach (var entry in entries)
        {
            foreach (var date in dates.Where(d => Touches(entry, d)))
            {
                if (entry.InAllDayBand)
                {
                    band[date].Add(entry);
                }
                else
                {
                    timed[date].Add(Segment.Of(entry, date));
                }
            }
        }

        var segments = timed.Values.SelectMany(s => s).ToList();
        var firstHour = Math.Min(DefaultFirstHour, segments.Count == 0 ? DefaultFirstHour : segments.Min(s => s.StartSlot) / SlotsPerHour);
        var lastHour = Math.Max(DefaultLastHour, segments.Count == 0 ? DefaultLastHour : (segments.Max(s => s.EndSlot) + SlotsPerHour - 1) / SlotsPerHour);
        var offset = firstHour * SlotsPerHour;
        var nowMinute = now.Hour * 60 + now.Minute;
        var nowLine = nowMinute >= firstHour * 60 && nowMinute < lastHour * 60
            ? $"sb-y{(nowMinute / SlotMinutes) - offset + 1} sb-m{nowMinute % SlotMinutes}"
            : null;
        var overflow = new List<WeekOverflow>();
        var days = new List<WeekColumn>();
        foreach (var date in dates)
        {
            var allDay = band[date].OrderBy(e => e.Start).ThenByDescending(e => e.End).ThenBy(e => e.Subject, StringComparer.Ordinal).ToList();
            var shownAllDay = allDay.Count <= MaxAllDay ? allDay : allDay.Take(MaxAllDay - 1).ToList();
            WeekMore? moreAllDay = null;
            if (shownAllDay.Count < allDay.Count)
            {
                var hidden = allDay.Skip(shownAllDay.Count).ToList();
                var anchor = $"more-{date:yyyyMMdd}-all-day";
                overflow.Add(new WeekOverflow(anchor, $"{Long(date)}, all day", hidden.Select(e => new WeekEvent(e, date, Label(e), "")).ToList()));
                moreAllDay = new WeekMore(anchor, hidden.Count, $"{hidden.Count} more all-day on {Long(date)}", "");
            }

            var boxes = new List<WeekEvent>();
            var mores = new List<WeekMore>();
            foreach (var cluster in Clusters(timed[date]))
            {
                var lanes = Lanes(cluster);
                var laneCount = lanes.Max(l => l.Lane) + 1;
                var width = Columns / Math.Min(laneCount, MaxLanes);
                var hidden = new List<Segment>();
                foreach (var (segment, lane) in lanes)
                {
                    if (laneCount > MaxLanes && lane >= MaxLanes - 1)
                    {
                        hidden.Add(segment);
                        continue;
                    }

                    boxes.Add(new WeekEvent(segment.Entry, date, Label(segment.Entry),
                        Place(segment.StartSlot - offset, segment.EndSlot - segment.StartSlot, lane * width, width)));
                }

                if (hidden.Count > 0)
                {
                    var from = hidden.Min(s => s.StartSlot);
                    var to = hidden.Max(s => s.EndSlot);
                    var anchor = $"more-{date:yyyyMMdd}-{Clock(from)[..2]}{Clock(from)[3..]}";
                    overflow.Add(new WeekOverflow(anchor, $"{Long(date)}, {Clock(from)}–{Clock(to)}",
                        hidden.OrderBy(s => s.Entry.Start).ThenBy(s => s.Entry.Subject, StringComparer.Ordinal)
                            .Select(s => new WeekEvent(s.Entry, date, Label(s.Entry), "")).ToList()));
                    mores.Add(new WeekMore(anchor, hidden.Count, $"{hidden.Count} more on {Long(date)} from {Clock(from)} to {Clock(to)}",
                        Place(from - offset, to - from, (MaxLanes - 1) * width, width)));
                }
            }

            days.Add(new WeekColumn(date, date == today, shownAllDay.Select(e => new WeekEvent(e, date, Label(e), "")).ToList(), moreAllDay,
                boxes.OrderBy(b => b.Entry.Start).ThenBy(b => b.Entry.Subject, StringComparer.Ordinal).ToList(), mores,
                date == today ? nowLine : null));
        }

        return new WeekLayout(firstHour, lastHour, days, overflow);
    }

    /// <summary>"09:00–09:30", "Mon 22:00 – Tue 01:00" across midnight, "All day" or "All day, 2 Mar – 4 Mar".</summary>
    public static string Label(CalendarEntry entry)
    {
        if (entry.IsAllDay)
        {
            var lastDay = DateOnly.FromDateTime(entry.End.AddDays(-1));
            return lastDay <= DateOnly.FromDateTime(entry.Start) ? "All day" : $"All day, {Short(DateOnly.FromDateTime(entry.Start))} – {Short(lastDay)}";
        }

        return entry.Start.Date == entry.End.Date || (entry.End == entry.Start.Date.AddDays(1) && entry.End > entry.Start)
            ? $"{Time(entry.Start)}–{(entry.End == entry.Start.Date.AddDays(1) ? "24:00" : Time(entry.End))}"
            : $"{Day(entry.Start)} {Time(entry.Start)} – {Day(entry.End)} {Time(entry.End)}";
    }

    public static string Long(DateOnly date) => date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Short(DateOnly date) => date.ToString("d MMM", CultureInfo.InvariantCulture);

    private static string Day(DateTime value) => value.ToString("ddd", CultureInfo.InvariantCulture);

    private static string Time(DateTime value) => value.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Clock(int slot) => $"{slot / SlotsPerHour:00}:{slot % SlotsPerHour * SlotMinutes:00}";

    /// <summary>The placement classes; <c>sb-short</c> for one or two rows (time and subject on one line).</summary>
    private static string Place(int row, int rows, int column, int columns) =>
        $"sb-y{row + 1} sb-h{rows} sb-x{column + 1} sb-w{columns}" + (rows <= 2 ? " sb-short" : "");

    /// <summary>Whether the entry shows on <paramref name="date"/>: it runs into the day, or (0 minutes) starts on it.</summary>
    private static bool Touches(CalendarEntry entry, DateOnly date)
    {
        var dayStart = date.ToDateTime(TimeOnly.MinValue);
        var dayEnd = dayStart.AddDays(1);
        return entry.End > entry.Start ? entry.Start < dayEnd && entry.End > dayStart : entry.Start >= dayStart && entry.Start < dayEnd;
    }

    /// <summary>Runs of segments that overlap one another (directly or through others), each in start order.</summary>
    private static IEnumerable<List<Segment>> Clusters(List<Segment> segments)
    {
        var cluster = new List<Segment>();
        var end = int.MinValue;
        foreach (var segment in segments.OrderBy(s => s.StartSlot).ThenByDescending(s => s.EndSlot).ThenBy(s => s.Entry.Start).ThenBy(s => s.Entry.Subject, StringComparer.Ordinal))
        {
            if (cluster.Count > 0 && segment.StartSlot >= end)
            {
                yield return cluster;
                cluster = [];
            }

            cluster.Add(segment);
            end = Math.Max(end, segment.EndSlot);
        }

        if (cluster.Count > 0)
        {
            yield return cluster;
        }
    }

    /// <summary>Each segment in the first lane free at its start (lanes ends kept), as Outlook places them.</summary>
    private static List<(Segment Segment, int Lane)> Lanes(List<Segment> cluster)
    {
        var laneEnds = new List<int>();
        var placed = new List<(Segment, int)>(cluster.Count);
        foreach (var segment in cluster)
        {
            var lane = laneEnds.FindIndex(end => end <= segment.StartSlot);
            if (lane < 0)
            {
                lane = laneEnds.Count;
                laneEnds.Add(segment.EndSlot);
            }
            else
            {
                laneEnds[lane] = segment.EndSlot;
            }

            placed.Add((segment, lane));
        }

        return placed;
    }

    /// <summary>The part of an entry on one day, in quarter-hour slots of that day (end exclusive, at least one slot).</summary>
    private sealed record Segment(CalendarEntry Entry, int StartSlot, int EndSlot)
    {
        public static Segment Of(CalendarEntry entry, DateOnly date)
        {
            var dayStart = date.ToDateTime(TimeOnly.MinValue);
            var startMinutes = Math.Max(0, (entry.Start - dayStart).TotalMinutes);
            var endMinutes = Math.Min(24 * 60, (entry.End - dayStart).TotalMinutes);
            var startSlot = Math.Min(SlotsPerDay - 1, (int)Math.Floor(startMinutes / SlotMinutes));
            var endSlot = Math.Clamp((int)Math.Ceiling(endMinutes / SlotMinutes), startSlot + 1, SlotsPerDay);
            return new Segment(entry, startSlot, endSlot);
        }
    }
}

/// <summary>An hour label of the grid's edge and its row classes.</summary>
public sealed record WeekHour(int Hour, string Classes)
{
    public string Text => $"{Hour:00}:00";
}

/// <summary>
/// A day column: its all-day band (and "more" link), its placed meetings in start order, its "more" boxes, and on today
/// within the hours shown the placement of the current-time line (<c>sb-y{n} sb-m{n}</c>; none otherwise).
/// </summary>
public sealed record WeekColumn(
    DateOnly Date,
    bool IsToday,
    IReadOnlyList<WeekEvent> AllDay,
    WeekMore? MoreAllDay,
    IReadOnlyList<WeekEvent> Events,
    IReadOnlyList<WeekMore> More,
    string? NowLine = null)
{
    public string Id => $"day-{Date:yyyyMMdd}";

    public string Heading => WeekLayout.Long(Date);
}

/// <summary>A meeting shown on a day: its time label (<see cref="WeekLayout.Label"/>) and placement classes.</summary>
public sealed record WeekEvent(CalendarEntry Entry, DateOnly Date, string Time, string Classes);

/// <summary>"N more" in place of the meetings that do not fit, linking to their list (<see cref="Anchor"/>).</summary>
public sealed record WeekMore(string Anchor, int Count, string Name, string Classes);

/// <summary>Meetings of one slot or band that did not fit on the grid, listed below it.</summary>
public sealed record WeekOverflow(string Anchor, string Heading, IReadOnlyList<WeekEvent> Events);
