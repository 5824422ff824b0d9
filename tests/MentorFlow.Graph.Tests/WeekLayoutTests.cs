using MentorFlow.Graph.Sandbox;
using MentorFlow.Graph.Sandbox.Pages;

namespace MentorFlow.Graph.Tests;

/// <summary>
/// The week view's layout (<see cref="WeekLayout"/> through <see cref="CalendarGrid.Build"/>): rows of quarter hours
/// from 07:00 (row 1) unless the week starts earlier, 12 columns per day shared by overlapping meetings, the
/// current-time line on today within the hours shown.
/// </summary>
public sealed class WeekLayoutTests
{
    private static readonly DateOnly Monday = new(2026, 3, 9);
    private static int _ids;

    [Fact]
    public void Meeting_StartsOnTheRowOfItsStart_AndSpansItsDuration()
    {
        var week = Week([Event("Check-in", new DateTime(2026, 3, 9, 9, 0, 0), minutes: 90)]);

        Assert.Equal((7, 21), (week.FirstHour, week.LastHour));
        var placed = Assert.Single(week.Days[0].Events);
        Assert.Equal("sb-y9 sb-h6 sb-x1 sb-w12", placed.Classes); // 09:00 is 8 quarter hours after 07:00
        Assert.Equal("09:00–10:30", placed.Time);
        Assert.All(week.Days.Skip(1), day => Assert.Empty(day.Events));
        Assert.Equal("sb-hours14", week.RowsClass);
        Assert.Equal(["07:00", "08:00"], week.Hours.Take(2).Select(h => h.Text));
    }

    [Fact]
    public void Week_WidensItsHours_ToTheEarliestStartAndLatestEnd()
    {
        var week = Week(
        [
            Event("Early", new DateTime(2026, 3, 10, 6, 15, 0), minutes: 30),
            Event("Late", new DateTime(2026, 3, 12, 21, 30, 0), minutes: 40),
        ]);

        Assert.Equal((6, 23), (week.FirstHour, week.LastHour)); // 22:10 ends in the 22:00 hour
        Assert.Equal("sb-y2 sb-h2 sb-x1 sb-w12 sb-short", Assert.Single(week.Days[1].Events).Classes);
        Assert.Equal("sb-y63 sb-h3 sb-x1 sb-w12", Assert.Single(week.Days[3].Events).Classes); // 21:30–22:15 in quarter hours
    }

    [Fact]
    public void OverlappingMeetings_ShareTheDaySideBySide_AndAMeetingAfterThemHasTheWholeWidth()
    {
        var week = Week(
        [
            Event("A", new DateTime(2026, 3, 11, 9, 0, 0), minutes: 60),
            Event("B", new DateTime(2026, 3, 11, 9, 30, 0), minutes: 60),
            Event("C", new DateTime(2026, 3, 11, 10, 0, 0), minutes: 60),
            Event("D", new DateTime(2026, 3, 11, 12, 0, 0), minutes: 30),
        ]);

        var classes = week.Days[2].Events.ToDictionary(e => e.Entry.Subject, e => e.Classes);
        Assert.Equal("sb-y9 sb-h4 sb-x1 sb-w6", classes["A"]);
        Assert.Equal("sb-y11 sb-h4 sb-x7 sb-w6", classes["B"]);
        Assert.Equal("sb-y13 sb-h4 sb-x1 sb-w6", classes["C"]); // A's lane is free again at 10:00
        Assert.Equal("sb-y21 sb-h2 sb-x1 sb-w12 sb-short", classes["D"]);
        Assert.Empty(week.Overflow);
    }

    [Fact]
    public void MeetingAcrossMidnight_ShowsOnBothDays_WithTheWholeTimeInItsLabel()
    {
        var week = Week(
        [
            Event("Night", new DateTime(2026, 3, 12, 22, 0, 0), minutes: 180),
            Event("From last week", new DateTime(2026, 3, 8, 23, 0, 0), minutes: 90),
            Event("Into next week", new DateTime(2026, 3, 15, 23, 30, 0), minutes: 60),
        ]);

        Assert.Equal((0, 24), (week.FirstHour, week.LastHour));
        var thursday = Assert.Single(week.Days[3].Events);
        var friday = Assert.Single(week.Days[4].Events);
        Assert.Equal("sb-y89 sb-h8 sb-x1 sb-w12", thursday.Classes); // 22:00 to 24:00
        Assert.Equal("sb-y1 sb-h4 sb-x1 sb-w12", friday.Classes); // 00:00 to 01:00
        Assert.Equal("Thu 22:00 – Fri 01:00", friday.Time);
        Assert.Equal("sb-y1 sb-h2 sb-x1 sb-w12 sb-short", Assert.Single(week.Days[0].Events).Classes);
        Assert.Equal("sb-y95 sb-h2 sb-x1 sb-w12 sb-short", Assert.Single(week.Days[6].Events).Classes);
    }

    [Fact]
    public void AllDayMeetings_AndThoseOfADayOrMore_SitInTheBandOfEveryDayTheyCover_OnTheirOwnDatesInAnyZone()
    {
        var awayDay = Event("Away days", new DateTime(2026, 3, 12, 0, 0, 0), minutes: 2 * 24 * 60);
        awayDay.IsAllDay = true;
        var grid = CalendarGrid.Build("mentee@contoso.test",
            [awayDay, Event("Retreat", new DateTime(2026, 3, 9, 12, 0, 0), minutes: 25 * 60)],
            CalendarSpan.Week, Monday, Monday.ToDateTime(TimeOnly.MinValue), "America/New_York");
        var week = grid.Week!;

        Assert.Equal(["Away days"], week.Days[3].AllDay.Select(e => e.Entry.Subject)); // Thursday 12 in New York too
        Assert.Equal(["Away days"], week.Days[4].AllDay.Select(e => e.Entry.Subject));
        Assert.Equal("All day, 12 Mar – 13 Mar", week.Days[3].AllDay[0].Time);
        Assert.Empty(week.Days[5].AllDay);
        Assert.Equal("Mon 07:00 – Tue 08:00", Assert.Single(week.Days[0].AllDay).Time); // 12:00 Berlin is 07:00 in New York
        Assert.Single(week.Days[1].AllDay);
        Assert.All(week.Days, day => Assert.Empty(day.Events));
    }

    [Fact]
    public void DaylightSavingWeek_InTheShownZone_MovesAUtcSeriesByAnHour_AndKeepsALocalSeriesOnItsHour()
    {
        var dstMonday = new DateOnly(2026, 3, 23); // Europe/Berlin moves to summer time on Sunday 29 March 02:00
        var utcDaily = Event("UTC stand-up", new DateTime(2026, 3, 23, 8, 0, 0), minutes: 15, zone: "UTC", daily: true);
        var berlinDaily = Event("Berlin check-in", new DateTime(2026, 3, 23, 9, 0, 0), minutes: 15, daily: true);
        var acrossTheGap = Event("Across the gap", new DateTime(2026, 3, 29, 0, 30, 0), minutes: 120, zone: "UTC");

        var week = CalendarGrid.Build("mentee@contoso.test", [utcDaily, berlinDaily, acrossTheGap], CalendarSpan.Week, dstMonday, dstMonday.ToDateTime(TimeOnly.MinValue), "Europe/Berlin").Week!;

        Assert.Equal(1, week.FirstHour);
        var saturday = week.Days[5].Events.ToDictionary(e => e.Entry.Subject, e => e.Time);
        var sunday = week.Days[6].Events.ToDictionary(e => e.Entry.Subject, e => e.Time);
        Assert.Equal("09:00–09:15", saturday["UTC stand-up"]);
        Assert.Equal("10:00–10:15", sunday["UTC stand-up"]);
        Assert.Equal("09:00–09:15", sunday["Berlin check-in"]);
        Assert.Equal("01:30–04:30", sunday["Across the gap"]); // two real hours, the clock skips 02:00–03:00
        Assert.All(week.Days, day => Assert.Contains(day.Events, e => e.Entry.Subject == "Berlin check-in"));
    }

    [Fact]
    public void MeetingOfZeroMinutes_IsShownOnOneRow()
    {
        var week = Week([Event("Reminder", new DateTime(2026, 3, 10, 12, 0, 0), minutes: 0), Event("Last call", new DateTime(2026, 3, 10, 23, 55, 0), minutes: 0)]);

        var placed = week.Days[1].Events.ToDictionary(e => e.Entry.Subject);
        Assert.Equal("sb-y21 sb-h1 sb-x1 sb-w12 sb-short", placed["Reminder"].Classes);
        Assert.Equal("12:00–12:00", placed["Reminder"].Time);
        Assert.Equal(24, week.LastHour);
        Assert.Equal("sb-y68 sb-h1 sb-x1 sb-w12 sb-short", placed["Last call"].Classes); // 23:45 quarter, 17 hours after 07:00
    }

    [Fact]
    public void HundredMeetingsInOneSlot_ShowThreeAndOneMoreBox_TheRestListedOnce()
    {
        var crowd = Enumerable.Range(1, 100).Select(i => Event($"Meeting {i:000}", new DateTime(2026, 3, 11, 10, 0, 0), minutes: 30)).ToList();

        var week = Week(crowd);

        var wednesday = week.Days[2];
        Assert.Equal(3, wednesday.Events.Count);
        Assert.Equal(["sb-x1 sb-w3", "sb-x4 sb-w3", "sb-x7 sb-w3"], wednesday.Events.Select(e => string.Join(' ', e.Classes.Split(' ')[2..4])));
        var more = Assert.Single(wednesday.More);
        Assert.Equal(97, more.Count);
        Assert.Equal("sb-y13 sb-h2 sb-x10 sb-w3 sb-short", more.Classes);
        Assert.Equal("97 more on Wednesday 11 March 2026 from 10:00 to 10:30", more.Name);
        var listed = Assert.Single(week.Overflow);
        Assert.Equal(more.Anchor, listed.Anchor);
        Assert.Equal(97, listed.Events.Count);
        Assert.Equal(100, wednesday.Events.Concat(listed.Events).Select(e => e.Entry.EventId).Distinct().Count());
    }

    [Fact]
    public void FourOverlappingMeetings_AllFit_AndFourAllDayMeetings_ShowTwoAndMore()
    {
        var four = Enumerable.Range(1, 4).Select(i => Event($"M{i}", new DateTime(2026, 3, 13, 15, 0, 0), minutes: 60)).ToList();
        var allDay = Enumerable.Range(1, 4).Select(i => Event($"Day {i}", new DateTime(2026, 3, 13, 0, 0, 0), minutes: 24 * 60)).ToList();
        allDay.ForEach(e => e.IsAllDay = true);

        var week = Week([.. four, .. allDay]);

        Assert.Equal(4, week.Days[4].Events.Count);
        Assert.Empty(week.Days[4].More);
        Assert.Equal(2, week.Days[4].AllDay.Count);
        Assert.Equal(2, week.Days[4].MoreAllDay!.Count);
        Assert.Equal("2 more all-day on Friday 13 March 2026", week.Days[4].MoreAllDay!.Name);
        Assert.Equal(["Day 3", "Day 4"], Assert.Single(week.Overflow).Events.Select(e => e.Entry.Subject));
    }

    [Fact]
    public void NowLine_IsOnTodaysColumnOnly_OnTheRowOfItsQuarterHour_MovedDownByItsMinute()
    {
        var week = Week([Event("Check-in", new DateTime(2026, 3, 10, 10, 0, 0), minutes: 30)], now: new DateTime(2026, 3, 10, 10, 7, 30));

        Assert.Equal("sb-y13 sb-m7", week.Days[1].NowLine); // 10:07 is 12 quarter hours after 07:00 and 7 minutes into the next
        Assert.All(week.Days.Where(d => d.Date != new DateOnly(2026, 3, 10)), day => Assert.Null(day.NowLine));
    }

    [Theory]
    [InlineData(6, 59, null)] // before the grid's first hour: none (drawn on its top edge it would say 07:00)
    [InlineData(7, 0, "sb-y1 sb-m0")]
    [InlineData(20, 59, "sb-y56 sb-m14")]
    [InlineData(21, 0, null)] // the grid's last hour ends at 21:00
    [InlineData(23, 30, null)]
    public void NowLine_IsDrawnOnlyWithinTheHoursShown(int hour, int minute, string? expected)
    {
        var week = Week([], now: new DateTime(2026, 3, 12, hour, minute, 0));

        Assert.Equal(expected, week.Days[3].NowLine);
        Assert.All(week.Days.Where(d => d.Date != new DateOnly(2026, 3, 12)), day => Assert.Null(day.NowLine));
    }

    [Fact]
    public void NowLine_BeforeSeven_IsDrawnWhenAnEarlyMeetingWidensTheWeeksHours()
    {
        var week = Week([Event("Early", new DateTime(2026, 3, 12, 6, 0, 0), minutes: 30)], now: new DateTime(2026, 3, 10, 6, 40, 0));

        Assert.Equal(6, week.FirstHour);
        Assert.Equal("sb-y3 sb-m10", week.Days[1].NowLine);
    }

    [Theory]
    [InlineData(2026, 3, 8)] // the Sunday before
    [InlineData(2026, 3, 16)] // the Monday after
    public void NowLine_IsNotDrawn_WhenTodayIsNotInTheWeek(int year, int month, int day)
    {
        var week = Week([Event("Check-in", new DateTime(2026, 3, 10, 10, 0, 0), minutes: 30)], now: new DateTime(year, month, day, 10, 0, 0));

        Assert.All(week.Days, column => Assert.Null(column.NowLine));
        Assert.All(week.Days, column => Assert.False(column.IsToday));
    }

    private static WeekLayout Week(IReadOnlyList<SandboxEvent> events, DateTime? now = null) =>
        CalendarGrid.Build("mentee@contoso.test", events, CalendarSpan.Week, Monday, now ?? Monday.ToDateTime(TimeOnly.MinValue), "Europe/Berlin").Week!;

    private static SandboxEvent Event(string subject, DateTime start, int minutes, string zone = "Europe/Berlin", bool daily = false)
    {
        var id = Interlocked.Increment(ref _ids);
        return new SandboxEvent
        {
            Id = $"event-{id}",
            ICalUId = $"uid-{id}",
            Mailbox = "organizer@contoso.test",
            CreatedAt = DateTimeOffset.UnixEpoch,
            Subject = subject,
            Start = start,
            End = start.AddMinutes(minutes),
            TimeZone = zone,
            Recurrence = daily
                ? new SandboxRecurrence("daily", 1, [], DayOfWeek.Monday, 0, 0, "first", "numbered", DateOnly.FromDateTime(start), null, 30, zone)
                : null,
        };
    }
}
