using System.Net.Http.Json;
using System.Text.Json;
using MentorFlow.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MentorFlow.Server.Tests.Forms;

/// <summary>
/// The participant forms in Debian Chromium, from the signed link a mail carries: the application's pick-lists (search,
/// "other"), the time zone taken from the browser, languages by name, the name the programme already knows, the summary
/// before sending; axe finds nothing on any page, on a desktop and on a 375 px phone. Screenshots go to
/// artifacts/screenshots/.
/// </summary>
public sealed class ApplyFormBrowserTests : IClassFixture<KestrelServer>
{
    private readonly KestrelServer _server;

    public ApplyFormBrowserTests(KestrelServer server) => _server = server;

    [Fact]
    public async Task ApplyForm_FromTheSignedLink_PicksTermsAndOwnValues_ReviewsThenSends_AndStoresTags()
    {
        Browser.RequireChromium();
        using var manager = _server.CreateKestrelClient();
        var programmeId = await ParticipantFormSetup.ProgrammeAsync(manager, "Apply in the browser");
        var link = await ParticipantFormSetup.LinkAsync(manager, programmeId, "Apply", "ana@contoso.test");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await NewParticipantPageAsync(browser, 1280, 900, "America/New_York");
        var problems = PageProblems.Watch(page);

        await page.GotoAsync(link);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Apply to the programme", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Your name")).ToHaveValueAsync("Ana Lima");
        await Assertions.Expect(page.GetByLabel("Your time zone")).ToHaveValueAsync("America/New_York");
        await Assertions.Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "English", Exact = true })).ToBeCheckedAsync();
        await Accessibility.AssertNoViolationsAsync(page, "the application form");
        await Browser.ScreenshotAsync(page, "apply-01-form-desktop", fullPage: true);

        await page.GetByRole(AriaRole.Radio, new() { Name = "Mentee", Exact = true }).CheckAsync();
        var interests = page.GetByRole(AriaRole.Group, new() { Name = "Interests" });
        await interests.GetByRole(AriaRole.Searchbox, new() { Name = "Search the list" }).FillAsync("mach");
        await Assertions.Expect(interests.Locator("label.mf-option:visible")).ToHaveCountAsync(1);
        await Assertions.Expect(interests.GetByText("1 of 9 shown")).ToBeVisibleAsync();
        await interests.GetByRole(AriaRole.Checkbox, new() { Name = "Machine learning" }).CheckAsync();
        await interests.GetByRole(AriaRole.Searchbox).FillAsync("");
        await Assertions.Expect(interests.Locator("label.mf-option:visible")).ToHaveCountAsync(9);
        await interests.GetByLabel("Other (separate with commas)").FillAsync("Rust, <b>bold</b>");
        await page.GetByRole(AriaRole.Group, new() { Name = "Career path" }).GetByRole(AriaRole.Radio, new() { Name = "Research" }).CheckAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Goals" }).GetByRole(AriaRole.Checkbox, new() { Name = "Lead a team" }).CheckAsync();
        var languages = page.GetByRole(AriaRole.Group, new() { Name = "Languages you speak" });
        await languages.GetByRole(AriaRole.Searchbox).FillAsync("espa");
        await languages.GetByRole(AriaRole.Checkbox, new() { Name = "Español (Spanish)" }).CheckAsync();
        await page.GetByLabel("Years of experience").FillAsync("3");
        await page.GetByRole(AriaRole.Radio, new() { Name = "3-6 months" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Review my answers" }).ClickAsync();

        // The summary: every answer as the participant reads it (their own text shown as text), nothing saved yet.
        await Assertions.Expect(page.GetByText("Check your answers. Nothing is sent until you press Send.")).ToBeVisibleAsync();
        var summary = page.Locator("dl.mf-summary");
        await Assertions.Expect(Row(summary, "Interests")).ToHaveTextAsync("Machine learning, rust, <b>bold</b>");
        await Assertions.Expect(Row(summary, "Career path")).ToHaveTextAsync("Research");
        await Assertions.Expect(Row(summary, "Your time zone")).ToHaveTextAsync("America / New York");
        await Assertions.Expect(Row(summary, "Languages you speak")).ToHaveTextAsync("English, Español (Spanish)");
        await Assertions.Expect(summary.Locator("b")).ToHaveCountAsync(0);
        await Accessibility.AssertNoViolationsAsync(page, "the application's summary");
        await Browser.ScreenshotAsync(page, "apply-02-summary-desktop", fullPage: true);
        Assert.Equal(0, (await manager.GetFromJsonAsync<JsonElement>($"/api/programmes/{programmeId}/applications")).GetArrayLength());

        // Back to the form: everything as it was entered.
        await page.GetByRole(AriaRole.Button, new() { Name = "Change my answers" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Machine learning" })).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("Other (separate with commas)").First).ToHaveValueAsync("Rust, <b>bold</b>");
        await Assertions.Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Español (Spanish)" })).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("Your time zone")).ToHaveValueAsync("America/New_York");
        await page.GetByRole(AriaRole.Button, new() { Name = "Review my answers" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you!" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page, "the thank-you page");

        var application = (await manager.GetFromJsonAsync<JsonElement>($"/api/programmes/{programmeId}/applications"))[0];
        Assert.Equal(["machine learning", "rust", "<b>bold</b>"], Strings(application.GetProperty("interests")));
        Assert.Equal("research", application.GetProperty("careerPath").GetString());
        Assert.Equal(["lead a team"], Strings(application.GetProperty("goals")));
        Assert.Equal(["en", "es"], Strings(application.GetProperty("languages")));
        Assert.Equal("America/New_York", application.GetProperty("timeZone").GetString());
        Assert.Equal("Ana Lima", application.GetProperty("name").GetString());
        problems.AssertNone();
    }

    [Fact]
    public async Task ApplyForm_OnA375PxPhone_FitsTheWidth_AndItsErrorsAreAccessible()
    {
        Browser.RequireChromium();
        using var manager = _server.CreateKestrelClient();
        var programmeId = await ParticipantFormSetup.ProgrammeAsync(manager, "Apply on a phone");
        var link = await ParticipantFormSetup.LinkAsync(manager, programmeId, "Apply", "bo@contoso.test");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await NewParticipantPageAsync(browser, 375, 812, "Europe/Madrid");
        var problems = PageProblems.Watch(page);

        await page.GotoAsync(link);
        await Assertions.Expect(page.GetByLabel("Your time zone")).ToHaveValueAsync("Europe/Madrid");
        await Assertions.Expect(page.GetByLabel("Your name")).ToHaveValueAsync("Bo Sand");
        await AssertFitsAsync(page, 375);
        await Accessibility.AssertNoViolationsAsync(page, "the application form at 375 px");
        await Browser.ScreenshotAsync(page, "apply-03-form-375");
        await Browser.ScreenshotAsync(page, "apply-04-form-375-full", fullPage: true);

        // Sent empty: the error summary names each missing answer and links to its field; nothing is lost or saved (the
        // page comes back as a 400, which the browser logs).
        problems.AssertNone();
        await page.GetByLabel("Your name").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Review my answers" }).ClickAsync();
        var errors = page.Locator("#error-summary");
        await Assertions.Expect(errors).ToBeFocusedAsync();
        await Assertions.Expect(errors.GetByRole(AriaRole.Link, new() { Name = "Interests: Choose at least one interest." })).ToBeVisibleAsync();
        await Assertions.Expect(errors.GetByRole(AriaRole.Link, new() { Name = "Career path: Choose your career path." })).ToBeVisibleAsync();
        await errors.GetByRole(AriaRole.Link, new() { Name = "Interests: Choose at least one interest." }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Data science" })).ToHaveAttributeAsync("aria-invalid", "true");
        await AssertFitsAsync(page, 375);
        await Accessibility.AssertNoViolationsAsync(page, "the application form with errors at 375 px");
        await Browser.ScreenshotAsync(page, "apply-05-errors-375");
        Assert.Equal(0, (await manager.GetFromJsonAsync<JsonElement>($"/api/programmes/{programmeId}/applications")).GetArrayLength());
    }

    [Fact]
    public async Task PollForm_FromTheSignedLink_HasTheMembersName_ReviewsThenSends()
    {
        Browser.RequireChromium();
        using var manager = _server.CreateKestrelClient();
        var programmeId = await ParticipantFormSetup.ProgrammeAsync(manager, "Poll in the browser", phase: "Poll", language: "es");
        var link = await ParticipantFormSetup.LinkAsync(manager, programmeId, "Poll", "ana@contoso.test");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await NewParticipantPageAsync(browser, 375, 812, "Europe/Madrid");
        var problems = PageProblems.Watch(page);

        await page.GotoAsync(link);
        await Assertions.Expect(page.GetByLabel("Tu nombre")).ToHaveValueAsync("Ana Lima");
        await Accessibility.AssertNoViolationsAsync(page, "the poll form");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Ambas" }).CheckAsync();
        await page.GetByLabel("Temas").FillAsync("SQL, liderazgo");
        await page.GetByRole(AriaRole.Button, new() { Name = "Revisar mis respuestas" }).ClickAsync();
        await Assertions.Expect(Row(page.Locator("dl.mf-summary"), "Temas")).ToHaveTextAsync("sql, liderazgo");
        await Accessibility.AssertNoViolationsAsync(page, "the poll's summary");
        await Browser.ScreenshotAsync(page, "poll-01-summary-375", fullPage: true);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("¡Gracias!");

        var poll = await manager.GetFromJsonAsync<JsonElement>($"/api/programmes/{programmeId}/poll");
        Assert.Equal(1, poll.GetProperty("results").GetProperty("both").GetInt32());
        problems.AssertNone();
    }

    private static ILocator Row(ILocator summary, string label) =>
        summary.Locator("div").Filter(new() { Has = summary.Page.Locator("dt", new() { HasTextString = label }) }).Locator("dd");

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static async Task AssertFitsAsync(IPage page, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"the page is {scrollWidth} px wide on a {width} px screen");
    }

    /// <summary>A participant's browser (no manager key) whose clock is in <paramref name="timeZone"/>.</summary>
    private async Task<IPage> NewParticipantPageAsync(IBrowser browser, int width, int height, string timeZone)
    {
        var context = await browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = width, Height = height },
            BaseURL = _server.BaseAddress.ToString(),
            TimezoneId = timeZone,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)Browser.Slow.TotalMilliseconds);
        Assertions.SetDefaultExpectTimeout((float)Browser.Slow.TotalMilliseconds);
        return page;
    }
}
