using System.Net.Http.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using MentorFlow.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using static MentorFlow.Server.Tests.Studio.StudioFlows;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>
/// The real Elsa Studio 3.8.2 (npm) in Debian Chromium against the real server on Kestrel, driven as a manager drives
/// it: from the home page's "Flows (Studio)" link to the flow list, a flow opened by clicking its row, edited, saved,
/// published and run, the instance list and viewer reached by clicking, and back to the lists through the header.
/// Every test fails on a console error (which includes CSP violations and the Studio's unhandled exceptions), an
/// uncaught page error or an Elsa API answer of 400 or more. Screenshots go to artifacts/screenshots/.
/// </summary>
public sealed class StudioDesignerBrowserTests : IClassFixture<KestrelServer>
{
    private const string LiquidText = "Welcome {{ Greeting }} from the designer";
    private const string InstanceSearch = "Search on Id, Definition Id, Definition Version Id, Correlation Id";
    private readonly KestrelServer _server;

    public StudioDesignerBrowserTests(KestrelServer server) => _server = server;

    [Fact]
    public async Task Designer_DragConnectSetLiquidAutoSavePublishRun_ShowsTheJournalInTheInstanceViewer()
    {
        StudioPackageLocator.RequirePackage();
        Browser.RequireChromium();
        var definitionId = Unique("designer");
        using (var api = _server.CreateKestrelClient())
        {
            var seed = DesignerSeed(definitionId);
            var saved = await api.PostAsJsonAsync(new Uri("/elsa/api/workflow-definitions", UriKind.Relative), new JsonObject { ["model"] = seed, ["publish"] = true });
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.NewPageAsync(browser, _server, signedIn: false);
        var problems = PageProblems.Watch(page);

        // Sign in through the shell's dialog on the flow list, as a manager would, then open the flow by its row.
        await page.GotoAsync("/studio/workflows/definitions");
        await page.GetByLabel("Manager API key").FillAsync(ServerFactory.ManagerKey);
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await StudioNavigation.OpenFlowByClickingItsRowAsync(page, definitionId);
        await page.Locator(".x6-node[data-cell-id='hello']").WaitForAsync();
        await page.WaitForTimeoutAsync(1000);
        await Browser.ScreenshotAsync(page, "studio-01-editor-opened");

        // Drag a Write Line from the toolbox onto the canvas.
        await page.GetByText("Console", new() { Exact = true }).ClickAsync();
        var canvas = page.Locator(".graph-container");
        var canvasBox = (await canvas.BoundingBoxAsync())!;
        await page.Locator("[draggable='true']").Filter(new() { HasText = "Write Line" }).First
            .DragToAsync(canvas, new() { TargetPosition = new() { X = canvasBox.Width * 0.6f, Y = canvasBox.Height * 0.75f } });
        var newNode = page.Locator(".x6-node:not([data-cell-id='start']):not([data-cell-id='hello'])");
        await newNode.WaitForAsync();
        var newId = (await newNode.GetAttributeAsync("data-cell-id"))!;

        // Connect hello's Done port to the new activity's In port.
        var from = (await page.Locator(".x6-node[data-cell-id='hello'] [port='Done']").BoundingBoxAsync())!;
        var to = (await page.Locator($".x6-node[data-cell-id='{newId}'] [port='In']").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(from.X + (from.Width / 2), from.Y + (from.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((from.X + to.X) / 2, (from.Y + to.Y) / 2, new() { Steps = 5 });
        await page.Mouse.MoveAsync(to.X + (to.Width / 2), to.Y + (to.Height / 2), new() { Steps = 5 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(page.Locator(".x6-edge")).ToHaveCountAsync(2);

        // Set the Text input to a Liquid expression and wait for the auto-save that carries it.
        await page.Locator($".x6-node[data-cell-id='{newId}']").ClickAsync(new() { Force = true });
        await page.Locator("xpath=//*[contains(text(), 'The text to write.')]/ancestor::div[.//button][1]//button").First.ClickAsync();
        await page.GetByText("Liquid", new() { Exact = true }).ClickAsync();
        var autoSaved = page.WaitForResponseAsync(response =>
            response.Request.Method == "POST" && response.Url.EndsWith("/elsa/api/workflow-definitions", StringComparison.Ordinal)
            && (response.Request.PostData ?? "").Contains(LiquidText, StringComparison.Ordinal)
            && (response.Request.PostData ?? "").Contains(newId, StringComparison.Ordinal));
        await page.Locator(".monaco-editor .view-lines >> visible=true").First.ClickAsync();
        await page.Keyboard.InsertTextAsync(LiquidText);
        Assert.Equal(200, (await autoSaved).Status);
        await Browser.ScreenshotAsync(page, "studio-02-activity-added-liquid-input-auto-saved");

        // Publish, then check the database holds a published version with that input and connection.
        var published = WaitForPublishAsync(page, definitionId);
        await page.Locator("button.mud-icon-button.mud-primary-text >> visible=true").First.ClickAsync();
        Assert.Equal(200, (await published).Status);
        var (version, stored) = ReadPublished(definitionId);
        Assert.Equal(2, version);
        var added = stored["root"]!["activities"]!.AsArray().Single(activity => (string?)activity!["id"] == newId)!;
        Assert.Equal("Elsa.WriteLine", (string?)added["type"]);
        Assert.Equal("Liquid", (string?)added["text"]!["expression"]!["type"]);
        Assert.Equal(LiquidText, (string?)added["text"]!["expression"]!["value"]);
        Assert.Contains(stored["root"]!["connections"]!.AsArray(), connection =>
            (string?)connection!["source"]!["activity"] == "hello" && (string?)connection["target"]!["activity"] == newId);
        await Browser.ScreenshotAsync(page, "studio-03-published");

        // Run from the designer: the Studio navigates to the instance viewer, which shows the journal.
        var executed = page.WaitForResponseAsync(response => response.Url.Contains($"/{definitionId}/execute", StringComparison.Ordinal));
        await page.Locator("button.mud-icon-button.mud-success-text >> visible=true").First.ClickAsync();
        var execute = await executed;
        Assert.Equal(200, execute.Status);
        var instanceId = (await execute.AllHeadersAsync())["x-elsa-workflow-instance-id"];
        await problems.WaitAsync(page, "studio-run-opens-the-instance-viewer", () => page.WaitForURLAsync($"**/studio/workflows/instances/{instanceId}/view"));
        await Assertions.Expect(page.GetByText("WriteLine2", new() { Exact = true }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Write Line - Completed").Last).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(1500);
        await Browser.ScreenshotAsync(page, "studio-04-instance-viewer-journal");

        using (var api = _server.CreateKestrelClient())
        {
            var journal = await PostAsync(api, $"/elsa/api/workflow-instances/{instanceId}/journal", new JsonObject());
            Assert.Contains(journal.Body!["items"]!.AsArray(), record => (string?)record!["activityId"] == newId
                && (string?)record["eventName"] == "Completed" && (string?)record["message"] == "Welcome Hello from the designer");
        }

        problems.AssertNone();
    }

    [Fact]
    public async Task Designer_DefaultFlowOpenedAndSavedUnchanged_IsStoredUnchanged()
    {
        StudioPackageLocator.RequirePackage();
        Browser.RequireChromium();
        var file = Path.Combine(ElsaDefinitionContractTests.DefaultFlowsFolder(), "mentoring-kickoff.json");
        Assert.True(File.Exists(file), $"default flow {file} is missing");
        string definitionId;
        using (var api = _server.CreateKestrelClient())
        {
            var imported = await api.PostAsync(new Uri("/elsa/api/workflow-definitions/import", UriKind.Relative),
                new StringContent(await File.ReadAllTextAsync(file), System.Text.Encoding.UTF8, "application/json"));
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
            definitionId = (string)JsonNode.Parse(await imported.Content.ReadAsStringAsync())!["definitionId"]!;
        }

        var before = ReadLatest(definitionId);
        var activityCount = before["root"]!["activities"]!.AsArray().Count;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.NewPageAsync(browser, _server);
        var problems = PageProblems.Watch(page);
        await StudioNavigation.OpenFlowListFromHomeAsync(page);
        await StudioNavigation.OpenFlowByClickingItsRowAsync(page, definitionId);
        await Assertions.Expect(page.Locator(".x6-node")).ToHaveCountAsync(activityCount);
        await page.WaitForTimeoutAsync(1000);
        await Browser.ScreenshotAsync(page, "studio-05-default-flow-kickoff");

        var saved = page.WaitForResponseAsync(response => response.Request.Method == "POST"
            && response.Url.EndsWith("/elsa/api/workflow-definitions", StringComparison.Ordinal));
        // The save button (disk icon) is the toolbar button just left of publish (cloud icon).
        var publish = (await page.Locator("button.mud-icon-button.mud-primary-text >> visible=true").First.BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(publish.X - (publish.Width / 2) - 6, publish.Y + (publish.Height / 2));
        Assert.Equal(200, (await saved).Status);

        var after = ReadLatest(definitionId);
        Assert.True(JsonNode.DeepEquals(before, after), string.Join("\n", JsonDiff.Differences(before, after)));
        problems.AssertNone();
    }

    [Fact]
    public async Task FlowList_DefaultFlowRowClicked_OpensTheDesignerWhereAnEditIsPublishedThenTheHeaderLeadsBackToTheList()
    {
        StudioPackageLocator.RequirePackage();
        Browser.RequireChromium();
        const string definitionId = "mentoring-closing";
        var description = $"Closing flow edited in the designer ({Unique("edit")}).";
        int publishedBefore;
        using (var api = _server.CreateKestrelClient())
        {
            publishedBefore = (int)(await GetJsonAsync(api, $"/elsa/api/workflow-definitions/by-definition-id/{definitionId}?versionOptions=Published"))!["version"]!;
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.NewPageAsync(browser, _server);
        var problems = PageProblems.Watch(page);

        await StudioNavigation.OpenFlowListFromHomeAsync(page);
        await Browser.ScreenshotAsync(page, "studio-06-flow-list");
        await StudioNavigation.OpenFlowByClickingItsRowAsync(page, definitionId);
        await page.Locator(".x6-node[data-cell-id='start']").WaitForAsync();
        await page.WaitForTimeoutAsync(1000);
        await Browser.ScreenshotAsync(page, "studio-07-default-flow-opened-by-row-click");

        // Edit the flow's description in the properties panel and wait for the auto-save that carries it (the Studio
        // debounces the change; a publish clicked before it lands would publish the old draft), then publish.
        var field = page.GetByLabel("Description", new() { Exact = true }).First;
        var autoSaved = page.WaitForResponseAsync(response =>
            response.Request.Method == "POST" && response.Url.EndsWith("/elsa/api/workflow-definitions", StringComparison.Ordinal)
            && (response.Request.PostData ?? "").Contains(description, StringComparison.Ordinal));
        await field.FillAsync(description);
        await field.PressAsync("Tab");
        Assert.Equal(200, (await autoSaved).Status);
        var published = WaitForPublishAsync(page, definitionId);
        await page.Locator("button.mud-icon-button.mud-primary-text >> visible=true").First.ClickAsync();
        Assert.Equal(200, (await published).Status);
        using (var api = _server.CreateKestrelClient())
        {
            var now = await GetJsonAsync(api, $"/elsa/api/workflow-definitions/by-definition-id/{definitionId}?versionOptions=Published");
            Assert.Equal(description, (string?)now!["description"]);
            Assert.True((int)now["version"]! > publishedBefore, $"published version {now["version"]} is not newer than {publishedBefore}");
        }

        await Browser.ScreenshotAsync(page, "studio-08-default-flow-edited-and-published");

        // Back to the list through the header's link.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Flows (Studio)" }).ClickAsync();
        await page.WaitForURLAsync("**/studio/workflows/definitions**");
        await page.GetByPlaceholder(StudioNavigation.FlowSearch).FillAsync(definitionId);
        await Assertions.Expect(page.Locator("tbody tr", new() { HasText = definitionId })).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "studio-09-back-on-the-flow-list");
        problems.AssertNone();
    }

    [Fact]
    public async Task FlowList_CreateWorkflow_OpensTheNewFlowInTheDesignerWhereAnActivityIsAddedAndSaved()
    {
        StudioPackageLocator.RequirePackage();
        Browser.RequireChromium();
        var name = $"Created {Unique("flow")}";

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.NewPageAsync(browser, _server);
        var problems = PageProblems.Watch(page);
        await StudioNavigation.OpenFlowListFromHomeAsync(page);
        await page.Locator("tbody tr").First.WaitForAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Create workflow" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog).Filter(new() { HasText = "New workflow" });
        // The dialog's first field is the name (the Studio suggests "Workflow 1"); the flowchart type is preselected.
        await dialog.Locator("input >> visible=true").First.FillAsync(name);
        await Browser.ScreenshotAsync(page, "studio-10-create-workflow-dialog");
        var created = page.WaitForResponseAsync(response => response.Request.Method == "POST"
            && response.Url.EndsWith("/elsa/api/workflow-definitions", StringComparison.Ordinal)
            && (response.Request.PostData ?? "").Contains(name, StringComparison.Ordinal));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Ok" }).ClickAsync();
        Assert.Equal(200, (await created).Status);

        // The Studio opens the designer of the flow it created: its definition id is the one stored under that name.
        await page.WaitForURLAsync(new Regex("/studio/workflows/definitions/[^/]+/edit$"));
        var definitionId = Uri.UnescapeDataString(new Uri(page.Url).Segments[^2].TrimEnd('/'));
        Assert.Equal(name, (string?)ReadLatest(definitionId)["name"]);
        var canvas = page.Locator(".graph-container");
        await canvas.WaitForAsync();
        await Assertions.Expect(page.GetByText(name, new() { Exact = true }).First).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(1000);
        await Browser.ScreenshotAsync(page, "studio-11-created-flow-in-the-designer");

        // The new flow is editable: a Write Line dropped on the canvas is auto-saved into it.
        await page.GetByText("Console", new() { Exact = true }).ClickAsync();
        var canvasBox = (await canvas.BoundingBoxAsync())!;
        var autoSaved = page.WaitForResponseAsync(response => response.Request.Method == "POST"
            && response.Url.EndsWith("/elsa/api/workflow-definitions", StringComparison.Ordinal)
            && (response.Request.PostData ?? "").Contains("Elsa.WriteLine", StringComparison.Ordinal));
        await page.Locator("[draggable='true']").Filter(new() { HasText = "Write Line" }).First
            .DragToAsync(canvas, new() { TargetPosition = new() { X = canvasBox.Width * 0.5f, Y = canvasBox.Height * 0.4f } });
        await Assertions.Expect(page.Locator(".x6-node")).ToHaveCountAsync(1);
        Assert.Equal(200, (await autoSaved).Status);
        var stored = ReadLatest(definitionId);
        Assert.Equal(name, (string?)stored["name"]);
        Assert.Contains(stored["root"]!["activities"]!.AsArray(), activity => (string?)activity!["type"] == "Elsa.WriteLine");
        await Browser.ScreenshotAsync(page, "studio-12-created-flow-activity-added");
        problems.AssertNone();
    }

    [Fact]
    public async Task InstanceList_RowClicked_OpensTheViewerWhoseDefinitionLinkOpensTheDesigner_ThenTheHeaderLeadsBackToTheList()
    {
        StudioPackageLocator.RequirePackage();
        Browser.RequireChromium();
        var definitionId = Unique("instances");
        string instanceId;
        using (var api = _server.CreateKestrelClient())
        {
            await SaveAsync(api, DesignerSeed(definitionId), publish: true);
            var (response, _) = await PostAsync(api, $"/elsa/api/workflow-definitions/{definitionId}/execute", new JsonObject());
            instanceId = response.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.NewPageAsync(browser, _server);
        var problems = PageProblems.Watch(page);

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Instances" }).ClickAsync();
        await page.WaitForURLAsync("**/studio/workflows/instances**");
        await page.GetByPlaceholder(InstanceSearch).FillAsync(instanceId);
        var row = page.Locator("tbody tr", new() { HasText = instanceId });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await page.WaitForTimeoutAsync(500);
        await Browser.ScreenshotAsync(page, "studio-13-instance-list");

        // Each filter's label ends before the field's arrow icon starts.
        var overlaps = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('elsa-workflow-instance-list .mud-input-control')]
                .map(control => [control.querySelector(':scope > .mud-input-control-input-container > label'), control.querySelector('.mud-input-adornment')])
                .filter(([label, icon]) => label && icon && label.getBoundingClientRect().right > icon.getBoundingClientRect().left)
                .map(([label]) => label.textContent.trim())
            """);
        Assert.Empty(overlaps);

        await row.GetByText(instanceId, new() { Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/studio/workflows/instances/{instanceId}/view");
        await page.Locator(".x6-node[data-cell-id='hello']").WaitForAsync();
        await Assertions.Expect(page.GetByText("Write Line - Completed").Last).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(1000);
        await Browser.ScreenshotAsync(page, "studio-14-instance-viewer-opened-by-row-click");

        // The viewer's definition id links to the flow's designer.
        await page.GetByText(definitionId, new() { Exact = true }).First.ClickAsync();
        await page.WaitForURLAsync($"**/studio/workflows/definitions/{definitionId}/edit");
        await page.Locator(".x6-node[data-cell-id='hello']").WaitForAsync();

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Instances" }).ClickAsync();
        await page.WaitForURLAsync("**/studio/workflows/instances**");
        await page.GetByPlaceholder(InstanceSearch).FillAsync(instanceId);
        await Assertions.Expect(page.Locator("tbody tr", new() { HasText = instanceId })).ToHaveCountAsync(1);
        problems.AssertNone();
    }

    [Fact]
    public async Task Designer_NestedFlowchartDoubleClicked_OpensItsActivitiesAndTheBreadcrumbLeadsBackToTheRoot()
    {
        StudioPackageLocator.RequirePackage();
        Browser.RequireChromium();
        var definitionId = Unique("nested");
        var model = DesignerSeed(definitionId);
        var inner = new JsonObject
        {
            ["id"] = "inner",
            ["type"] = "Elsa.Flowchart",
            ["version"] = 1,
            ["name"] = "inner",
            ["metadata"] = new JsonObject { ["designer"] = new JsonObject { ["position"] = new JsonObject { ["x"] = 300, ["y"] = 40.5 } } },
            ["activities"] = new JsonArray(new JsonObject
            {
                ["id"] = "deep",
                ["type"] = "Elsa.WriteLine",
                ["version"] = 1,
                ["name"] = "deep",
                ["text"] = Expression("Literal", "Inside"),
                ["metadata"] = new JsonObject { ["designer"] = new JsonObject { ["position"] = new JsonObject { ["x"] = 0, ["y"] = 0 } } },
            }),
            ["connections"] = new JsonArray(),
        };
        model["root"]!["activities"]!.AsArray().Add(inner);
        model["root"]!["connections"]!.AsArray().Add(Connection("hello", "Done", "inner"));
        using (var api = _server.CreateKestrelClient())
        {
            await SaveAsync(api, model, publish: true);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.NewPageAsync(browser, _server);
        var problems = PageProblems.Watch(page);
        await StudioNavigation.OpenFlowListFromHomeAsync(page);
        await StudioNavigation.OpenFlowByClickingItsRowAsync(page, definitionId);
        await page.Locator(".x6-node[data-cell-id='inner']").WaitForAsync();

        await page.Locator(".x6-node[data-cell-id='inner']").DblClickAsync(new() { Force = true });
        await page.Locator(".x6-node[data-cell-id='deep']").WaitForAsync();
        await Assertions.Expect(page.Locator(".x6-node[data-cell-id='hello']")).ToHaveCountAsync(0);
        await page.WaitForTimeoutAsync(1000);
        await Browser.ScreenshotAsync(page, "studio-15-nested-flowchart-opened");

        await page.GetByText("Root", new() { Exact = true }).First.ClickAsync();
        await page.Locator(".x6-node[data-cell-id='hello']").WaitForAsync();
        await Assertions.Expect(page.Locator(".x6-node[data-cell-id='deep']")).ToHaveCountAsync(0);
        problems.AssertNone();
    }

    /// <summary>The designer's publish: a POST to <c>.../publish</c> or a save with <c>publish: true</c>.</summary>
    private static Task<IResponse> WaitForPublishAsync(IPage page, string definitionId) =>
        page.WaitForResponseAsync(response => response.Request.Method == "POST"
            && (response.Url.EndsWith($"/{definitionId}/publish", StringComparison.Ordinal)
                || (response.Url.EndsWith("/elsa/api/workflow-definitions", StringComparison.Ordinal)
                    && (response.Request.PostData ?? "").Contains("\"publish\":true", StringComparison.Ordinal))));

    private JsonObject ReadLatest(string definitionId)
    {
        using var connection = new SqliteConnection($"Data Source={_server.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT json FROM wf_definitions WHERE definition_id = $id AND is_latest = 1";
        command.Parameters.AddWithValue("$id", definitionId);
        return (JsonObject)JsonNode.Parse((string)command.ExecuteScalar()!)!;
    }

    private static JsonObject DesignerSeed(string definitionId) => new()
    {
        ["definitionId"] = definitionId,
        ["name"] = $"Designer {definitionId}",
        ["description"] = "Edited in the Studio by the browser test.",
        ["variables"] = new JsonArray(new JsonObject
        {
            ["id"] = "var-greeting",
            ["name"] = "Greeting",
            ["typeName"] = "String",
            ["isArray"] = false,
            ["value"] = "Hello",
        }),
        ["root"] = new JsonObject
        {
            ["type"] = "Elsa.Flowchart",
            ["version"] = 1,
            ["id"] = "fc",
            ["nodeId"] = "Workflow1:fc",
            ["metadata"] = new JsonObject(),
            ["customProperties"] = new JsonObject(),
            ["activities"] = new JsonArray(
                Activity("start", "Elsa.Start", -300),
                Activity("hello", "Elsa.WriteLine", 0, ("text", Expression("Literal", "Hello")))),
            ["connections"] = new JsonArray(Connection("start", "Done", "hello")),
        },
    };

    private (int Version, JsonObject Model) ReadPublished(string definitionId)
    {
        using var connection = new SqliteConnection($"Data Source={_server.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, json FROM wf_definitions WHERE definition_id = $id AND is_published = 1";
        command.Parameters.AddWithValue("$id", definitionId);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), $"no published version of {definitionId} in wf_definitions");
        var result = (reader.GetInt32(0), (JsonObject)JsonNode.Parse(reader.GetString(1))!);
        Assert.False(reader.Read(), "more than one published version");
        return result;
    }
}
