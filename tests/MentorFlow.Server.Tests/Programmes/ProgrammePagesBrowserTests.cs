using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MentorFlow.Server.Tests.Programmes;

/// <summary>
/// The manager pages in Debian Chromium against the real server on Kestrel: the programmes list, then a seeded
/// programme's dashboard (shortage banner, metrics, funnel, active pairs, match review with scores, testimonials,
/// incidents, links), on a desktop and on a 375 px phone. Screenshots go to artifacts/screenshots/.
/// </summary>
public sealed class ProgrammePagesBrowserTests : IClassFixture<ProgrammePagesBrowserTests.DashboardServer>
{
    private readonly DashboardServer _server;

    public ProgrammePagesBrowserTests(DashboardServer server) => _server = server;

    /// <summary>The Kestrel server with a platform.csv for the growth figures.</summary>
    public sealed class DashboardServer() : KestrelServer(new Dictionary<string, string?> { ["Dashboard:PlatformCsvPath"] = DashboardSeed.WritePlatformCsv() });

    [Fact]
    public async Task ProgrammePage_OfSeededProgramme_ShowsTheDashboardSectionsAndFigures()
    {
        Browser.RequireChromium();
        using var api = _server.CreateKestrelClient();
        var seed = await DashboardSeed.CreateAsync(_server.Services, api, "Data mentoring (browser)");
        await OfferChoiceAsync(seed.ProgrammeId, "e6", ("m3", 0.72), ("m1", 0.64));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.NewPageAsync(browser, _server, width: 1280, height: 900);
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) =>
        {
            // A CSP refusal (e.g. a style attribute) is only a console error: the page looks right but is not.
            if (message.Type == "error")
            {
                errors.Add($"console error: {message.Text} ({message.Location})");
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !response.Url.EndsWith("/favicon.ico", StringComparison.Ordinal))
            {
                errors.Add($"{response.Status} {response.Request.Method} {response.Url}");
            }
        };

        await page.GotoAsync("/programmes/");
        var link = page.GetByRole(AriaRole.Link, new() { Name = seed.Name });
        await Assertions.Expect(link).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "programmes-01-list");
        await link.ClickAsync();
        await page.WaitForURLAsync($"**/programmes/programme.html?id={seed.ProgrammeId}");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = seed.Name, Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#banner")).ToContainTextAsync("Mentors are short");
        await Assertions.Expect(page.Locator("#banner")).ToContainTextAsync("1 more mentor");
        foreach (var heading in new[] { "Programme metrics", "Interest poll", "Applications", "Match review", "Active pairs", "Testimonials", "Workflow incidents", "Exports and links" })
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true, Level = 2 })).ToBeVisibleAsync();
        }

        // Metrics, labelled: each figure is a <dd> after its <dt>.
        await ExpectFigureAsync(page, "Active participants", "3");
        await ExpectFigureAsync(page, "Active relationships", "3");
        await ExpectFigureAsync(page, "New members", "8");
        await ExpectFigureAsync(page, "Visitors per day", "+40%");
        await ExpectFigureAsync(page, "Completion rate", "50%");
        await ExpectFigureAsync(page, "Would mentor", "1");
        await Assertions.Expect(page.Locator("#funnel")).ToContainTextAsync("Answered the poll");
        await Assertions.Expect(page.Locator("#funnel li").Nth(3)).ToContainTextAsync("Completed");
        await Assertions.Expect(page.Locator("#funnel li").Nth(3)).ToContainTextAsync("2");
        var bars = await page.Locator("#funnel .mf-funnel-bar > span").EvaluateAllAsync<double[]>(
            "bars => bars.map(bar => bar.getBoundingClientRect().width / bar.parentElement.getBoundingClientRect().width)");
        var counts = (await page.Locator("#funnel .mf-funnel-count").AllInnerTextsAsync()).Select(c => double.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(counts.Select(c => c / counts.Max()), bars, (expected, actual) => Math.Abs(expected - actual) < 0.02);
        Assert.Contains(bars, bar => bar < 0.9);

        // Active pairs and the match review with scores.
        await Assertions.Expect(page.Locator("#active-pairs tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#active-pairs")).ToContainTextAsync("Ada Byron");
        var proposal = page.Locator("#pairs tr").Filter(new() { HasText = "Jun Fox" });
        await Assertions.Expect(proposal).ToContainTextAsync("0.72");
        await Assertions.Expect(proposal).ToContainTextAsync("Proposed");
        await Assertions.Expect(page.Locator("#pairs tr").Filter(new() { HasText = "Eve Adams" })).ToContainTextAsync("0.81");

        // A mentee choosing among their top candidates.
        var choice = page.Locator("#choices tr").Filter(new() { HasText = "Jun Fox" });
        await Assertions.Expect(choice).ToContainTextAsync("Cleo Park (0.72) · Ada Byron (0.64)");
        await Assertions.Expect(choice).ToContainTextAsync("Open");

        // Testimonials (consented only), incidents with a link to the instance, links to the Studio and the mailbox view.
        await Assertions.Expect(page.Locator("#testimonials")).ToContainTextAsync("Ben helped me lead my first data team.");
        await Assertions.Expect(page.Locator("#testimonials")).Not.ToContainTextAsync("Not for publication.");
        await Assertions.Expect(page.Locator("#incidents")).ToContainTextAsync(DashboardSeed.IncidentMessage);
        await Assertions.Expect(page.Locator("#incidents a[href^='/studio/workflows/instances/']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("main a[href='/graph/sandbox']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("main a[href='/studio/workflows/definitions']")).ToHaveCountAsync(1);
        await Browser.ScreenshotAsync(page, "programmes-02-dashboard-top");
        await Browser.ScreenshotAsync(page, "programmes-03-dashboard-full", fullPage: true);

        // A 375 px phone: nothing wider than the viewport but the scrollable tables.
        await page.SetViewportSizeAsync(375, 812);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#active-pairs tr")).ToHaveCountAsync(3);
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the page scrolls sideways by {overflow} px at 375 px");
        await Browser.ScreenshotAsync(page, "programmes-04-dashboard-375px-top");
        await page.Locator("section:has(#kpis)").ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder(), "programmes-05-metrics-375px.png") });
        await page.Locator("section:has(#pairs)").ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder(), "programmes-06-match-review-375px.png") });

        Assert.Empty(errors);
    }

    private async Task OfferChoiceAsync(Guid programmeId, string mentee, params (string Mentor, double Score)[] candidates)
    {
        await using var db = await _server.Services.GetRequiredService<IMentoringDb>().CreateAsync();
        var people = await db.Set<Application>().Where(a => a.ProgrammeId == programmeId).ToDictionaryAsync(a => a.ExternalId, a => a.Id);
        db.Add(new MentorChoice
        {
            ProgrammeId = programmeId,
            MenteeId = people[mentee],
            Candidates = [.. candidates.Select(c => new MentorCandidate(people[c.Mentor], c.Score, "same career path"))],
            OfferedAt = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero),
            ChooseBy = new DateTimeOffset(2026, 11, 8, 9, 0, 0, TimeSpan.Zero),
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task ProgrammePage_OfNewProgramme_ShowsEmptyStates()
    {
        Browser.RequireChromium();
        using var api = _server.CreateKestrelClient();
        var created = await api.PostAsync(new Uri("/api/programmes", UriKind.Relative), System.Net.Http.Json.JsonContent.Create(new
        {
            name = "Empty programme",
            organizerMailbox = "mentoring@contoso.test",
            timeZone = "Europe/London",
            lengthOptions = new[] { "3-6" },
            pollClosesAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero),
            applicationsCloseAt = new DateTimeOffset(2026, 12, 20, 12, 0, 0, TimeSpan.Zero),
        }));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.NewPageAsync(browser, _server, width: 1280, height: 900);
        await page.GotoAsync($"/programmes/programme.html?id={id}");

        await Assertions.Expect(page.Locator("#testimonials")).ToHaveTextAsync("No testimonials yet: the closing flow asks each pair for one.");
        await Assertions.Expect(page.Locator("#incidents")).ToContainTextAsync("No workflow incidents");
        await Assertions.Expect(page.Locator("#active-pairs-section")).ToContainTextAsync("No active pairs yet");
        await Assertions.Expect(page.Locator("#banner")).Not.ToContainTextAsync("Mentors are short");
        await Browser.ScreenshotAsync(page, "programmes-07-dashboard-empty", fullPage: true);
    }

    private static Task ExpectFigureAsync(IPage page, string label, string value) =>
        Assertions.Expect(page.Locator($"dt:text-is('{label}') + dd").First).ToContainTextAsync(value);
}
