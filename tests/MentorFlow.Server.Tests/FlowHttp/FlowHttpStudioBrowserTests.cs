using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MentorFlow.Server.Tests.Infrastructure;
using MentorFlow.Server.Tests.Studio;
using Microsoft.Playwright;

namespace MentorFlow.Server.Tests.FlowHttp;

/// <summary>
/// The HTTP activities in the real Elsa Studio (Debian Chromium): the corpus's hello-world flow opened from the home
/// page's Flows link and the list shows its HTTP Endpoint's inputs (Elsa's bare boolean included) in the property panel, and the toolbox
/// offers HTTP Endpoint and HTTP Response; no console error, page error or failed Elsa API call on the way.
/// </summary>
public sealed class FlowHttpStudioBrowserTests(KestrelServer server) : IClassFixture<KestrelServer>
{
    [Fact]
    public async Task HelloWorldFlow_OpenedInTheDesigner_ShowsTheEndpointsInputs_AndTheToolboxOffersTheHttpActivities()
    {
        StudioPackageLocator.RequirePackage();
        Browser.RequireChromium();
        var model = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Corpus", "http-endpoint-hello-world.json"), Encoding.UTF8))!.AsObject();
        var definitionId = StudioFlows.Unique("http-hello");
        model["definitionId"] = definitionId;
        model["id"] = $"{definitionId}-v1";
        model["name"] = $"HTTP hello {definitionId}";
        model["root"]!["activities"]![0]!["path"]!["expression"]!["value"] = $"/{definitionId}";
        // The corpus places every activity at 0,0; spread them so each can be clicked.
        model["root"]!["activities"]![0]!["metadata"]!["designer"]!["position"]!["x"] = -250;
        model["root"]!["activities"]![1]!["metadata"]!["designer"]!["position"]!["x"] = 250;
        using (var api = server.CreateKestrelClient())
        {
            var saved = await api.PostAsJsonAsync(new Uri("/elsa/api/workflow-definitions", UriKind.Relative), new JsonObject { ["model"] = model, ["publish"] = true });
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
            var answer = await api.GetAsync(new Uri($"/workflows/{definitionId}", UriKind.Relative));
            Assert.Equal("Hello world!", await answer.Content.ReadAsStringAsync());
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.NewPageAsync(browser, server);
        var problems = PageProblems.Watch(page);

        await StudioNavigation.OpenFlowListFromHomeAsync(page);
        await StudioNavigation.OpenFlowByClickingItsRowAsync(page, definitionId);
        await page.Locator(".x6-node[data-cell-id='HttpEndpoint1']").WaitForAsync();
        await page.Locator(".x6-node[data-cell-id='HttpEndpoint1']").ClickAsync(new() { Force = true });
        await Assertions.Expect(page.GetByText("The path to associate with the workflow", new() { Exact = false }).First).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(1000);
        await Assertions.Expect(page.GetByText("Unsupported UI hint", new() { Exact = false })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-chip").Filter(new() { HasText = "GET" }).First).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "flow-http-01-endpoint-properties");
        problems.AssertNone();

        await page.GetByText("HTTP", new() { Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.Locator("[draggable='true']").Filter(new() { HasText = "HTTP Endpoint" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[draggable='true']").Filter(new() { HasText = "HTTP Response" }).First).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "flow-http-02-toolbox");

        await page.Locator(".x6-node[data-cell-id='WriteHttpResponse1']").ClickAsync(new() { Force = true });
        await Assertions.Expect(page.GetByText("The status code to return", new() { Exact = false }).First).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(1000);
        await Browser.ScreenshotAsync(page, "flow-http-03-response-properties");
        problems.AssertNone();
    }
}
