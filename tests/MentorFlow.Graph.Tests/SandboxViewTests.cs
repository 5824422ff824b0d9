using System.Net;
using Ical.Net;
using MentorFlow.Graph.Gateway;
using MentorFlow.Graph.Model;
using MentorFlow.Graph.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Graph.Tests;

/// <summary>The mailbox view pages and the .ics download, over HTTP.</summary>
public sealed class SandboxViewTests : IAsyncLifetime
{
    private SandboxServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync();
        _http = _server.CreateManagerHttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private async Task SendAsync(params GraphOperation[] operations) =>
        await _server.CreateGateway().ExecuteAsync(SandboxServer.Organizer, operations, CancellationToken.None);

    [Fact]
    public async Task MailboxView_ShowsTheParticipantsInvitesSeriesAndMails()
    {
        var first = Requests.Invite(start: new DateTime(2026, 3, 2, 9, 0, 0), subject: "Fortnightly check-in");
        await SendAsync(
            new CreateSeriesOperation("s", "series", new SeriesRequest(first, RecurrenceCadence.EveryTwoWeeks, new DateOnly(2026, 4, 30))),
            new CreateEventOperation("k", "kickoff", Requests.Invite(subject: "Kick-off <call>")),
            new SendMailOperation("m", "mail", Requests.Mail() with { Subject = "Your resources" }));

        var page = await _http.GetStringAsync(new Uri(_server.Origin, "mailbox/mentee%40contoso.test"));

        Assert.Equal(1, CountOf(page, "<summary>Fortnightly check-in</summary>")); // one row for the series, as Outlook's inbox
        Assert.Contains("Every 2 weeks on Monday, from 2 Mar 2026 until 30 Apr 2026", page, StringComparison.Ordinal);
        Assert.Contains("Kick-off &lt;call&gt;", page, StringComparison.Ordinal);
        Assert.Contains("Your resources", page, StringComparison.Ordinal);
        Assert.Contains("Reply to: programme@contoso.test", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/mailbox/mentee%40contoso.test/calendar\"", page, StringComparison.Ordinal);
        var index = await _http.GetStringAsync(_server.Origin);
        Assert.Contains("/mailbox/mentee%40contoso.test", index, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calendar_ShowsEveryOccurrenceOfAFortnightlySeries_MonthByMonth()
    {
        var first = Requests.Invite(start: new DateTime(2026, 3, 2, 9, 0, 0), subject: "Fortnightly check-in");
        await SendAsync(new CreateSeriesOperation("s", "series", new SeriesRequest(first, RecurrenceCadence.EveryTwoWeeks, new DateOnly(2026, 4, 30))));

        var march = await _http.GetStringAsync(new Uri(_server.Origin, "mailbox/mentee%40contoso.test/calendar?view=month&date=2026-03-10"));
        var april = await _http.GetStringAsync(new Uri(_server.Origin, "mailbox/mentee%40contoso.test/calendar?view=month&date=2026-04-01"));
        var week = await _http.GetStringAsync(new Uri(_server.Origin, "mailbox/mentee%40contoso.test/calendar?view=week&date=2026-03-17"));
        var may = await _http.GetStringAsync(new Uri(_server.Origin, "mailbox/mentee%40contoso.test/calendar?view=month&date=2026-05-01"));

        Assert.Equal(3, CountOf(march, ">Fortnightly check-in<")); // 2, 16, 30 March
        Assert.Contains("aria-label=\"Monday 16 March 2026\"", march, StringComparison.Ordinal);
        Assert.Equal(3, CountOf(april, ">Fortnightly check-in<")); // 30 March (the grid's first week, greyed), 13, 27 April
        Assert.Contains("aria-label=\"Monday 27 April 2026\"", april, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(week, ">Fortnightly check-in<")); // the week of 16 March
        Assert.Contains("09:00–09:30", WebUtility.HtmlDecode(week), StringComparison.Ordinal);
        Assert.Equal(1, CountOf(may, ">Fortnightly check-in<")); // only 27 April, in the grid's first (greyed) week
        Assert.Contains("<td class=\"sb-day sb-outside\" aria-label=\"Monday 27 April 2026\">", may, StringComparison.Ordinal);
        Assert.Contains("Times in Europe/Berlin", march, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("view=year", "view")]
    [InlineData("date=2026-13-40", "date")]
    [InlineData("zone=Mars%2FOlympus", "zone")]
    public async Task Calendar_WithABadQuery_Is400NamingTheField(string query, string field)
    {
        using var response = await _http.GetAsync(new Uri(_server.Origin, $"mailbox/mentee%40contoso.test/calendar?{query}"));
        var problem = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"\"{field}\"", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MailboxView_BeforeAnythingIsSent_SaysSoInsteadOfAnEmptyList()
    {
        var index = await _http.GetStringAsync(_server.Origin);
        Assert.Contains("Nothing has been sent here yet", index, StringComparison.Ordinal);

        var page = await _http.GetStringAsync(new Uri(_server.Origin, "mailbox/nobody%40contoso.test"));
        Assert.Contains("No invites for this mailbox.", page, StringComparison.Ordinal);
        Assert.Contains("No mail for this mailbox.", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/\">All mailboxes</a>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MailboxIndex_CountsInvitesAndMailsPerMailbox()
    {
        await SendAsync(
            new CreateEventOperation("k", "kickoff", Requests.Invite(subject: "Kick-off")),
            new SendMailOperation("m", "mail", Requests.Mail() with { Subject = "Your resources" }));

        var index = await _http.GetStringAsync(_server.Origin);

        Assert.Matches("mentee%40contoso.test\">mentee@contoso.test</a></td><td>1</td><td>1</td>", index);
    }

    [Fact]
    public async Task MailboxView_MarksACancelledInvite()
    {
        var created = await _server.CreateGateway().ExecuteAsync(SandboxServer.Organizer,
            [new CreateEventOperation("k", "kickoff", Requests.Invite(subject: "Kick-off"))], CancellationToken.None);
        await SendAsync(new CancelEventOperation("c", "cancel", created["k"].Event!.EventId, "Pair closed"));

        var page = await _http.GetStringAsync(new Uri(_server.Origin, "mailbox/mentor%40contoso.test"));

        Assert.Contains("class=\"cancelled\"", page, StringComparison.Ordinal);
        Assert.Contains("Cancelled: Pair closed", page, StringComparison.Ordinal);
        var calendar = await _http.GetStringAsync(new Uri(_server.Origin, "mailbox/mentor%40contoso.test/calendar?view=week&date=2026-03-02"));
        Assert.Contains("class=\"sb-wk-event cancelled sb-y9 sb-h2 sb-x1 sb-w12 sb-short\"", calendar, StringComparison.Ordinal);
        Assert.Contains(">Cancelled<", calendar, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MailboxWeekViewAndInvitePage_EncodeHostileSubjectsLocationsAndNames_InTextAndInTheirLinks()
    {
        const string subject = "</a><script>alert('s')</script><b title=\"x\">";
        var invite = Requests.Invite(start: new DateTime(2026, 3, 3, 10, 0, 0), subject: subject) with
        {
            Location = "\"><img src=x onerror=alert('l')>",
            Attendees = [new EmailContact("mentee@contoso.test", "<svg onload=alert('n')>")],
            HtmlBody = "<p>Hi</p><script>alert('b')</script>",
        };
        var created = await _server.CreateGateway().ExecuteAsync(SandboxServer.Organizer, [new CreateEventOperation("k", "kickoff", invite)], CancellationToken.None);
        var id = Uri.EscapeDataString(created["k"].Event!.EventId);

        var week = await _http.GetStringAsync(new Uri(_server.Origin, "mailbox/mentee%40contoso.test/calendar?view=week&date=2026-03-03"));
        var details = await _http.GetStringAsync(new Uri(_server.Origin, $"mailbox/mentee%40contoso.test/events/{id}?date=2026-03-03"));
        var mailbox = await _http.GetStringAsync(new Uri(_server.Origin, "mailbox/mentee%40contoso.test"));

        foreach (var page in new[] { week, details, mailbox })
        {
            Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<svg", page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<b title", page, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;alert(&#x27;s&#x27;)&lt;/script&gt;", page, StringComparison.Ordinal);
        }

        // In attributes too: the link's name and title hold the subject and location as they are, without ending the attribute.
        var link = Assert.Single(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(week).QuerySelectorAll(".sb-wk-slots a"));
        Assert.Equal($"10:00–10:30 {subject}, {invite.Location}, Tuesday 3 March 2026", link.GetAttribute("aria-label"));
        Assert.Equal($"10:00–10:30 {subject} · {invite.Location}", link.GetAttribute("title"));
        Assert.Equal(["href", "title", "aria-label"], link.Attributes.Select(a => a.Name));
        var invitation = Assert.Single(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(mailbox).QuerySelectorAll("table a[aria-label]"));
        Assert.Equal($"Tue 3 Mar 2026 10:00 – 10:30 {subject}", invitation.GetAttribute("aria-label"));
        Assert.Equal($"/mailbox/mentee%40contoso.test/events/{id}?date=2026-03-03&zone=Europe%2FBerlin", invitation.GetAttribute("href"));
        Assert.Equal(["href", "aria-label"], invitation.Attributes.Select(a => a.Name));
        Assert.Equal("Tue 3 Mar 2026 10:00 – 10:30", invitation.TextContent);
        var linked = await _http.GetStringAsync(new Uri(_server.Origin, invitation.GetAttribute("href")));
        Assert.Contains("<h1>&lt;/a&gt;&lt;script&gt;", linked, StringComparison.Ordinal);
        Assert.Contains("3 Mar 2026, 10:00–10:30 <span class=\"sb-meta\">(Europe/Berlin)</span>", WebUtility.HtmlDecode(linked), StringComparison.Ordinal);
        Assert.Contains("<h1>&lt;/a&gt;&lt;script&gt;", details, StringComparison.Ordinal);
        Assert.Contains($"src=\"/mailbox/mentee%40contoso.test/events/{id}/body\"", details, StringComparison.Ordinal); // the body only in its frame
        Assert.DoesNotContain("alert('b')", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calendar_WithoutADate_OpensOnTodayInThePersonsZone()
    {
        // Sunday 15 March 23:30 UTC is already Monday 16 March in Berlin, the zone of the person's invites.
        await using var server = await SandboxServer.StartAsync(clock: new FakeTimeProvider(new DateTimeOffset(2026, 3, 15, 23, 30, 0, TimeSpan.Zero)));
        await server.CreateGateway().ExecuteAsync(SandboxServer.Organizer,
            [new CreateEventOperation("k", "kickoff", Requests.Invite(start: new DateTime(2026, 3, 16, 9, 0, 0)))], CancellationToken.None);
        using var http = server.CreateManagerHttpClient();

        var week = WebUtility.HtmlDecode(await http.GetStringAsync(new Uri(server.Origin, "mailbox/mentee%40contoso.test/calendar?view=week")));
        var inUtc = WebUtility.HtmlDecode(await http.GetStringAsync(new Uri(server.Origin, "mailbox/mentee%40contoso.test/calendar?view=week&zone=UTC")));

        Assert.Contains("Week of 16 March 2026", week, StringComparison.Ordinal);
        Assert.Contains("Monday 16 March 2026, today", week, StringComparison.Ordinal);
        Assert.Contains("Week of 9 March 2026", inUtc, StringComparison.Ordinal);
        Assert.Contains("Sunday 15 March 2026, today", inUtc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeekView_DrawsTheNowLineOnTodayAtTheTimeInThePersonsZone_NotOnOtherWeeks_NorAfterTheLastHour()
    {
        // Tuesday 10 March 09:07 UTC is 10:07 in Berlin, the zone of the person's invites.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 9, 7, 0, TimeSpan.Zero));
        await using var server = await SandboxServer.StartAsync(clock: clock);
        await server.CreateGateway().ExecuteAsync(SandboxServer.Organizer,
            [new CreateEventOperation("k", "kickoff", Requests.Invite(start: new DateTime(2026, 3, 10, 10, 0, 0)))], CancellationToken.None);
        using var http = server.CreateManagerHttpClient();
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        async Task<AngleSharp.Html.Dom.IHtmlDocument> WeekAsync(string query) =>
            parser.ParseDocument(await http.GetStringAsync(new Uri(server.Origin, $"mailbox/mentee%40contoso.test/calendar?view=week{query}")));

        var berlin = await WeekAsync("");
        var line = Assert.Single(berlin.QuerySelectorAll(".sb-wk-now"));
        Assert.Equal("sb-wk-now sb-y13 sb-m7", line.ClassName); // 12 quarter hours after 07:00, 7 minutes into the 13th
        Assert.Equal("day-20260310", line.Closest("section")!.GetAttribute("aria-labelledby"));
        Assert.Equal("true", line.ParentElement!.GetAttribute("aria-hidden"));
        Assert.Contains("sb-hours14", line.ParentElement.ClassList);
        Assert.Equal("sb-wk-now sb-y9 sb-m7", Assert.Single((await WeekAsync("&zone=UTC")).QuerySelectorAll(".sb-wk-now")).ClassName);

        var next = berlin.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var nextWeek = parser.ParseDocument(await http.GetStringAsync(new Uri(server.Origin, next)));
        Assert.Contains("Week of 16 March 2026", nextWeek.QuerySelector("h2")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(nextWeek.QuerySelectorAll(".sb-wk-now"));
        Assert.Empty((await WeekAsync("&date=2026-03-03")).QuerySelectorAll(".sb-wk-now"));

        // 20:59 in Berlin is the grid's last minute; at 21:00 the line is gone, not pinned to the bottom.
        clock.SetUtcNow(new DateTimeOffset(2026, 3, 10, 19, 59, 0, TimeSpan.Zero));
        Assert.Equal("sb-wk-now sb-y56 sb-m14", Assert.Single((await WeekAsync("")).QuerySelectorAll(".sb-wk-now")).ClassName);
        clock.Advance(TimeSpan.FromMinutes(1));
        var evening = await WeekAsync("");
        Assert.Contains("Tuesday 10 March 2026, today", evening.QuerySelector("#day-20260310")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(evening.QuerySelectorAll(".sb-wk-now"));
    }

    [Fact]
    public async Task InvitePage_OfAnUnknownInvite_IsNotFound_AndABadDateIs400NamingIt()
    {
        var created = await _server.CreateGateway().ExecuteAsync(SandboxServer.Organizer, [new CreateEventOperation("k", "kickoff", Requests.Invite())], CancellationToken.None);
        var id = Uri.EscapeDataString(created["k"].Event!.EventId);

        using var unknown = await _http.GetAsync(new Uri(_server.Origin, "mailbox/mentee%40contoso.test/events/nope?date=2026-03-02"));
        using var stranger = await _http.GetAsync(new Uri(_server.Origin, $"mailbox/stranger%40contoso.test/events/{id}"));
        using var badDate = await _http.GetAsync(new Uri(_server.Origin, $"mailbox/mentee%40contoso.test/events/{id}?date=02.03.2026"));
        using var badZone = await _http.GetAsync(new Uri(_server.Origin, $"mailbox/mentee%40contoso.test/events/{id}?zone=Nowhere"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Contains("\"date\"", await badDate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badZone.StatusCode);
        Assert.Contains("\"zone\"", await badZone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllDayEvent_ThroughTheSdk_IsStoredAsAllDay_AndOneNotAtMidnightIsRefused()
    {
        static Microsoft.Graph.Models.Event AllDay(string start, string end) => new()
        {
            Subject = "Away day",
            IsAllDay = true,
            Start = new Microsoft.Graph.Models.DateTimeTimeZone { DateTime = start, TimeZone = "Europe/Berlin" },
            End = new Microsoft.Graph.Models.DateTimeTimeZone { DateTime = end, TimeZone = "Europe/Berlin" },
        };
        var events = _server.Client.Users[SandboxServer.Organizer].Events;

        var created = await events.PostAsync(AllDay("2026-03-13T00:00:00", "2026-03-14T00:00:00"));
        var refused = await Assert.ThrowsAsync<Microsoft.Graph.Models.ODataErrors.ODataError>(() => events.PostAsync(AllDay("2026-03-13T09:00:00", "2026-03-14T00:00:00")));

        Assert.True(created!.IsAllDay);
        Assert.True(Assert.Single(await _server.Sandbox.EventsAsync()).IsAllDay);
        Assert.Equal(400, refused.ResponseStatusCode);
        Assert.Contains("all-day", refused.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IcsDownload_OfASeries_HasTheUidAttendeesAndWeeklyRule()
    {
        var first = Requests.Invite(start: new DateTime(2026, 3, 4, 17, 0, 0), timeZone: "America/New_York", subject: "Check-in");
        var created = await _server.CreateGateway().ExecuteAsync(SandboxServer.Organizer,
            [new CreateSeriesOperation("s", "series", new SeriesRequest(first, RecurrenceCadence.Weekly, new DateOnly(2026, 5, 27)))],
            CancellationToken.None);
        var stored = Assert.Single(await _server.Sandbox.EventsAsync());

        using var response = await _http.GetAsync(new Uri(_server.Origin,
            $"mailbox/mentee%40contoso.test/events/{Uri.EscapeDataString(created["s"].Event!.EventId)}.ics"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
        var calendar = Calendar.Load(text)!;
        var item = Assert.Single(calendar.Events);
        Assert.Equal(stored.ICalUId, item.Uid);
        Assert.Equal("Check-in", item.Summary);
        Assert.Equal(2, item.Attendees.Count);
        Assert.Equal("America/New_York", item.DtStart!.TzId);
        Assert.Contains("RRULE:FREQ=WEEKLY", text, StringComparison.Ordinal);
        Assert.Contains("BYDAY=WE", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IcsDownload_ForSomeoneNotInvited_IsNotFound()
    {
        var created = await _server.CreateGateway().ExecuteAsync(SandboxServer.Organizer,
            [new CreateEventOperation("k", "kickoff", Requests.Invite())], CancellationToken.None);

        using var response = await _http.GetAsync(new Uri(_server.Origin,
            $"mailbox/stranger%40contoso.test/events/{Uri.EscapeDataString(created["k"].Event!.EventId)}.ics"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task FaultEndpoint_InjectsA503WithRetryAfterForTheNextRequest()
    {
        using var injected = await _http.PostAsync(new Uri(_server.Origin, "sandbox/faults"), new StringContent(
            "{\"status\":503,\"code\":\"ServiceUnavailable\",\"message\":\"Busy.\",\"count\":1,\"retryAfterSeconds\":3}",
            System.Text.Encoding.UTF8, "application/json"));
        using var rejected = await _http.PostAsync(new Uri(_server.Origin, "sandbox/faults"), new StringContent(
            "{\"status\":200,\"code\":\"Ok\",\"message\":\"\",\"count\":1}", System.Text.Encoding.UTF8, "application/json"));

        var results = await _server.CreateGateway().ExecuteAsync(SandboxServer.Organizer,
            [new CreateEventOperation("k", "kickoff", Requests.Invite())], CancellationToken.None);

        Assert.Equal(HttpStatusCode.Accepted, injected.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal(503, results["k"].StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), results["k"].RetryAfter);
        Assert.Empty(await _server.Sandbox.EventsAsync());
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
