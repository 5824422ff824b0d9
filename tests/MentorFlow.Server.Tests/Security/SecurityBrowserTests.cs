using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Server.Tests.Infrastructure;
using MentorFlow.Server.Tests.Studio;
using Microsoft.Playwright;

namespace MentorFlow.Server.Tests.Security;

/// <summary>
/// The pages under their Content-Security-Policy in Debian Chromium: the real Elsa Studio designer, Scalar, a
/// participant form (its hashed inline script and style run), and the manager keys page (create, use, revoke).
/// Any CSP violation the page reports fails the test. Screenshots go to artifacts/screenshots/.
/// </summary>
public sealed class SecurityBrowserTests(KestrelServer server) : IClassFixture<KestrelServer>
{
    private const string RecordViolations =
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber + ' ' + e.sample));";

    [Fact]
    public async Task StudioDesigner_UnderItsPolicy_OpensAFlowFromTheListWithNoViolations()
    {
        StudioPackageLocator.RequirePackage();
        Browser.RequireChromium();
        var definitionId = StudioFlows.Unique("csp");
        using (var api = server.CreateKestrelClient())
        {
            var saved = await api.PostAsJsonAsync(new Uri("/elsa/api/workflow-definitions", UriKind.Relative),
                new JsonObject { ["model"] = Seed(definitionId), ["publish"] = true });
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        }

        var (page, browser, playwright, console) = await OpenAsync("/");
        using (playwright)
        await using (browser)
        {
            await StudioNavigation.OpenFlowListFromHomeAsync(page);
            await StudioNavigation.OpenFlowByClickingItsRowAsync(page, definitionId);
            await page.Locator(".x6-node[data-cell-id='hello']").WaitForAsync();
            await page.Locator(".x6-node[data-cell-id='hello']").ClickAsync(new() { Force = true });
            await page.GetByText("The text to write.").First.WaitForAsync();
            await page.WaitForTimeoutAsync(1000);
            await Browser.ScreenshotAsync(page, "security-01-studio-under-csp");

            await AssertNoViolationsAsync(page, console);
        }
    }

    [Fact]
    public async Task Scalar_UnderItsPolicy_ShowsTheApiReferenceFromThisServerOnly()
    {
        Browser.RequireChromium();
        var (page, browser, playwright, console) = await OpenAsync("/scalar/", signedIn: false);
        var foreign = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(server.BaseAddress.ToString(), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                foreign.Add(request.Url);
            }
        };
        using (playwright)
        await using (browser)
        {
            await page.ReloadAsync();
            await page.GetByText("Manager keys").First.WaitForAsync();
            await page.WaitForTimeoutAsync(500);
            await Browser.ScreenshotAsync(page, "security-02-scalar-under-csp");

            Assert.Empty(foreign);
            // Scalar's bundled schema library probes whether eval is allowed (try { Function("") } catch) and works without it.
            await AssertNoViolationsAsync(page, console, ignore: $"script-src eval at {server.BaseAddress}scalar/scalar.js:");
        }
    }

    [Fact]
    public async Task ParticipantForm_UnderItsHashPolicy_StylesThePageAndFocusesTheErrorSummary()
    {
        Browser.RequireChromium();
        using var manager = server.CreateKestrelClient();
        var created = await manager.PostAsJsonAsync("/api/programmes", ManagerKeyTests.Programme("CSP form"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await manager.PostAsJsonAsync($"/api/programmes/{id}/phase", new { phase = "Applications" })).EnsureSuccessStatusCode();
        var link = await (await manager.PostAsJsonAsync($"/api/programmes/{id}/links", new { purpose = "Apply", participant = "csp@c.test" }))
            .Content.ReadFromJsonAsync<JsonElement>();

        var (page, browser, playwright, console) = await OpenAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery, signedIn: false);
        using (playwright)
        await using (browser)
        {
            await page.Locator("button[type=submit]").ClickAsync();
            await page.Locator("#error-summary").WaitForAsync();

            Assert.Equal("error-summary", await page.EvaluateAsync<string>("document.activeElement.id"));
            Assert.Equal("rgb(246, 247, 249)", await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
            await Browser.ScreenshotAsync(page, "security-03-form-under-csp");
            await AssertNoViolationsAsync(page, console);
        }
    }

    [Fact]
    public async Task ManagerKeysPage_CreatesAKeyShownOnce_AndRevokingItStopsIt()
    {
        Browser.RequireChromium();
        var (page, browser, playwright, console) = await OpenAsync("/keys/");
        using (playwright)
        await using (browser)
        {
            page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
            await page.GetByLabel("Name (who or what uses it)").FillAsync("Browser test laptop");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
            var key = await page.Locator("#new-key").TextContentAsync();
            await page.GetByRole(AriaRole.Cell, new() { Name = "Browser test laptop", Exact = true }).WaitForAsync();
            await Browser.ScreenshotAsync(page, "security-04-manager-keys-created");
            using var client = new HttpClient { BaseAddress = server.BaseAddress };
            client.DefaultRequestHeaders.Authorization = new("ApiKey", key);
            var before = await client.GetAsync(new Uri("/api/system", UriKind.Relative));

            await page.GetByRole(AriaRole.Button, new() { Name = "Revoke Browser test laptop" }).ClickAsync();
            await page.GetByText("Key \"Browser test laptop\" revoked").WaitForAsync();
            var after = await client.GetAsync(new Uri("/api/system", UriKind.Relative));
            await Browser.ScreenshotAsync(page, "security-05-manager-keys-revoked");

            Assert.StartsWith("mf_", key, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
            Assert.Equal(0, await page.Locator("#keys button", new() { HasText = "Revoke" }).Filter(new() { HasText = "Browser test laptop" }).CountAsync());
            await AssertNoViolationsAsync(page, console);
        }
    }

    private static JsonObject Seed(string definitionId) => new()
    {
        ["definitionId"] = definitionId,
        ["name"] = $"CSP {definitionId}",
        ["variables"] = new JsonArray(),
        ["root"] = new JsonObject
        {
            ["type"] = "Elsa.Flowchart",
            ["version"] = 1,
            ["id"] = "fc",
            ["nodeId"] = "Workflow1:fc",
            ["metadata"] = new JsonObject(),
            ["customProperties"] = new JsonObject(),
            ["activities"] = new JsonArray(
                StudioFlows.Activity("start", "Elsa.Start", -300),
                StudioFlows.Activity("hello", "Elsa.WriteLine", 0, ("text", StudioFlows.Expression("Literal", "Hello")))),
            ["connections"] = new JsonArray(StudioFlows.Connection("start", "Done", "hello")),
        },
    };

    private async Task<(IPage Page, IBrowser Browser, IPlaywright Playwright, List<string> Console)> OpenAsync(string path, bool signedIn = true)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.NewPageAsync(browser, server, signedIn: signedIn);
        await page.AddInitScriptAsync(RecordViolations);
        var console = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                console.Add(message.Text);
            }
        };
        await page.GotoAsync(path);
        return (page, browser, playwright, console);
    }

    private static async Task AssertNoViolationsAsync(IPage page, List<string> console, string? ignore = null)
    {
        var violations = (await page.EvaluateAsync<string[]>("window.__csp"))
            .Where(v => ignore is null || !v.StartsWith(ignore, StringComparison.Ordinal)).ToArray();
        if (ignore is not null)
        {
            console.RemoveAll(message => message.Contains("'unsafe-eval'", StringComparison.Ordinal));
        }

        Assert.True(violations.Length == 0, "CSP violations: " + string.Join(" | ", violations));
        Assert.True(console.Count == 0, "CSP console messages: " + string.Join(" | ", console));
    }
}
