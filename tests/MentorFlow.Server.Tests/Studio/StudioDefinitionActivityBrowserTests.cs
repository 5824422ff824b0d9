using System.Text.RegularExpressions;
using MentorFlow.Server.Tests.Infrastructure;
using MentorFlow.Workflows.Definitions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static MentorFlow.Server.Tests.Studio.StudioFlows;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>
/// A node using another flow as an activity, in the real Elsa Studio in Chromium: once that flow is published again,
/// the node's Version tab lists the new version beside the one it uses, and choosing it there pins the node to it.
/// </summary>
public sealed class StudioDefinitionActivityBrowserTests : IClassFixture<KestrelServer>
{
    private readonly KestrelServer _server;

    public StudioDefinitionActivityBrowserTests(KestrelServer server) => _server = server;

    [Fact]
    public async Task NodePinnedToV1_VersionTabOffersV2OnceItIsPublished_AndUsingItPinsTheNodeToV2()
    {
        StudioPackageLocator.RequirePackage();
        Browser.RequireChromium();
        var childId = Unique("asking");
        var suffix = childId["asking-".Length..];
        var parentId = Unique("asking-parent");
        string v2;
        using (var api = _server.CreateKestrelClient())
        {
            var child = ElsaDefinitionActivityContractTests.Asking(childId, $"Ask mentor {suffix}");
            var v1 = (string)(await SaveAsync(api, child, publish: true))["workflowDefinition"]!["id"]!;
            var parent = Waiting(parentId);
            var node = Activity("ask", $"AskMentor{char.ToUpperInvariant(suffix[0])}{suffix[1..]}", 250, ("who", Expression("Literal", "Ana")));
            node["metadata"]!["designer"]!["position"]!["y"] = 260;
            node["workflowDefinitionId"] = childId;
            node["workflowDefinitionVersionId"] = v1;
            parent["root"]!["activities"]!.AsArray().Insert(1, node);
            parent["root"]!["connections"]![0]!["target"]!["activity"] = "ask";
            parent["root"]!["connections"]!.AsArray().Add(Connection("ask", "Yes", "write"));
            await SaveAsync(api, parent, publish: true);
            child["description"] = "Asks a mentor, kindly.";
            v2 = (string)(await SaveAsync(api, child, publish: true))["workflowDefinition"]!["id"]!;
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.NewPageAsync(browser, _server, signedIn: false);
        var problems = PageProblems.Watch(page);
        await page.GotoAsync("/studio/workflows/definitions");
        await page.GetByLabel("Manager API key").FillAsync(ServerFactory.ManagerKey);
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await StudioNavigation.OpenFlowByClickingItsRowAsync(page, parentId);
        var ask = page.Locator(".x6-node[data-cell-id='ask']");
        await ask.WaitForAsync();
        await ask.ClickAsync(new() { Force = true });
        // The activity panel's tabs scroll sideways; Version is past the visible ones.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Version", Exact = true }).DispatchEventAsync("click");
        var versions = page.Locator("table").Filter(new() { Has = page.GetByRole(AriaRole.Columnheader, new() { Name = "Used" }) });
        var row2 = versions.Locator("tbody tr").Filter(new() { Has = page.Locator("td:nth-child(2)", new() { HasTextRegex = new Regex("^2$") }) });
        var row1 = versions.Locator("tbody tr").Filter(new() { Has = page.Locator("td:nth-child(2)", new() { HasTextRegex = new Regex("^1$") }) });
        await Assertions.Expect(row2).ToHaveCountAsync(1);
        await Assertions.Expect(row1.Locator("td:first-child svg")).ToHaveCountAsync(1);
        await Assertions.Expect(row2.Locator("td:first-child svg")).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(page, "studio-definition-activity-01-version-tab-offers-v2");

        var saved = page.WaitForResponseAsync(response => response.Request.Method == "POST"
            && response.Url.EndsWith("/elsa/api/workflow-definitions", StringComparison.Ordinal)
            && (response.Request.PostData ?? "").Contains(v2, StringComparison.Ordinal));
        await row2.Locator("button").ClickAsync();
        await page.GetByText("Use this version", new() { Exact = true }).ClickAsync();
        Assert.Equal(200, (await saved).Status);
        await Assertions.Expect(row2.Locator("td:first-child svg")).ToHaveCountAsync(1);
        await Browser.ScreenshotAsync(page, "studio-definition-activity-02-node-uses-v2");

        var stored = await _server.Services.GetRequiredService<IWorkflowDefinitionService>().FindAsync(parentId, VersionOptions.Latest);
        var storedAsk = stored!.Model["root"]!["activities"]!.AsArray().Single(a => (string?)a!["id"] == "ask")!.AsObject();
        Assert.Equal((2, v2), ((int?)storedAsk["version"], (string?)storedAsk["workflowDefinitionVersionId"]));
        Assert.False(storedAsk.ContainsKey("latestAvailablePublishedVersion"));
        problems.AssertNone();
    }
}
