using System.Net;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;
using static MentorFlow.Server.Tests.Studio.StudioFlows;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>
/// Flows usable as activities through the Elsa API: the descriptor the Studio's toolbox shows (Elsa's
/// workflow-definition activity shape), following publish, retract and delete, and a parent using one, whose node is
/// served with the flow's latest published version (the Studio's upgrade hint) while it runs the version it pins.
/// </summary>
public sealed class ElsaDefinitionActivityContractTests : IClassFixture<StudioServer>
{
    private readonly StudioServer _factory;

    public ElsaDefinitionActivityContractTests(StudioServer factory) => _factory = factory;

    /// <summary>Start → Set Output Answer ("hi {{ Input.Who }}") → Complete "Yes"; usable as an activity in category "Mentoring tools".</summary>
    internal static JsonObject Asking(string definitionId, string name) => new()
    {
        ["definitionId"] = definitionId,
        ["name"] = name,
        ["description"] = "Asks a mentor.",
        ["variables"] = new JsonArray(),
        ["inputs"] = new JsonArray(new JsonObject { ["type"] = "String", ["name"] = "Who", ["displayName"] = "Who", ["uiHint"] = "singleline", ["isArray"] = false }),
        ["outputs"] = new JsonArray(new JsonObject { ["type"] = "String", ["name"] = "Answer", ["displayName"] = "Answer", ["isArray"] = false }),
        ["outcomes"] = new JsonArray("Yes", "No"),
        ["options"] = new JsonObject { ["usableAsActivity"] = true, ["activityCategory"] = "Mentoring tools", ["autoUpdateConsumingWorkflows"] = false },
        ["root"] = new JsonObject
        {
            ["type"] = "Elsa.Flowchart",
            ["version"] = 1,
            ["id"] = "fc",
            ["nodeId"] = "Workflow1:fc",
            ["activities"] = new JsonArray(
                Activity("start", "Elsa.Start", 0),
                Activity("answer", "Elsa.SetOutput", 250, ("outputName", Expression("Literal", "Answer")), ("outputValue", Expression("Liquid", "hi {{ Input.Who }}"))),
                Activity("yes", "Elsa.Complete", 500, ("outcomes", Expression("Object", "[\"Yes\"]")))),
            ["connections"] = new JsonArray(Connection("start", "Done", "answer"), Connection("answer", "Done", "yes")),
        },
    };

    [Fact]
    public async Task ActivityDescriptors_OfferAPublishedFlowUsableAsActivity_InElsasShape_AndFollowRetractAndDelete()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("asking");
        var suffix = id["asking-".Length..];
        var typeName = $"AskMentor{char.ToUpperInvariant(suffix[0])}{suffix[1..]}";
        var saved = await SaveAsync(client, Asking(id, $"Ask mentor {suffix}"));

        Assert.False((bool?)(await FindAsync(client, typeName))!["isBrowsable"]);

        var (published, _) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/publish", null);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var descriptor = (await FindAsync(client, typeName))!;
        Assert.True((bool?)descriptor["isBrowsable"]);
        Assert.Equal($"Ask mentor {suffix}", (string?)descriptor["displayName"]);
        Assert.Equal("Mentoring tools", (string?)descriptor["category"]);
        Assert.Equal(1, (int?)descriptor["version"]);
        var who = Assert.Single(descriptor["inputs"]!.AsArray())!;
        Assert.Equal(("Who", "String", "singleline", true, true), ((string?)who["name"], (string?)who["typeName"], (string?)who["uiHint"], (bool?)who["isSynthetic"], (bool?)who["isWrapped"]));
        Assert.Equal("Answer", (string?)Assert.Single(descriptor["outputs"]!.AsArray())!["name"]);
        Assert.Equal(["Root:Embedded:False", "Yes:Flow:True", "No:Flow:True"],
            descriptor["ports"]!.AsArray().Select(p => $"{p!["name"]}:{p["type"]}:{(bool)p["isBrowsable"]!}"));
        Assert.Equal("WorkflowDefinitionActivity", (string?)descriptor["customProperties"]!["RootType"]);
        Assert.Equal(id, (string?)descriptor["customProperties"]!["WorkflowDefinitionId"]);
        Assert.Equal(id, (string?)descriptor["constructionProperties"]!["WorkflowDefinitionId"]);
        Assert.Equal((string?)saved["workflowDefinition"]!["id"], (string?)descriptor["constructionProperties"]!["WorkflowDefinitionVersionId"]);
        Assert.Equal(1, (int?)descriptor["constructionProperties"]!["Version"]);

        await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/retract", null);
        Assert.False((bool?)(await FindAsync(client, typeName))!["isBrowsable"]);

        var deleted = await client.DeleteAsync(new Uri($"/elsa/api/workflow-definitions/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(await FindAsync(client, typeName));
    }

    [Fact]
    public async Task AParentUsingTheFlow_RunsIt_IsItsConsumer_AndPublishingItOnceTheFlowIsRetracted_Is400NamingTheActivity()
    {
        using var client = _factory.CreateManagerClient();
        var childId = Unique("asking");
        var suffix = childId["asking-".Length..];
        var child = await SaveAsync(client, Asking(childId, $"Ask mentor {suffix}"), publish: true);
        var parentId = Unique("asking-parent");
        var parent = Waiting(parentId);
        var node = Activity("ask", $"AskMentor{char.ToUpperInvariant(suffix[0])}{suffix[1..]}", 250, ("who", Expression("Literal", "Ana")));
        node["workflowDefinitionId"] = childId;
        node["workflowDefinitionVersionId"] = (string?)child["workflowDefinition"]!["id"];
        node["latestAvailablePublishedVersion"] = 1;
        node["latestAvailablePublishedVersionId"] = (string?)child["workflowDefinition"]!["id"];
        node["answer"] = new JsonObject { ["typeName"] = "String", ["memoryReference"] = new JsonObject { ["id"] = "var-greeting" } };
        parent["root"]!["activities"]!.AsArray().Insert(1, node);
        parent["root"]!["connections"]![0]!["target"]!["activity"] = "ask";
        parent["root"]!["connections"]!.AsArray().Add(Connection("ask", "Yes", "write"));
        await SaveAsync(client, parent, publish: true);

        var (executed, _) = await PostAsync(client, $"/elsa/api/workflow-definitions/{parentId}/execute", new JsonObject { ["versionOptions"] = "Published" });

        Assert.Equal(HttpStatusCode.OK, executed.StatusCode);
        var instance = await _factory.Services.GetRequiredService<IWorkflowRuntime>().GetInstanceAsync(executed.Headers.GetValues("x-elsa-workflow-instance-id").Single());
        Assert.Equal("hi Ana", instance!.Variables["Greeting"]!.GetValue<string>());
        Assert.Contains(instance.Journal, j => j.ActivityType == "Elsa.WriteLine" && j.Message == $"hi Ana from {parentId}");

        var consumers = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/{childId}/consumers");
        Assert.Equal([parentId], consumers["consumingWorkflowDefinitionIds"]!.AsArray().Select(c => (string?)c));

        await PostAsync(client, $"/elsa/api/workflow-definitions/{childId}/retract", null);
        parent["description"] = "changed";
        await SaveAsync(client, parent);
        var (refused, problem) = await PostAsync(client, $"/elsa/api/workflow-definitions/{parentId}/publish", null);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var message = (string?)problem!["errors"]!["ask.workflowDefinitionId"]![0];
        Assert.Contains($"'Ask mentor {suffix}' this activity runs is not published", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParentPinnedToChildV1_IsServedWithV2AsTheLatestAvailable_OnceTheChildIsPublishedAgain_AndSavingItKeepsItsPin()
    {
        using var client = _factory.CreateManagerClient();
        var childId = Unique("asking");
        var suffix = childId["asking-".Length..];
        var childModel = Asking(childId, $"Ask mentor {suffix}");
        var v1 = (string)(await SaveAsync(client, childModel, publish: true))["workflowDefinition"]!["id"]!;
        var parentId = Unique("asking-parent");
        var parent = ParentPinnedTo(parentId, childId, v1);
        var parentVersion = (string)(await SaveAsync(client, parent, publish: true))["workflowDefinition"]!["id"]!;

        childModel["description"] = "Asks a mentor, kindly.";
        var v2 = (string)(await SaveAsync(client, childModel, publish: true))["workflowDefinition"]!["id"]!;
        var served = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/by-definition-id/{parentId}?versionOptions=Published");
        var byId = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/by-id/{parentVersion}");

        var ask = Ask(served);
        Assert.NotEqual(v1, v2);
        Assert.Equal((1, v1, 2, v2), ((int?)ask["version"], (string?)ask["workflowDefinitionVersionId"], (int?)ask["latestAvailablePublishedVersion"], (string?)ask["latestAvailablePublishedVersionId"]));
        Assert.Equal((2, v2), ((int?)Ask(byId)["latestAvailablePublishedVersion"], (string?)Ask(byId)["latestAvailablePublishedVersionId"]));

        // The Studio posts back what it read: the pin stays v1 and the hint is not stored as the node's.
        var resaved = await SaveAsync(client, served.AsObject());
        var stored = await _factory.Services.GetRequiredService<IWorkflowDefinitionService>().FindAsync(parentId, VersionOptions.Latest);
        var storedAsk = stored!.Model["root"]!["activities"]!.AsArray().Single(a => (string?)a!["id"] == "ask")!.AsObject();
        Assert.Equal((1, v1), ((int?)storedAsk["version"], (string?)storedAsk["workflowDefinitionVersionId"]));
        Assert.False(storedAsk.ContainsKey("latestAvailablePublishedVersion"));
        Assert.False(storedAsk.ContainsKey("latestAvailablePublishedVersionId"));
        Assert.Equal((2, v2), ((int?)Ask(resaved["workflowDefinition"]!)["latestAvailablePublishedVersion"], (string?)Ask(resaved["workflowDefinition"]!)["latestAvailablePublishedVersionId"]));

        await PostAsync(client, $"/elsa/api/workflow-definitions/{childId}/retract", null);
        var afterRetract = Ask(await GetJsonAsync(client, $"/elsa/api/workflow-definitions/by-id/{parentVersion}"));
        Assert.Equal((1, v1), ((int?)afterRetract["latestAvailablePublishedVersion"], (string?)afterRetract["latestAvailablePublishedVersionId"]));
    }

    /// <summary>
    /// A waiting flow whose node "ask" runs the asking flow <paramref name="childId"/> (made by <see cref="Asking"/> with
    /// an "Ask mentor …" name), pinned to its version <paramref name="childVersionId"/> (version 1, the latest when made).
    /// </summary>
    public static JsonObject ParentPinnedTo(string parentId, string childId, string childVersionId)
    {
        var suffix = childId["asking-".Length..];
        var parent = Waiting(parentId);
        var node = Activity("ask", $"AskMentor{char.ToUpperInvariant(suffix[0])}{suffix[1..]}", 250, ("who", Expression("Literal", "Ana")));
        node["workflowDefinitionId"] = childId;
        node["workflowDefinitionVersionId"] = childVersionId;
        node["latestAvailablePublishedVersion"] = 1;
        node["latestAvailablePublishedVersionId"] = childVersionId;
        parent["root"]!["activities"]!.AsArray().Insert(1, node);
        parent["root"]!["connections"]![0]!["target"]!["activity"] = "ask";
        parent["root"]!["connections"]!.AsArray().Add(Connection("ask", "Yes", "write"));
        return parent;
    }

    /// <summary>The node "ask" of a definition.</summary>
    public static JsonObject Ask(JsonNode definition) =>
        definition["root"]!["activities"]!.AsArray().Single(a => (string?)a!["id"] == "ask")!.AsObject();

    private static async Task<JsonNode?> FindAsync(HttpClient client, string typeName)
    {
        var body = await GetJsonAsync(client, "/elsa/api/descriptors/activities");
        return body["items"]!.AsArray().SingleOrDefault(item => (string?)item!["typeName"] == typeName);
    }
}
