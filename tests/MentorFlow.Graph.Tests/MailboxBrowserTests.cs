using MentorFlow.Graph.Gateway;
using MentorFlow.Graph.Model;
using MentorFlow.Graph.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MentorFlow.Graph.Tests;

/// <summary>
/// The mailbox view as a manager uses it, in Debian Chromium: sign in on the sandbox, open a participant's mailbox,
/// open a link from a mail (a new tab), switch to the calendar and walk a pair's recurring check-ins by month and week.
/// </summary>
public sealed class MailboxBrowserTests : IAsyncLifetime
{
    // The manager looks on Tuesday 10 March 2026, a week into the pair's fortnightly check-ins.
    private SandboxBrowser _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxBrowser.StartAsync(SandboxBrowser.TuesdayMorning);

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Manager_OpensAMailLinkInANewTab_ThenSeesThePairsFortnightlyCheckInsOnTheCalendar()
    {
        var formLink = new Uri(_sandbox.Server.Origin, "sandbox/sign-in?returnUrl=/").ToString();
        var created = await _sandbox.SendAsync(
            new CreateSeriesOperation("s", "series", new SeriesRequest(
                Requests.Invite(start: new DateTime(2026, 3, 2, 9, 0, 0), subject: "Mentoring check-in: Ann & Ben"),
                RecurrenceCadence.EveryTwoWeeks, new DateOnly(2026, 6, 30))),
            new CreateEventOperation("k", "kickoff", Requests.Invite(start: new DateTime(2026, 3, 4, 16, 0, 0), subject: "Kick-off <with> the programme team")),
            new SendMailOperation("m", "mail", new MailRequest([new EmailContact("mentee@contoso.test", "Ann")], "Please confirm your match",
                $"<p>Hello Ann,</p><p>Please <a href=\"{formLink}\" target=\"_self\">confirm your match</a>.</p><script>document.body.textContent='hacked'</script>")));
        await _sandbox.SendAsync(new CancelEventOperation("c", "cancel", created["k"].Event!.EventId, "Moved to the first check-in"));

        // The sandbox's address, as the AppHost prints it: sign in with the manager key, then the list of mailboxes.
        var page = await _sandbox.SignInAsync();
        var context = _sandbox.Context;
        await page.GetByRole(AriaRole.Link, new() { Name = "mentee@contoso.test", Exact = true }).ClickAsync();

        // The mail: its link opens in a new tab, the mail frame stays on the mail, its script never ran.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mailbox of mentee@contoso.test" })).ToBeVisibleAsync();
        await page.GetByText("Please confirm your match").ClickAsync();
        var frame = page.FrameLocator("iframe[title='Mail: Please confirm your match']");
        await Assertions.Expect(frame.GetByText("Hello Ann,")).ToBeVisibleAsync();
        await BrowserShots.SaveAsync(page, "sandbox-02-mailbox");
        var tab = await context.RunAndWaitForPageAsync(() => frame.GetByRole(AriaRole.Link, new() { Name = "confirm your match" }).ClickAsync());
        await tab.WaitForLoadStateAsync();
        Assert.Equal(formLink, tab.Url);
        await Assertions.Expect(tab.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the Graph sandbox" })).ToBeVisibleAsync();
        await tab.CloseAsync();
        await Assertions.Expect(frame.GetByText("Hello Ann,")).ToBeVisibleAsync();
        Assert.DoesNotContain("hacked", await page.ContentAsync(), StringComparison.Ordinal);

        // The calendar: this month holds the check-ins of 2, 16 and 30 March and the cancelled kick-off, struck through.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Views of mentee@contoso.test" }).GetByRole(AriaRole.Link, new() { Name = "Calendar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "March 2026" })).ToBeVisibleAsync();
        var checkIns = page.Locator(".sb-day:not(.sb-outside) .sb-entry.sb-series", new() { HasText = "Mentoring check-in: Ann & Ben" });
        await Assertions.Expect(checkIns).ToHaveCountAsync(3);
        foreach (var day in new[] { "Monday 2 March 2026", "Monday 16 March 2026", "Monday 30 March 2026" })
        {
            await Assertions.Expect(page.GetByLabel(day).GetByText("Mentoring check-in: Ann & Ben")).ToBeVisibleAsync();
        }

        var kickoff = page.GetByLabel("Wednesday 4 March 2026").Locator(".sb-entry.cancelled");
        await Assertions.Expect(kickoff).ToContainTextAsync("Kick-off <with> the programme team");
        Assert.Equal("line-through", await kickoff.Locator(".sb-subject").EvaluateAsync<string>("e => getComputedStyle(e).textDecorationLine"));
        await BrowserShots.SaveAsync(page, "sandbox-03-calendar-month");

        // Next month, then the week view of 13 April; the series ends on 30 June (22 June is its last occurrence).
        await page.GetByRole(AriaRole.Link, new() { Name = "Next month" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "April 2026" })).ToBeVisibleAsync();
        await Assertions.Expect(checkIns).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Link, new() { Name = "Week", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Week of 30 March 2026" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Next week" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Next week" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Week of 13 April 2026" })).ToBeVisibleAsync();
        var weekCheckIns = page.Locator(".sb-wk-slots .sb-wk-event.sb-series", new() { HasText = "Mentoring check-in: Ann & Ben" });
        await Assertions.Expect(weekCheckIns).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "09:00–09:30 Mentoring check-in: Ann & Ben, Room 1, Monday 13 April 2026, series" })).ToBeVisibleAsync();
        await BrowserShots.SaveAsync(page, "sandbox-04-calendar-week");
        await page.GetByRole(AriaRole.Link, new() { Name = "Month", Exact = true }).ClickAsync();
        for (var i = 0; i < 2; i++)
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Next month" }).ClickAsync();
        }

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "June 2026" })).ToBeVisibleAsync();
        await Assertions.Expect(checkIns).ToHaveCountAsync(2); // 8 and 22 June
        await page.GetByRole(AriaRole.Link, new() { Name = "Next month" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "July 2026" })).ToBeVisibleAsync();
        await Assertions.Expect(checkIns).ToHaveCountAsync(0);

        _sandbox.AssertNoScriptRanAndNothingFailed();
    }
}
