using System.Net.Http.Json;
using System.Text.Json;
using MentorFlow.Server.Tests.Forms;
using MentorFlow.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MentorFlow.Server.Tests.Programmes;

/// <summary>The manager edits the application form's terms on the programme page, from the programmes list.</summary>
public sealed class ProgrammeTermsBrowserTests : IClassFixture<KestrelServer>
{
    private readonly KestrelServer _server;

    public ProgrammeTermsBrowserTests(KestrelServer server) => _server = server;

    [Fact]
    public async Task ProgrammePage_SavesTheTerms_SaysWhatWasSaved_AndPointsAtTheBadLine()
    {
        Browser.RequireChromium();
        using var manager = _server.CreateKestrelClient();
        var id = await ParticipantFormSetup.ProgrammeAsync(manager, "Terms from the page", phase: "Poll");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.NewPageAsync(browser, _server, width: 1280, height: 900);
        await page.GotoAsync("/programmes/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Terms from the page" }).ClickAsync();
        var interests = page.GetByLabel("Interests", new() { Exact = true });
        await Assertions.Expect(interests).ToHaveValueAsync(string.Join("\n", ParticipantFormSetup.Interests));

        await interests.FillAsync("Cloud\n  Data science  \n\n<script>alert(1)</script>");
        await page.GetByLabel("Career paths").FillAsync("Research");
        await page.GetByLabel("Goals", new() { Exact = true }).FillAsync("Lead a team\nChange career");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the terms" }).ClickAsync();
        var success = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved the application form's terms" });
        await Assertions.Expect(success).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("3 interests, 1 career path, 2 goals"));
        await Assertions.Expect(interests).ToHaveValueAsync("Cloud\nData science\n<script>alert(1)</script>");
        await Browser.ScreenshotAsync(page, "programme-terms-01-saved");
        var saved = await manager.GetFromJsonAsync<JsonElement>($"/api/programmes/{id}/vocabulary");
        Assert.Equal(["Cloud", "Data science", "<script>alert(1)</script>"], saved.GetProperty("interests").EnumerateArray().Select(e => e.GetString()));

        await page.GetByLabel("Goals", new() { Exact = true }).FillAsync("Lead a team\nlead a TEAM");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the terms" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mf-field-error")).ToHaveTextAsync("Line 2: 'lead a TEAM' repeats 'Lead a team' (terms are compared without case).");
        await Assertions.Expect(page.GetByLabel("Goals", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Browser.ScreenshotAsync(page, "programme-terms-02-error");
        saved = await manager.GetFromJsonAsync<JsonElement>($"/api/programmes/{id}/vocabulary");
        Assert.Equal(["Lead a team", "Change career"], saved.GetProperty("goals").EnumerateArray().Select(e => e.GetString()));
    }
}
