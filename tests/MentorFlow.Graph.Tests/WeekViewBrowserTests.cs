using MentorFlow.Graph.Gateway;
using MentorFlow.Graph.Model;
using MentorFlow.Graph.Tests.Infrastructure;
using Microsoft.Graph.Models;
using Microsoft.Playwright;

namespace MentorFlow.Graph.Tests;

/// <summary>
/// The calendar's week view as a manager uses it, in Debian Chromium: from the sandbox's front page to a participant's
/// calendar, the week's hourly grid (meetings at their hours, overlapping ones side by side, an all-day band), the
/// weekly check-in in each following week, an invite opened from the grid, and the same week on a phone-sized screen;
/// the line at the current time on today's column.
/// </summary>
public sealed class WeekViewBrowserTests : IAsyncLifetime
{
    // The manager looks on Tuesday 10 March 2026.
    private SandboxBrowser _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxBrowser.StartAsync(SandboxBrowser.TuesdayMorning);

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Manager_ClicksThroughToTheWeek_SeesMeetingsAtTheirHoursAndTheWeeklyCheckInEveryWeek()
    {
        await _sandbox.SendAsync(
            new CreateSeriesOperation("s", "series", new SeriesRequest(
                Requests.Invite(start: new DateTime(2026, 3, 9, 9, 0, 0), subject: "Mentoring check-in: Ann & Ben"),
                RecurrenceCadence.Weekly, new DateOnly(2026, 6, 30))),
            new CreateEventOperation("k", "kickoff", Requests.Invite(start: new DateTime(2026, 3, 11, 14, 0, 0), minutes: 90,
                subject: "Kick-off <img src=x onerror=alert(1)>")),
            new CreateEventOperation("o", "overlap", Requests.Invite(start: new DateTime(2026, 3, 11, 14, 30, 0), minutes: 30, subject: "Mentor briefing")),
            new CreateEventOperation("l", "late", Requests.Invite(start: new DateTime(2026, 3, 12, 22, 0, 0), minutes: 180, subject: "Night shift hand-over")));
        await _sandbox.Server.Client.Users[SandboxServer.Organizer].Events.PostAsync(new Event
        {
            Subject = "Programme away day",
            IsAllDay = true,
            Start = new DateTimeTimeZone { DateTime = "2026-03-13T00:00:00", TimeZone = "Europe/Berlin" },
            End = new DateTimeTimeZone { DateTime = "2026-03-14T00:00:00", TimeZone = "Europe/Berlin" },
            Attendees = [new Attendee { EmailAddress = new EmailAddress { Address = "mentee@contoso.test" }, Type = AttendeeType.Required }],
        });

        // The sandbox's address, as the AppHost prints it: sign in, the mailboxes, the person, their calendar, the week.
        var page = await _sandbox.SignInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "mentee@contoso.test", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Views of mentee@contoso.test" }).GetByRole(AriaRole.Link, new() { Name = "Calendar" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Week", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Week of 9 March 2026" })).ToBeVisibleAsync();

        // Each meeting's top is on its hour's line and its height is its duration; the two Wednesday ones share the day.
        var hour = await HourHeightAsync(page);
        var checkIn = Meeting(page, "09:00–09:30 Mentoring check-in: Ann & Ben");
        var kickoff = Meeting(page, "14:00–15:30 Kick-off <img src=x onerror=alert(1)>");
        var briefing = Meeting(page, "14:30–15:00 Mentor briefing");
        await Assertions.Expect(checkIn).ToHaveCountAsync(1);
        var checkInBox = await BoxAsync(checkIn);
        var kickoffBox = await BoxAsync(kickoff);
        var briefingBox = await BoxAsync(briefing);
        Assert.InRange(checkInBox.Y - await HourTopAsync(page, "09:00"), -2, 3);
        Assert.InRange(kickoffBox.Y - await HourTopAsync(page, "14:00"), -2, 3);
        Assert.InRange(briefingBox.Y - await HourTopAsync(page, "14:00") - hour / 2, -2, 3);
        Assert.InRange(kickoffBox.Height, 1.5 * hour - 4, 1.5 * hour + 1);
        Assert.InRange(checkInBox.Height, 0.5 * hour - 4, 0.5 * hour + 1);
        Assert.True(briefingBox.X >= kickoffBox.X + kickoffBox.Width - 1, "overlapping meetings side by side");
        var wednesday = await BoxAsync(page.Locator("section.sb-wk-day", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Wednesday 11 March 2026" }) }));
        Assert.InRange(kickoffBox.Width + briefingBox.Width, wednesday.Width * 0.85, wednesday.Width);

        // Across midnight: Thursday from 22:00 to the end of the grid, Friday from its top; the all-day meeting in the band.
        var night = Meeting(page, "Thu 22:00 – Fri 01:00 Night shift hand-over");
        await Assertions.Expect(night).ToHaveCountAsync(2);
        Assert.InRange((await BoxAsync(night.Nth(1))).Y - await HourTopAsync(page, "00:00"), -2, 3);
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "All day on Friday 13 March 2026" })
            .GetByRole(AriaRole.Link, new() { Name = "All day Programme away day" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tuesday 10 March 2026, today" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Meetings on Saturday 14 March 2026" })).ToHaveCountAsync(0); // empty: not announced
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Saturday 14 March 2026" }).GetByRole(AriaRole.List)).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "All day Programme away day" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Fri 13 Mar 2026, all day (Europe/Berlin)", new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("13 Mar 2026, All day", new() { Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the week of 9 Mar 2026" }).ClickAsync();
        await BrowserShots.SaveAsync(page, "sandbox-05-week-grid");

        // By keyboard: from the link before the grid, Tab reaches Monday's check-in first, its focus ring shown whole.
        await page.GetByRole(AriaRole.Link, new() { Name = "Go to the first meeting" }).FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.StartsWith("09:00–09:30 Mentoring check-in: Ann & Ben, Room 1, Monday 9 March 2026",
            await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('aria-label')"), StringComparison.Ordinal);
        Assert.Equal("-3px", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineOffset"));
        await BrowserShots.SaveAsync(page, "sandbox-05b-week-focus");

        // The weekly check-in is on Monday at 09:00 in each following week.
        foreach (var monday in new[] { "Monday 16 March 2026", "Monday 23 March 2026" })
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Next week" }).ClickAsync();
            var inWeek = page.GetByRole(AriaRole.List, new() { Name = $"Meetings on {monday}" }).GetByRole(AriaRole.Link, new() { Name = "09:00–09:30 Mentoring check-in: Ann & Ben" });
            await Assertions.Expect(inWeek).ToHaveCountAsync(1);
            Assert.InRange((await BoxAsync(inWeek)).Y - await HourTopAsync(page, "09:00"), -2, 3);
        }

        // Back to this week through "Today", then the check-in opens its invite; the invite leads back to its week.
        await page.GetByRole(AriaRole.Link, new() { Name = "Today", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Week of 9 March 2026" })).ToBeVisibleAsync();
        await checkIn.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mentoring check-in: Ann & Ben", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Every week on Monday, from 9 Mar 2026 until 30 Jun 2026")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("9 Mar 2026, 09:00–09:30")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Download .ics" })).ToBeVisibleAsync();
        await Assertions.Expect(page.FrameLocator("iframe[title='Invitation: Mentoring check-in: Ann & Ben']").GetByText("Welcome to the programme")).ToBeVisibleAsync();
        await BrowserShots.SaveAsync(page, "sandbox-06-week-invite");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the week of 9 Mar 2026" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Week of 9 March 2026" })).ToBeVisibleAsync();

        // On a phone: one day after another, meetings in start order, nothing wider than the screen.
        await page.SetViewportSizeAsync(390, 844);
        var monday9 = await BoxAsync(page.Locator("section.sb-wk-day").Nth(0));
        var tuesday10 = await BoxAsync(page.Locator("section.sb-wk-day").Nth(1));
        Assert.True(tuesday10.Y >= monday9.Y + monday9.Height - 1, "days stack on a narrow screen");
        Assert.InRange(tuesday10.X - monday9.X, -1, 1);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling");
        await Assertions.Expect(kickoff).ToBeVisibleAsync();
        await BrowserShots.SaveAsync(page, "sandbox-07-week-narrow");
        await kickoff.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Kick-off <img src=x onerror=alert(1)>", Level = 1 })).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling on the invite");
        await Assertions.Expect(page.GetByText("11 Mar 2026, 14:00–15:30 (Europe/Berlin)", new() { Exact = true })).ToBeVisibleAsync();
        await BrowserShots.SaveAsync(page, "sandbox-09-invite-narrow");

        _sandbox.AssertNoScriptRanAndNothingFailed();
    }

    [Fact]
    public async Task CrowdedSlot_ShowsThreeMeetingsAndAMoreBox_ThatLeadsToTheOthersListedOnce()
    {
        for (var batch = 0; batch < 5; batch++)
        {
            await _sandbox.SendAsync(Enumerable.Range(batch * 20 + 1, 20)
                .Select(i => (GraphOperation)new CreateEventOperation($"m{i}", $"m{i}", Requests.Invite(start: new DateTime(2026, 3, 11, 10, 0, 0), subject: $"Speed meeting {i:000}")))
                .ToArray());
        }

        var page = await _sandbox.SignInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Calendar of mentee@contoso.test" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Week", Exact = true }).ClickAsync();

        var wednesday = page.GetByRole(AriaRole.List, new() { Name = "Meetings on Wednesday 11 March 2026" });
        await Assertions.Expect(wednesday.GetByRole(AriaRole.Link)).ToHaveCountAsync(4);
        var more = wednesday.GetByRole(AriaRole.Link, new() { Name = "97 more on Wednesday 11 March 2026 from 10:00 to 10:30" });
        await Assertions.Expect(more).ToHaveTextAsync("+97 more");
        var day = await BoxAsync(wednesday);
        var moreBox = await BoxAsync(more);
        Assert.True(moreBox.X + moreBox.Width <= day.X + day.Width + 1, "the more box stays inside its day");
        await BrowserShots.SaveAsync(page, "sandbox-08-week-crowded");

        await more.ClickAsync();
        Assert.EndsWith("#more-20260311-1000", page.Url, StringComparison.Ordinal);
        var listed = page.GetByRole(AriaRole.Region, new() { Name = "More meetings this week" }).GetByRole(AriaRole.Link);
        await Assertions.Expect(listed).ToHaveCountAsync(97);
        await Assertions.Expect(listed.First).ToHaveAccessibleNameAsync("10:00–10:30 Speed meeting 004, Room 1, Wednesday 11 March 2026");
        _sandbox.AssertNoScriptRanAndNothingFailed();
    }

    [Fact]
    public async Task NowLine_CrossesTodayAtTheCurrentMinute_LetsClicksThrough_FollowsTheClock_AndIsOnlyOnThisWeek()
    {
        // 13:40 UTC is 14:40 in Berlin: the line crosses Tuesday's 14:00–15:30 workshop.
        _sandbox.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 10, 13, 40, 0, TimeSpan.Zero));
        await _sandbox.SendAsync(new CreateEventOperation("w", "workshop", Requests.Invite(start: new DateTime(2026, 3, 10, 14, 0, 0), minutes: 90, subject: "Mentor workshop")));

        var page = await _sandbox.SignInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Calendar of mentee@contoso.test" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Week", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Week of 9 March 2026" })).ToBeVisibleAsync();

        var line = page.Locator(".sb-wk-now");
        await Assertions.Expect(line).ToHaveCountAsync(1);
        var hour = await HourHeightAsync(page);
        var box = await BoxAsync(line);
        Assert.InRange(box.Y + box.Height / 2 - (await HourTopAsync(page, "14:00") + hour * 40 / 60), -1.5, 1.5);
        var tuesday = await BoxAsync(page.Locator("section.sb-wk-day", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Tuesday 10 March 2026, today" }) }));
        Assert.InRange(box.X - tuesday.X, -1, 3);
        Assert.InRange(box.Width, tuesday.Width - 4, tuesday.Width);
        await BrowserShots.SaveAsync(page, "sandbox-12-week-now-line");

        // A click on the line reaches the workshop beneath it.
        await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mentor workshop", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the week of 9 Mar 2026" }).ClickAsync();

        // 45 minutes later (within the sign-in's hour) the page shows it at 15:25; next week has none.
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(45));
        await page.ReloadAsync();
        box = await BoxAsync(line);
        Assert.InRange(box.Y + box.Height / 2 - (await HourTopAsync(page, "15:00") + hour * 25 / 60), -1.5, 1.5);
        await page.GetByRole(AriaRole.Link, new() { Name = "Next week" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Week of 16 March 2026" })).ToBeVisibleAsync();
        await Assertions.Expect(line).ToHaveCountAsync(0);

        // On a phone the days are lists without hours: no line.
        await page.GetByRole(AriaRole.Link, new() { Name = "Today", Exact = true }).ClickAsync();
        await page.SetViewportSizeAsync(390, 844);
        await Assertions.Expect(line).ToHaveCountAsync(1);
        await Assertions.Expect(line).ToBeHiddenAsync();
        _sandbox.AssertNoScriptRanAndNothingFailed();
    }

    private static ILocator Meeting(IPage page, string name) =>
        page.Locator(".sb-wk-slots").GetByRole(AriaRole.Link, new() { Name = name });

    private static async Task<LocatorBoundingBoxResult> BoxAsync(ILocator locator) =>
        await locator.BoundingBoxAsync() ?? throw new InvalidOperationException("The element is not shown.");

    private static async Task<float> HourTopAsync(IPage page, string hour) =>
        (await BoxAsync(page.Locator(".sb-wk-hour", new() { HasText = hour }))).Y;

    private static async Task<float> HourHeightAsync(IPage page) =>
        (await BoxAsync(page.Locator(".sb-wk-hour", new() { HasText = "12:00" }))).Height;
}
