using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using Microsoft.Extensions.DependencyInjection;
using static MentorFlow.Server.Tests.Studio.StudioFlows;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>
/// Contract tests of the workflow-definition endpoints the Studio calls: status codes and the JSON fields it reads
/// (names from the Elsa 3 client and server sources; the surface is listed in workflows/MentorFlow.Server/Studio/README.md).
/// </summary>
public sealed partial class ElsaDefinitionContractTests : IClassFixture<StudioServer>
{
    private readonly StudioServer _factory;

    public ElsaDefinitionContractTests(StudioServer factory) => _factory = factory;

    [Fact]
    public async Task GetByDefinitionId_Latest_ReturnsTheDefinitionWithPublishLinkAndStoredRoot()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("get");
        await SaveAsync(client, Waiting(id));

        var definition = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/by-definition-id/{id}?versionOptions=Latest");

        Assert.Equal(id, (string?)definition["definitionId"]);
        Assert.False(string.IsNullOrEmpty((string?)definition["id"]));
        Assert.Equal($"Flow {id}", (string?)definition["name"]);
        Assert.Equal(1, (int?)definition["version"]);
        Assert.True((bool?)definition["isLatest"]);
        Assert.False((bool?)definition["isPublished"]);
        Assert.False((bool?)definition["isReadonly"]);
        Assert.False((bool?)definition["isSystem"]);
        Assert.NotNull(definition["createdAt"]);
        Assert.Equal("Greeting", (string?)definition["variables"]![0]!["name"]);
        Assert.IsType<JsonArray>(definition["inputs"]);
        Assert.IsType<JsonArray>(definition["outputs"]);
        Assert.IsType<JsonArray>(definition["outcomes"]);
        Assert.IsType<JsonObject>(definition["options"]);
        Assert.Equal("Elsa.Flowchart", (string?)definition["root"]!["type"]);
        Assert.Equal(4, definition["root"]!["activities"]!.AsArray().Count);
        var links = definition["links"]!.AsArray();
        Assert.Contains(links, link => (string?)link!["rel"] == "publish" && (string?)link["method"] == "POST"
            && ((string?)link["href"])!.EndsWith($"/workflow-definitions/{id}/publish", StringComparison.Ordinal));
        Assert.All(links, link => Assert.NotNull((string?)link!["href"]));
    }

    [Fact]
    public async Task GetByDefinitionId_AliasAndById_ReturnTheSameVersion()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("alias");
        var saved = await SaveAsync(client, Waiting(id));
        var versionId = (string)saved["workflowDefinition"]!["id"]!;

        var alias = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/{id}");
        var byId = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/by-id/{versionId}");
        var many = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/many-by-id?ids={versionId}&ids=no-such-version");

        Assert.Equal(versionId, (string?)alias["id"]);
        Assert.Equal(id, (string?)byId["definitionId"]);
        Assert.Equal(1, (long?)many["count"]);
        Assert.Equal(versionId, (string?)many["items"]![0]!["id"]);
    }

    [Theory]
    [InlineData("/elsa/api/workflow-definitions/by-definition-id/no-such-flow?versionOptions=Latest")]
    [InlineData("/elsa/api/workflow-definitions/by-id/no-such-version")]
    public async Task Get_UnknownDefinition_Returns404Problem(string path)
    {
        using var client = _factory.CreateManagerClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetByDefinitionId_UnknownVersionOption_Returns400NamingVersionOptions()
    {
        using var client = _factory.CreateManagerClient();

        var response = await client.GetAsync(new Uri("/elsa/api/workflow-definitions/by-definition-id/x?versionOptions=Newest", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotNull(problem["errors"]!["versionOptions"]);
    }

    [Fact]
    public async Task List_ReturnsPagedSummariesWithTheLinksTheStudioNeeds()
    {
        using var client = _factory.CreateManagerClient();
        var prefix = Unique("list");
        await SaveAsync(client, Waiting(prefix + "-a", $"{prefix} alpha"));
        await SaveAsync(client, Waiting(prefix + "-b", $"{prefix} beta"), publish: true);

        var page = await GetJsonAsync(client,
            $"/elsa/api/workflow-definitions?versionOptions=Latest&Page=0&PageSize=1&IsSystem=False&SearchTerm={prefix}&OrderBy=Name&OrderDirection=Ascending");

        Assert.Equal(2, (long?)page["totalCount"]);
        var item = page["items"]!.AsArray().Single()!;
        Assert.Equal($"{prefix} alpha", (string?)item["name"]);
        Assert.Equal(prefix + "-a", (string?)item["definitionId"]);
        Assert.Equal(1, (int?)item["version"]);
        Assert.True((bool?)item["isLatest"]);
        Assert.False((bool?)item["isPublished"]);
        Assert.False((bool?)item["isReadonly"]);
        Assert.Equal("Json", (string?)item["materializerName"]);
        Assert.True((bool?)item["isMaterializerAvailable"]);
        Assert.NotNull(item["createdAt"]);
        Assert.Contains(item["links"]!.AsArray(), link => (string?)link!["rel"] == "publish");
        var rels = page["links"]!.AsArray().Select(link => (string?)link!["rel"]).ToList();
        Assert.Contains("bulk-publish", rels);
        Assert.Contains("bulk-delete-by-definition-id", rels);

        var published = await GetJsonAsync(client, $"/elsa/api/workflow-definitions?versionOptions=Published&DefinitionIds={prefix}-a&DefinitionIds={prefix}-b");
        Assert.Equal(prefix + "-b", (string?)published["items"]!.AsArray().Single()!["definitionId"]);

        var system = await GetJsonAsync(client, $"/elsa/api/workflow-definitions?versionOptions=Latest&IsSystem=True&SearchTerm={prefix}");
        Assert.Equal(0, (long?)system["totalCount"]);
    }

    [Theory]
    [InlineData("Page=-1&PageSize=10", "page")]
    [InlineData("Page=0&PageSize=0", "pageSize")]
    [InlineData("OrderBy=Colour", "orderBy")]
    [InlineData("OrderDirection=Sideways", "orderDirection")]
    [InlineData("versionOptions=Someday", "versionOptions")]
    public async Task List_BadQuery_Returns400NamingTheParameter(string query, string field)
    {
        using var client = _factory.CreateManagerClient();

        var response = await client.GetAsync(new Uri($"/elsa/api/workflow-definitions?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Save_Draft_Returns200WithTheStoredDefinitionAndKeepsDesignerMetadata()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("save");

        var saved = await SaveAsync(client, Waiting(id));

        Assert.False((bool?)saved["alreadyPublished"]);
        Assert.Equal(0, (int?)saved["consumingWorkflowCount"]);
        var definition = saved["workflowDefinition"]!;
        Assert.Equal(id, (string?)definition["definitionId"]);
        Assert.False((bool?)definition["isPublished"]);
        Assert.Contains(definition["links"]!.AsArray(), link => (string?)link!["rel"] == "publish");
        var stored = await _factory.Services.GetRequiredService<IWorkflowDefinitionService>().FindAsync(id, VersionOptions.Latest);
        Assert.NotNull(stored);
        Assert.Equal(200, (int?)stored.Model["root"]!["activities"]![1]!["metadata"]!["designer"]!["size"]!["width"]);
        Assert.Equal("studio-tests", (string?)stored.Model["customProperties"]!["mentorflow:owner"]);
        Assert.Null(stored.Model["links"]);
    }

    [Fact]
    public async Task Save_WithPublish_StoresAPublishedVersion()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("publish-on-save");

        var saved = await SaveAsync(client, Waiting(id), publish: true);

        Assert.True((bool?)saved["workflowDefinition"]!["isPublished"]);
        var stored = await _factory.Services.GetRequiredService<IWorkflowDefinitionService>().FindAsync(id, VersionOptions.Published);
        Assert.NotNull(stored);
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task Save_WithPublishWhenDefinitionIsInvalid_Returns400WithEveryErrorAndStoresNothing()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("bad-publish");

        var (response, problem) = await PostAsync(client, "/elsa/api/workflow-definitions", new JsonObject { ["model"] = Invalid(id), ["publish"] = true });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = problem!["errors"]!.AsObject();
        Assert.True(errors.Count >= 2, problem.ToJsonString());
        Assert.Contains(errors, pair => pair.Key.StartsWith("write", StringComparison.Ordinal));
        Assert.Contains(errors, pair => pair.Value!.ToJsonString().Contains("nowhere", StringComparison.Ordinal));
        var missing = await client.GetAsync(new Uri($"/elsa/api/workflow-definitions/by-definition-id/{id}?versionOptions=Latest", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Save_InvalidDraftWithoutPublish_KeepsTheDraftAndListsItsErrors()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("bad-draft");

        var saved = await SaveAsync(client, Invalid(id));

        Assert.NotEmpty(saved["validationErrors"]!.AsArray());
        Assert.False((bool?)saved["workflowDefinition"]!["isPublished"]);
    }

    [Theory]
    [InlineData("{}", "model")]
    [InlineData("{\"model\":{\"definitionId\":\"x\",\"root\":[1,2]}}", "model.root")]
    public async Task Save_WithoutAUsableModel_Returns400NamingTheField(string body, string field)
    {
        using var client = _factory.CreateManagerClient();

        var response = await client.PostAsync(new Uri("/elsa/api/workflow-definitions", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Publish_ValidDraft_ReturnsThePublishedDefinitionAndTwiceSaysAlreadyPublished()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("publish");
        await SaveAsync(client, Waiting(id));

        var (first, firstBody) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/publish", new JsonObject());
        var (second, secondBody) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/publish", new JsonObject());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True((bool?)firstBody!["workflowDefinition"]!["isPublished"]);
        Assert.False((bool?)firstBody["alreadyPublished"]);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True((bool?)secondBody!["alreadyPublished"]);
    }

    [Fact]
    public async Task Publish_InvalidDraft_IsRefusedWithAllErrorsAndNothingIsPublished()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("publish-bad");
        await SaveAsync(client, Invalid(id));

        var (response, problem) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/publish", new JsonObject());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem!["errors"]!.AsObject().Count >= 2, problem.ToJsonString());
        Assert.Null(await _factory.Services.GetRequiredService<IWorkflowDefinitionService>().FindAsync(id, VersionOptions.Published));
    }

    [Fact]
    public async Task Publish_UnknownDefinition_Returns404()
    {
        using var client = _factory.CreateManagerClient();

        var (response, _) = await PostAsync(client, "/elsa/api/workflow-definitions/no-such-flow/publish", new JsonObject());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Retract_PublishedDefinition_ReturnsItUnpublished_AndWithNothingPublishedReturns400()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("retract");
        await SaveAsync(client, Waiting(id), publish: true);

        var (response, body) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/retract", new JsonObject());
        var (again, problem) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/retract", new JsonObject());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, (string?)body!["definitionId"]);
        Assert.False((bool?)body["isPublished"]);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.NotNull(problem!["errors"]!["definitionId"]);
    }

    [Fact]
    public async Task RoundTrip_DefinitionOpenedAndSavedUnchanged_IsStoredUnchanged()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("round-trip");
        await SaveAsync(client, Waiting(id));
        var definitions = _factory.Services.GetRequiredService<IWorkflowDefinitionService>();
        var before = (await definitions.FindAsync(id, VersionOptions.Latest))!.Model.DeepClone();

        var opened = (JsonObject)await GetJsonAsync(client, $"/elsa/api/workflow-definitions/by-definition-id/{id}?versionOptions=Latest");
        await SaveAsync(client, StudioSaveModel(opened));

        var after = (await definitions.FindAsync(id, VersionOptions.Latest))!.Model;
        Assert.True(JsonNode.DeepEquals(before, after), string.Join("\n", JsonDiff.Differences(before, after)));
    }

    [Fact]
    public async Task Get_FlowCreatedInTheStudioWithoutNodeIds_GivesEveryActivityItsElsaNodeId_AndSavingItBackStoresNone()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("created");
        // What the Studio's "Create workflow" posts: no node ids, the unset createdAt.
        var created = new JsonObject
        {
            ["definitionId"] = id,
            ["name"] = $"Flow {id}",
            ["createdAt"] = "0001-01-01T00:00:00+00:00",
            ["root"] = new JsonObject
            {
                ["id"] = "root1",
                ["type"] = "Elsa.Flowchart",
                ["version"] = 1,
                ["activities"] = new JsonArray(
                    new JsonObject { ["id"] = "a", ["type"] = "Elsa.Start", ["version"] = 1 },
                    new JsonObject
                    {
                        ["id"] = "inner",
                        ["type"] = "Elsa.Flowchart",
                        ["version"] = 1,
                        ["activities"] = new JsonArray(new JsonObject { ["id"] = "b", ["type"] = "Elsa.WriteLine", ["version"] = 1 }),
                        ["connections"] = new JsonArray(),
                    }),
                ["connections"] = new JsonArray(),
            },
        };
        await SaveAsync(client, created);
        var definitions = _factory.Services.GetRequiredService<IWorkflowDefinitionService>();
        var before = (await definitions.FindAsync(id, VersionOptions.Latest))!.Model.DeepClone();
        Assert.DoesNotContain("0001-01-01", before["createdAt"]?.ToJsonString() ?? "", StringComparison.Ordinal);

        var opened = (JsonObject)await GetJsonAsync(client, $"/elsa/api/workflow-definitions/by-definition-id/{id}?versionOptions=Latest");

        var root = opened["root"]!;
        Assert.Equal("Workflow1:root1", (string?)root["nodeId"]);
        Assert.Equal("Workflow1:root1:a", (string?)root["activities"]![0]!["nodeId"]);
        Assert.Equal("Workflow1:root1:inner", (string?)root["activities"]![1]!["nodeId"]);
        Assert.Equal("Workflow1:root1:inner:b", (string?)root["activities"]![1]!["activities"]![0]!["nodeId"]);
        Assert.NotEqual(default, DateTimeOffset.Parse((string)opened["createdAt"]!, System.Globalization.CultureInfo.InvariantCulture));

        await SaveAsync(client, StudioSaveModel(opened));
        var after = (await definitions.FindAsync(id, VersionOptions.Latest))!.Model;
        Assert.True(JsonNode.DeepEquals(before, after), string.Join("\n", JsonDiff.Differences(before, after)));
    }

    [Fact]
    public async Task Subgraph_OfANestedFlowchartsNodeId_ReturnsThatActivityWithItsChildren_AndUnknownIdsGiveRootOr404()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("subgraph");
        var model = Waiting(id);
        model["root"]!["activities"]!.AsArray().Add(new JsonObject
        {
            ["id"] = "inner",
            ["type"] = "Elsa.Flowchart",
            ["version"] = 1,
            ["activities"] = new JsonArray(new JsonObject { ["id"] = "deep", ["type"] = "Elsa.WriteLine", ["version"] = 1 }),
            ["connections"] = new JsonArray(),
        });
        var saved = await SaveAsync(client, model);
        var versionId = (string)saved["workflowDefinition"]!["id"]!;
        var rootNodeId = (string)saved["workflowDefinition"]!["root"]!["nodeId"]!;

        var inner = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/subgraph/{versionId}?parentNodeId={Uri.EscapeDataString($"{rootNodeId}:inner")}");
        Assert.Equal($"{rootNodeId}:inner", (string?)inner["nodeId"]);
        Assert.Equal("inner", (string?)inner["activity"]!["id"]);
        Assert.Equal($"{rootNodeId}:inner:deep", (string?)inner["activity"]!["activities"]![0]!["nodeId"]);

        var root = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/subgraph/{versionId}?parentNodeId=nowhere");
        Assert.Equal(rootNodeId, (string?)root["nodeId"]);

        using var missing = await client.GetAsync(new Uri("/elsa/api/workflow-definitions/subgraph/no-such-version", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task RoundTrip_EveryDefaultFlowOpenedAndSavedUnchanged_IsStoredUnchanged()
    {
        var folder = DefaultFlowsFolder();
        var files = Directory.GetFiles(folder, "*.json");
        Assert.NotEmpty(files);
        using var client = _factory.CreateManagerClient();
        var definitions = _factory.Services.GetRequiredService<IWorkflowDefinitionService>();
        foreach (var file in files)
        {
            var imported = await client.PostAsync(new Uri("/elsa/api/workflow-definitions/import", UriKind.Relative),
                new StringContent(await File.ReadAllTextAsync(file), Encoding.UTF8, "application/json"));
            Assert.True(imported.IsSuccessStatusCode, $"{Path.GetFileName(file)}: {await imported.Content.ReadAsStringAsync()}");
            var id = (string)JsonNode.Parse(await imported.Content.ReadAsStringAsync())!["definitionId"]!;
            var before = (await definitions.FindAsync(id, VersionOptions.Latest))!.Model.DeepClone();

            var opened = (JsonObject)await GetJsonAsync(client, $"/elsa/api/workflow-definitions/by-definition-id/{Uri.EscapeDataString(id)}?versionOptions=Latest");
            await SaveAsync(client, StudioSaveModel(opened));

            var after = (await definitions.FindAsync(id, VersionOptions.Latest))!.Model;
            Assert.True(JsonNode.DeepEquals(before, after), $"{Path.GetFileName(file)}: " + string.Join("\n", JsonDiff.Differences(before, after)));
        }
    }

    /// <summary>
    /// What the Studio posts when it saves a definition it opened (Elsa.Api.Client's WorkflowDefinitionModel written by
    /// System.Text.Json: every property, nulls included, links kept, options with all their fields).
    /// </summary>
    internal static JsonObject StudioSaveModel(JsonObject opened)
    {
        var model = (JsonObject)opened.DeepClone();
        model["toolVersion"] ??= null;
        model["providerName"] ??= null;
        model["materializerContext"] ??= null;
        var options = model["options"] as JsonObject ?? [];
        foreach (var key in new[] { "activationStrategyType", "usableAsActivity", "activityCategory", "incidentStrategyType", "commitStrategyName" })
        {
            options[key] ??= null;
        }

        options["autoUpdateConsumingWorkflows"] ??= false;
        model["options"] = options;
        return model;
    }

    internal static string DefaultFlowsFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "workflows", "definitions");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(directory.FullName, "MentorFlow.sln")))
            {
                return candidate;
            }
        }

        Assert.Fail("workflows/definitions (the default flows) was not found above the test binaries.");
        return null!;
    }

    private static List<string> Strings(JsonNode? node) => node!.AsArray().Select(item => (string)item!).ToList();
}
