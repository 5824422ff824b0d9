using System.Net;
using System.Text.Json.Nodes;
using static MentorFlow.Server.Tests.Studio.StudioFlows;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>
/// The designer's sub-graph endpoints: an activity's node with its port (<c>subgraph/{versionId}</c>), the path of
/// containers down to an activity (<c>subgraph/segments/{versionId}</c>), and a flow used as an activity opened to
/// the root of the version it runs; embedded ports (a loop's Body) in the descriptors, so the designer offers them.
/// </summary>
public sealed class ElsaDefinitionGraphContractTests : IClassFixture<StudioServer>
{
    private readonly StudioServer _factory;

    public ElsaDefinitionGraphContractTests(StudioServer factory) => _factory = factory;

    /// <summary>Waiting(id) plus a For Each whose body is a flowchart holding a Write Line ("line").</summary>
    internal static JsonObject WithForEachBody(string id)
    {
        var model = Waiting(id);
        var loop = Activity("loop", "Elsa.ForEach", 250, ("items", Expression("Object", "[1, 2]")));
        loop["body"] = new JsonObject
        {
            ["id"] = "body",
            ["type"] = "Elsa.Flowchart",
            ["version"] = 1,
            ["nodeId"] = "Workflow1:fc:loop:body",
            ["activities"] = new JsonArray(Activity("line", "Elsa.WriteLine", 0, ("text", Expression("Liquid", "item {{ CurrentValue }}")))),
            ["connections"] = new JsonArray(),
        };
        loop["body"]!["activities"]![0]!["nodeId"] = "Workflow1:fc:loop:body:line";
        model["root"]!["activities"]!.AsArray().Add(loop);
        model["root"]!["connections"]!.AsArray().Add(Connection("end", "Done", "loop"));
        return model;
    }

    [Fact]
    public async Task Segments_OfAnActivityInAForEachBody_NameTheLoopAndItsBodyPort_AndTheContainerIsTheLoop()
    {
        using var client = _factory.CreateManagerClient();
        var saved = await SaveAsync(client, WithForEachBody(Unique("graph")));
        var versionId = (string)saved["workflowDefinition"]!["id"]!;
        var rootNodeId = (string)saved["workflowDefinition"]!["root"]!["nodeId"]!;
        var lineNodeId = $"{rootNodeId}:loop:body:line";

        var answer = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/subgraph/segments/{versionId}?childNodeId={Uri.EscapeDataString(lineNodeId)}");

        Assert.Equal(lineNodeId, (string?)answer["childNode"]!["nodeId"]);
        Assert.Equal("Activities", (string?)answer["childNode"]!["port"]);
        Assert.Equal("Elsa.WriteLine", (string?)answer["childNode"]!["activity"]!["type"]);
        Assert.Equal($"{rootNodeId}:loop", (string?)answer["container"]!["nodeId"]);
        Assert.Equal("body", (string?)answer["container"]!["activity"]!["body"]!["id"]);
        var segment = Assert.Single(answer["pathSegments"]!.AsArray())!;
        Assert.Equal(($"{rootNodeId}:loop", "loop", "Elsa.ForEach", "Body"),
            ((string?)segment["activityNodeId"], (string?)segment["activityId"], (string?)segment["activityType"], (string?)segment["portName"]));

        var top = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/subgraph/segments/{versionId}?childNodeId={Uri.EscapeDataString($"{rootNodeId}:write")}");
        Assert.Empty(top["pathSegments"]!.AsArray());
        Assert.Equal(rootNodeId, (string?)top["container"]!["nodeId"]);
    }

    [Fact]
    public async Task Segments_WithAnUnknownOrMissingNodeId_Are400NamingIt_AndAnUnknownVersionIs404()
    {
        using var client = _factory.CreateManagerClient();
        var saved = await SaveAsync(client, WithForEachBody(Unique("graph-bad")));
        var versionId = (string)saved["workflowDefinition"]!["id"]!;

        foreach (var query in new[] { "?childNodeId=%3Cscript%3E", "" })
        {
            using var response = await client.GetAsync(new Uri($"/elsa/api/workflow-definitions/subgraph/segments/{versionId}{query}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.NotNull(problem["errors"]!["childNodeId"]);
        }

        using var missing = await client.GetAsync(new Uri("/elsa/api/workflow-definitions/subgraph/segments/no-such-version?childNodeId=x", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Subgraph_OfTheLoop_GivesItsPortInTheParent_AndTheDescriptorOffersItsBodyAsAnEmbeddedPort()
    {
        using var client = _factory.CreateManagerClient();
        var saved = await SaveAsync(client, WithForEachBody(Unique("graph-loop")));
        var versionId = (string)saved["workflowDefinition"]!["id"]!;
        var rootNodeId = (string)saved["workflowDefinition"]!["root"]!["nodeId"]!;

        var loop = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/subgraph/{versionId}?parentNodeId={Uri.EscapeDataString($"{rootNodeId}:loop")}");
        var body = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/subgraph/{versionId}?parentNodeId={Uri.EscapeDataString($"{rootNodeId}:loop:body")}");

        Assert.Equal("Activities", (string?)loop["port"]);
        Assert.Equal("Body", (string?)body["port"]);
        Assert.Equal("line", (string?)body["activity"]!["activities"]![0]!["id"]);
        var descriptors = await GetJsonAsync(client, "/elsa/api/descriptors/activities");
        var forEach = descriptors["items"]!.AsArray().Single(d => (string?)d!["typeName"] == "Elsa.ForEach")!;
        Assert.Equal(["Iterate:Flow", "Done:Flow", "Body:Embedded"], forEach["ports"]!.AsArray().Select(p => $"{p!["name"]}:{p["type"]}"));
    }

    [Fact]
    public async Task Subgraph_OfAFlowUsedAsAnActivity_CarriesTheRootOfTheVersionItRuns_UnderItsOwnNodeId()
    {
        using var client = _factory.CreateManagerClient();
        var childId = Unique("graph-child");
        var suffix = childId["graph-child-".Length..];
        var child = await SaveAsync(client, ElsaDefinitionActivityContractTests.Asking(childId, $"Ask graph {suffix}"), publish: true);
        var parent = Waiting(Unique("graph-parent"));
        var node = Activity("ask", $"AskGraph{char.ToUpperInvariant(suffix[0])}{suffix[1..]}", 250, ("who", Expression("Literal", "Ana")));
        node["workflowDefinitionId"] = childId;
        node["workflowDefinitionVersionId"] = (string?)child["workflowDefinition"]!["id"];
        parent["root"]!["activities"]!.AsArray().Add(node);
        parent["root"]!["connections"]!.AsArray().Add(Connection("end", "Done", "ask"));
        var saved = await SaveAsync(client, parent);
        var versionId = (string)saved["workflowDefinition"]!["id"]!;
        var askNodeId = $"{(string)saved["workflowDefinition"]!["root"]!["nodeId"]!}:ask";

        var graph = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/subgraph/{versionId}?parentNodeId={Uri.EscapeDataString(askNodeId)}");

        var root = graph["activity"]!["root"]!;
        Assert.Equal("Elsa.Flowchart", (string?)root["type"]);
        Assert.Equal($"{askNodeId}:fc", (string?)root["nodeId"]);
        Assert.Equal($"{askNodeId}:fc:answer", (string?)root["activities"]![1]!["nodeId"]);
    }
}
