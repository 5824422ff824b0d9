using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static MentorFlow.Server.Tests.Studio.StudioFlows;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>
/// Composite activities in the real Elsa Studio in Chromium, reached as a manager reaches them (home page → flow list →
/// the flow's row): a For Each's body opened from the node's Body port, and a flow usable as an activity found in the
/// toolbox and dropped onto another flow. Fails on console errors, page errors and Elsa API answers of 400 or more.
/// </summary>
public sealed class StudioCompositeBrowserTests : IClassFixture<KestrelServer>
{
    private readonly KestrelServer _server;

    public StudioCompositeBrowserTests(KestrelServer server) => _server = server;

    [Fact]
    public async Task Designer_ForEachBodyPortClicked_ShowsTheBodysActivities_AndTheBreadcrumbLeadsBackToTheFlow()
    {
        StudioPackageLocator.RequirePackage();
        Browser.RequireChromium();
        var definitionId = Unique("loop-body");
        using (var api = _server.CreateKestrelClient())
        {
            var saved = await api.PostAsJsonAsync(new Uri("/elsa/api/workflow-definitions", UriKind.Relative),
                new JsonObject { ["model"] = ElsaDefinitionGraphContractTests.WithForEachBody(definitionId), ["publish"] = false });
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.NewPageAsync(browser, _server);
        var problems = PageProblems.Watch(page);
        await StudioNavigation.OpenFlowListFromHomeAsync(page);
        await StudioNavigation.OpenFlowByClickingItsRowAsync(page, definitionId);
        var loop = page.Locator(".x6-node[data-cell-id='loop']");
        await loop.WaitForAsync();
        await page.WaitForTimeoutAsync(1000);
        await Browser.ScreenshotAsync(page, "studio-20-for-each-with-body-port");

        await loop.Locator("[data-port-name='Body']").ClickAsync();

        var line = page.Locator(".x6-node[data-cell-id='line']");
        await line.WaitForAsync();
        await Assertions.Expect(page.Locator(".x6-node[data-cell-id='loop']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("loop: Body")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(1000);
        await Browser.ScreenshotAsync(page, "studio-21-for-each-body-opened");

        await page.GetByText("Root", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".x6-node[data-cell-id='loop']")).ToHaveCountAsync(1);
        await Assertions.Expect(line).ToHaveCountAsync(0);
        problems.AssertNone();
    }

    [Fact]
    public async Task Toolbox_ListsAPublishedFlowUsableAsActivity_AndDroppingItAddsANodePinnedToThatVersion()
    {
        StudioPackageLocator.RequirePackage();
        Browser.RequireChromium();
        var childId = Unique("toolbox-child");
        var suffix = childId["toolbox-child-".Length..];
        var childName = $"Ask toolbox {suffix}";
        var parentId = Unique("toolbox-parent");
        string childVersionId;
        using (var api = _server.CreateKestrelClient())
        {
            var child = await SaveAsync(api, ElsaDefinitionActivityContractTests.Asking(childId, childName), publish: true);
            childVersionId = (string)child["workflowDefinition"]!["id"]!;
            await SaveAsync(api, Waiting(parentId));
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.NewPageAsync(browser, _server);
        var problems = PageProblems.Watch(page);
        await StudioNavigation.OpenFlowListFromHomeAsync(page);
        await StudioNavigation.OpenFlowByClickingItsRowAsync(page, parentId);
        await page.Locator(".x6-node[data-cell-id='start']").WaitForAsync();

        await page.GetByText("Mentoring tools", new() { Exact = true }).ClickAsync();
        var tool = page.Locator("[draggable='true']").Filter(new() { HasText = childName }).First;
        await Assertions.Expect(tool).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500);
        await Browser.ScreenshotAsync(page, "studio-22-toolbox-lists-the-flow-activity");

        var canvas = page.Locator(".graph-container");
        var box = (await canvas.BoundingBoxAsync())!;
        var autoSaved = page.WaitForResponseAsync(response =>
            response.Request.Method == "POST" && response.Url.EndsWith("/elsa/api/workflow-definitions", StringComparison.Ordinal)
            && (response.Request.PostData ?? "").Contains(childVersionId, StringComparison.Ordinal));
        await tool.DragToAsync(canvas, new() { TargetPosition = new() { X = box.Width * 0.6f, Y = box.Height * 0.75f } });
        Assert.Equal(200, (await autoSaved).Status);
        await page.WaitForTimeoutAsync(1000);
        await Browser.ScreenshotAsync(page, "studio-23-flow-activity-dropped");

        using (var api = _server.CreateKestrelClient())
        {
            var latest = await GetJsonAsync(api, $"/elsa/api/workflow-definitions/by-definition-id/{parentId}?versionOptions=Latest");
            var node = latest["root"]!["activities"]!.AsArray().Single(a => (string?)a!["type"] == $"AskToolbox{char.ToUpperInvariant(suffix[0])}{suffix[1..]}")!;
            Assert.Equal(childId, (string?)node["workflowDefinitionId"]);
            Assert.Equal(childVersionId, (string?)node["workflowDefinitionVersionId"]);
            Assert.Equal(1, (int?)node["version"]);
        }

        problems.AssertNone();
    }
}
