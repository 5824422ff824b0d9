using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;
using static MentorFlow.Server.Tests.Studio.StudioFlows;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>
/// Contract tests of the endpoints the designer's Run button, the instance list and the instance viewer call:
/// execute, instances, journal, activity executions and their report, variables, cancel and delete.
/// </summary>
public sealed class ElsaInstanceContractTests : IClassFixture<StudioServer>
{
    private readonly StudioServer _factory;

    public ElsaInstanceContractTests(StudioServer factory) => _factory = factory;

    [Fact]
    public async Task Execute_Draft_StartsATestRunAndAnswersWithTheInstanceIdHeader()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("execute");
        await SaveAsync(client, Waiting(id));

        var (response, body) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/execute",
            new JsonObject { ["correlationId"] = null, ["triggerActivityId"] = null, ["versionOptions"] = "Latest", ["input"] = null });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("False", response.Headers.GetValues("x-elsa-workflow-cannot-start").Single());
        var instanceId = response.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        Assert.Equal(instanceId, (string?)body!["workflowState"]!["id"]);
        Assert.Equal("Running", (string?)body["workflowState"]!["status"]);
        Assert.Equal("Suspended", (string?)body["workflowState"]!["subStatus"]);
        var details = await _factory.Services.GetRequiredService<IWorkflowRuntime>().GetInstanceAsync(instanceId);
        Assert.True((bool?)details!.Input["mentorflowTestRun"]);
    }

    [Fact]
    public async Task Execute_InvalidDraft_Returns400WithTheErrorsAndCannotStartHeader()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("execute-bad");
        await SaveAsync(client, Invalid(id));

        var (response, problem) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/execute", new JsonObject { ["versionOptions"] = "Latest" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("True", response.Headers.GetValues("x-elsa-workflow-cannot-start").Single());
        Assert.True(problem!["errors"]!.AsObject().Count >= 2);
    }

    [Fact]
    public async Task Execute_WithoutPublishedVersionByDefault_Returns404()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("execute-unpublished");
        await SaveAsync(client, Waiting(id));

        var response = await client.PostAsync(new Uri($"/elsa/api/workflow-definitions/{id}/execute", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Dispatch_PublishedDefinition_ReturnsTheInstanceId()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("dispatch");
        await SaveAsync(client, Waiting(id), publish: true);

        var (response, body) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/dispatch", new JsonObject());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((string?)body!["workflowInstanceId"]));
    }

    [Fact]
    public async Task InstanceList_PostAndGet_ReturnSummariesInElsasShape()
    {
        using var client = _factory.CreateManagerClient();
        var (definitionId, instanceId) = await RunAsync(client);

        var (response, page) = await PostAsync(client, "/elsa/api/workflow-instances", new JsonObject
        {
            ["page"] = 0,
            ["pageSize"] = 10,
            ["definitionIds"] = new JsonArray(definitionId),
            ["isSystem"] = false,
            ["statuses"] = new JsonArray("Running"),
            ["subStatuses"] = new JsonArray(),
            ["orderBy"] = null,
        });
        var viaGet = await GetJsonAsync(client, $"/elsa/api/workflow-instances?definitionId={definitionId}&page=0&pageSize=10");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (long?)page!["totalCount"]);
        var item = page["items"]![0]!;
        Assert.Equal(instanceId, (string?)item["id"]);
        Assert.Equal(definitionId, (string?)item["definitionId"]);
        Assert.False(string.IsNullOrEmpty((string?)item["definitionVersionId"]));
        Assert.Equal(1, (int?)item["version"]);
        Assert.Equal("Running", (string?)item["status"]);
        Assert.Equal("Suspended", (string?)item["subStatus"]);
        Assert.Equal(0, (int?)item["incidentCount"]);
        Assert.NotNull(item["createdAt"]);
        Assert.NotNull(item["updatedAt"]);
        Assert.Equal(instanceId, (string?)viaGet["items"]![0]!["id"]);
    }

    [Theory]
    [InlineData("{\"page\":-1}", "page")]
    [InlineData("{\"pageSize\":0}", "pageSize")]
    [InlineData("{\"pageSize\":1000000}", "pageSize")]
    [InlineData("{\"page\":100000,\"pageSize\":500}", "page")]
    [InlineData("{\"statuses\":[\"Sleeping\"]}", "statuses")]
    [InlineData("{\"orderDirection\":\"Up\"}", "orderDirection")]
    public async Task InstanceList_BadFilter_Returns400NamingTheField(string body, string field)
    {
        using var client = _factory.CreateManagerClient();

        var response = await client.PostAsync(new Uri("/elsa/api/workflow-instances", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![field]);
    }

    [Fact]
    public async Task GetInstance_ReturnsTheWorkflowStateTheViewerReads()
    {
        using var client = _factory.CreateManagerClient();
        var (definitionId, instanceId) = await RunAsync(client);

        var instance = await GetJsonAsync(client, $"/elsa/api/workflow-instances/{instanceId}");
        var definition = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/by-id/{(string)instance["definitionVersionId"]!}");

        Assert.Equal(instanceId, (string?)instance["id"]);
        Assert.Equal(definitionId, (string?)instance["definitionId"]);
        Assert.Equal("Running", (string?)instance["status"]);
        Assert.Equal("Suspended", (string?)instance["subStatus"]);
        Assert.False((bool?)instance["isSystem"]);
        Assert.False((bool?)instance["isExecuting"]);
        var state = instance["workflowState"]!;
        Assert.Equal(definitionId, (string?)state["definitionId"]);
        Assert.Equal(1, (int?)state["definitionVersion"]);
        var bookmark = state["bookmarks"]!.AsArray().Single()!;
        Assert.Equal("Go", (string?)bookmark["name"]);
        Assert.Equal("Workflow1:fc:wait", (string?)bookmark["activityNodeId"]);
        Assert.Empty(state["incidents"]!.AsArray());
        Assert.IsType<JsonObject>(state["input"]);
        Assert.IsType<JsonObject>(state["output"]);
        Assert.Equal(definitionId, (string?)definition["definitionId"]);
        var missing = await client.GetAsync(new Uri("/elsa/api/workflow-instances/no-such-instance", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Journal_ReturnsStartedAndCompletedRecordsWithNodeIdsInSequence()
    {
        using var client = _factory.CreateManagerClient();
        var (_, instanceId) = await RunAsync(client);

        var (response, journal) = await PostAsync(client, $"/elsa/api/workflow-instances/{instanceId}/journal?skip=0&take=50",
            new JsonObject { ["filter"] = new JsonObject { ["excludedActivityTypes"] = new JsonArray("Elsa.Workflow", "Elsa.Flowchart") } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var records = journal!["items"]!.AsArray();
        Assert.Equal(records.Count, (long?)journal["totalCount"]);
        var sequences = records.Select(record => (long)record!["sequence"]!).ToList();
        Assert.Equal(sequences.Order().ToList(), sequences);
        var write = records.Where(record => (string?)record!["activityId"] == "write").ToList();
        Assert.Equal(["Started", "Completed"], write.Select(record => (string)record!["eventName"]!));
        Assert.All(write, record =>
        {
            Assert.Equal("Workflow1:fc:write", (string?)record!["nodeId"]);
            Assert.Equal("Elsa.WriteLine", (string?)record["activityType"]);
            Assert.Equal(1, (int?)record["activityTypeVersion"]);
            Assert.NotNull(record["activityInstanceId"]);
            Assert.NotNull(record["timestamp"]);
        });
        Assert.Contains("Hello from", (string?)write[1]!["message"], StringComparison.Ordinal);
        Assert.Equal("Done", (string?)write[1]!["payload"]!["Outcomes"]![0]);
        Assert.Contains(records, record => (string?)record!["activityId"] == "wait" && (string?)record["eventName"] == "Suspended");

        var scoped = await PostAsync(client, $"/elsa/api/workflow-instances/{instanceId}/journal",
            new JsonObject { ["filter"] = new JsonObject { ["activityNodeIds"] = new JsonArray("Workflow1:fc:start") } });
        Assert.All(scoped.Body!["items"]!.AsArray(), record => Assert.Equal("start", (string?)record!["activityId"]));
        var faults = await PostAsync(client, $"/elsa/api/workflow-instances/{instanceId}/journal",
            new JsonObject { ["filter"] = new JsonObject { ["eventNames"] = new JsonArray("Faulted") } });
        Assert.Equal(0, (long?)faults.Body!["totalCount"]);
        var viaGet = await GetJsonAsync(client, $"/elsa/api/workflow-instances/{instanceId}/journal?take=2");
        Assert.Equal(2, viaGet["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task ActivityExecutions_ReportSummariesAndRecords_DescribeEachRun()
    {
        using var client = _factory.CreateManagerClient();
        var (_, instanceId) = await RunAsync(client);

        var (reportResponse, report) = await PostAsync(client, "/elsa/api/activity-executions/report", new JsonObject
        {
            ["workflowInstanceId"] = instanceId,
            ["activityNodeIds"] = new JsonArray("Workflow1:fc:start", "Workflow1:fc:write", "Workflow1:fc:wait", "Workflow1:fc:end"),
        });
        var summaries = await GetJsonAsync(client, $"/elsa/api/activity-execution-summaries/list?WorkflowInstanceId={instanceId}&ActivityNodeId=Workflow1:fc:write");
        var executionId = (string)summaries["items"]![0]!["id"]!;
        var record = await GetJsonAsync(client, $"/elsa/api/activity-executions/by-id?id={Uri.EscapeDataString(executionId)}");
        var alias = await GetJsonAsync(client, $"/elsa/api/activity-executions/{Uri.EscapeDataString(executionId)}");
        var records = await GetJsonAsync(client, $"/elsa/api/activity-executions/list?WorkflowInstanceId={instanceId}");
        var callStack = await GetJsonAsync(client, $"/elsa/api/activity-executions/{Uri.EscapeDataString(executionId)}/call-stack");

        Assert.Equal(HttpStatusCode.OK, reportResponse.StatusCode);
        var stats = report!["stats"]!.AsArray().ToDictionary(stat => (string)stat!["activityNodeId"]!);
        Assert.Equal(3, stats.Count);
        Assert.Equal(1, (long?)stats["Workflow1:fc:write"]!["completedCount"]);
        Assert.False((bool?)stats["Workflow1:fc:write"]!["isBlocked"]);
        Assert.True((bool?)stats["Workflow1:fc:wait"]!["isBlocked"]);
        Assert.Equal(1, (long?)stats["Workflow1:fc:wait"]!["uncompletedCount"]);
        Assert.False((bool?)stats["Workflow1:fc:wait"]!["isFaulted"]);
        var summary = summaries["items"]!.AsArray().Single()!;
        Assert.Equal("Completed", (string?)summary["status"]);
        Assert.Equal(instanceId, (string?)summary["workflowInstanceId"]);
        Assert.Equal("write", (string?)summary["activityId"]);
        Assert.Equal("Elsa.WriteLine", (string?)summary["activityType"]);
        Assert.False((bool?)summary["hasBookmarks"]);
        Assert.NotNull(summary["startedAt"]);
        Assert.Equal("Done", (string?)record["payload"]!["Outcomes"]![0]);
        Assert.Equal(executionId, (string?)alias["id"]);
        Assert.Equal(3, (long?)records["count"]);
        Assert.Equal(executionId, (string?)callStack["activityExecutionId"]);
        Assert.Equal(1, (long?)callStack["totalCount"]);
        var missing = await client.GetAsync(new Uri("/elsa/api/activity-executions/by-id?id=nope:1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task VariablesAndExecutionState_AnswerForTheViewersPolling()
    {
        using var client = _factory.CreateManagerClient();
        var (_, instanceId) = await RunAsync(client);

        var variables = await GetJsonAsync(client, $"/elsa/api/workflow-instances/{instanceId}/variables");
        var state = await GetJsonAsync(client, $"/elsa/api/workflow-instances/{instanceId}/execution-state");

        var greeting = variables["items"]!.AsArray().Single(item => (string?)item!["name"] == "Greeting")!;
        Assert.Equal("var-greeting", (string?)greeting["id"]);
        Assert.Equal("Hello", (string?)greeting["value"]);
        Assert.Equal("Running", (string?)state["status"]);
        Assert.Equal("Suspended", (string?)state["subStatus"]);
        Assert.Equal("Suspended", (string?)state["workflowSubStatus"]);
        Assert.NotNull(state["updatedAt"]);
    }

    [Fact]
    public async Task Cancel_ThenDelete_FinishesTheInstanceAndRemovesIt_AndARunningInstanceCanBeDeletedToo()
    {
        using var client = _factory.CreateManagerClient();
        var (_, instanceId) = await RunAsync(client);

        var (_, runningId) = await RunAsync(client);
        var running = await client.DeleteAsync(new Uri($"/elsa/api/workflow-instances/{runningId}", UriKind.Relative));
        var runningGone = await client.GetAsync(new Uri($"/elsa/api/workflow-instances/{runningId}", UriKind.Relative));
        var (cancel, _) = await PostAsync(client, $"/elsa/api/cancel/workflow-instances/{instanceId}", null);
        var instance = await GetJsonAsync(client, $"/elsa/api/workflow-instances/{instanceId}");
        var summaries = await GetJsonAsync(client, $"/elsa/api/activity-execution-summaries/list?WorkflowInstanceId={instanceId}&ActivityNodeId=Workflow1:fc:wait");
        var deleted = await client.DeleteAsync(new Uri($"/elsa/api/workflow-instances/{instanceId}", UriKind.Relative));
        var again = await client.DeleteAsync(new Uri($"/elsa/api/workflow-instances/{instanceId}", UriKind.Relative));
        var (unknown, _) = await PostAsync(client, "/elsa/api/cancel/workflow-instances/no-such-instance", null);

        Assert.Equal(HttpStatusCode.NoContent, running.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, runningGone.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("Finished", (string?)instance["status"]);
        Assert.Equal("Cancelled", (string?)instance["subStatus"]);
        Assert.Equal("Canceled", (string?)summaries["items"]![0]!["status"]);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task BulkCancelAndBulkDelete_CountWhatTheyDid()
    {
        using var client = _factory.CreateManagerClient();
        var (_, first) = await RunAsync(client);
        var (_, second) = await RunAsync(client);
        var ids = new JsonArray(first, second, "no-such-instance");

        var (cancel, cancelled) = await PostAsync(client, "/elsa/api/bulk-actions/cancel/workflow-instances", new JsonObject { ["ids"] = ids.DeepClone() });
        var (delete, deleted) = await PostAsync(client, "/elsa/api/bulk-actions/delete/workflow-instances/by-id", new JsonObject { ["ids"] = ids.DeepClone() });

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(2, (int?)cancelled!["cancelled"]);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(2, (long?)deleted!["deleted"]);
    }

    [Fact]
    public async Task SignalledInstance_FinishesAndTheJournalShowsTheResume()
    {
        using var client = _factory.CreateManagerClient();
        var (_, instanceId) = await RunAsync(client);

        var resumed = await _factory.Services.GetRequiredService<IWorkflowRuntime>().SignalAsync("Go", correlationId: null, payload: new { ok = true });
        var instance = await GetJsonAsync(client, $"/elsa/api/workflow-instances/{instanceId}");
        var journal = await PostAsync(client, $"/elsa/api/workflow-instances/{instanceId}/journal", new JsonObject());
        var summaries = await GetJsonAsync(client, $"/elsa/api/activity-execution-summaries/list?WorkflowInstanceId={instanceId}&ActivityNodeId=Workflow1:fc:wait");

        Assert.True(resumed >= 1);
        Assert.Equal("Finished", (string?)instance["status"]);
        Assert.Equal("Finished", (string?)instance["subStatus"]);
        Assert.NotNull(instance["finishedAt"]);
        Assert.Contains(journal.Body!["items"]!.AsArray(), record => (string?)record!["activityId"] == "wait" && (string?)record["eventName"] == "Resumed");
        Assert.Equal("Completed", (string?)summaries["items"]!.AsArray().Single()!["status"]);
    }

    private static async Task<(string DefinitionId, string InstanceId)> RunAsync(HttpClient client)
    {
        var id = Unique("run");
        await SaveAsync(client, Waiting(id));
        var (response, body) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/execute", new JsonObject { ["versionOptions"] = "Latest" });
        Assert.True(response.IsSuccessStatusCode, body?.ToJsonString());
        return (id, response.Headers.GetValues("x-elsa-workflow-instance-id").Single());
    }
}

/// <summary>Descriptor, feature and package endpoints, loaded by every Studio page.</summary>
public sealed class ElsaDescriptorContractTests : IClassFixture<StudioServer>
{
    private readonly StudioServer _factory;

    public ElsaDescriptorContractTests(StudioServer factory) => _factory = factory;

    [Fact]
    public async Task Activities_ListsTheRegistryInElsasDescriptorShape()
    {
        using var client = _factory.CreateManagerClient();

        var body = await GetJsonAsync(client, "/elsa/api/descriptors/activities?Refresh=True");

        var items = body["items"]!.AsArray();
        Assert.Equal(items.Count, (long?)body["count"]);
        var byType = items.ToDictionary(item => (string)item!["typeName"]!);
        Assert.Equal("Flowchart", (string?)byType["Elsa.Flowchart"]!["customProperties"]!["RootType"]);
        Assert.True((bool?)byType["Elsa.Flowchart"]!["isContainer"]);
        var writeLine = byType["Elsa.WriteLine"]!;
        Assert.Equal("Elsa", (string?)writeLine["namespace"]);
        Assert.Equal("WriteLine", (string?)writeLine["name"]);
        Assert.Equal(1, (int?)writeLine["version"]);
        Assert.Equal("Console", (string?)writeLine["category"]);
        Assert.Equal("Action", (string?)writeLine["kind"]);
        var text = writeLine["inputs"]!.AsArray().Single(input => (string?)input!["name"] == "Text")!;
        Assert.Equal("String", (string?)text["typeName"]);
        Assert.Equal("singleline", (string?)text["uiHint"]);
        Assert.True((bool?)text["isWrapped"]);
        Assert.Equal("Literal", (string?)text["defaultSyntax"]);
        Assert.True((bool?)text["isBrowsable"]);
        Assert.Contains(writeLine["ports"]!.AsArray(), port => (string?)port!["name"] == "Done" && (string?)port["type"] == "Flow");
        Assert.True(byType.ContainsKey("Elsa.Start"));
        Assert.True(byType.ContainsKey("Elsa.End"));
        Assert.True((bool?)byType["Elsa.Event"]!["inputs"]!.AsArray().Any(input => (string?)input!["name"] == "EventName"));
    }

    [Fact]
    public async Task ExpressionDescriptors_OfferLiteralLiquidJavaScriptObjectAndVariable()
    {
        using var client = _factory.CreateManagerClient();

        var body = await GetJsonAsync(client, "/elsa/api/descriptors/expression-descriptors");

        var types = body["items"]!.AsArray().Select(item => (string)item!["type"]!).ToList();
        Assert.Equal(["Literal", "Liquid", "JavaScript", "Object", "Variable"], types);
        var liquid = body["items"]![1]!;
        Assert.Equal("liquid", (string?)liquid["monacoLanguage"]);
        Assert.True((bool?)liquid["isSerializable"]);
        Assert.True((bool?)liquid["isBrowsable"]);
        Assert.IsType<JsonObject>(liquid["properties"]);
    }

    [Fact]
    public async Task VariableTypes_HaveTypeNameDisplayNameAndCategory()
    {
        using var client = _factory.CreateManagerClient();

        var body = await GetJsonAsync(client, "/elsa/api/descriptors/variables");

        var items = body["items"]!.AsArray();
        Assert.Contains(items, item => (string?)item!["typeName"] == "String" && (string?)item["category"] == "Primitives");
        Assert.All(items, item => Assert.NotNull((string?)item!["displayName"]));
    }

    [Theory]
    [InlineData("/elsa/api/descriptors/workflow-activation-strategies")]
    [InlineData("/elsa/api/descriptors/incident-strategies")]
    [InlineData("/elsa/api/descriptors/log-persistence-strategies")]
    [InlineData("/elsa/api/descriptors/commit-strategies/workflows")]
    [InlineData("/elsa/api/descriptors/commit-strategies/activities")]
    [InlineData("/elsa/api/descriptors/storage-drivers")]
    [InlineData("/elsa/api/features/installed")]
    public async Task OptionalLists_AnswerAsEmptyListResponses(string path)
    {
        using var client = _factory.CreateManagerClient();

        var body = await GetJsonAsync(client, path);

        Assert.Empty(body["items"]!.AsArray());
        Assert.Equal(0, (long?)body["count"]);
    }

    [Fact]
    public async Task Feature_NotInstalled_Returns404()
    {
        using var client = _factory.CreateManagerClient();

        var response = await client.GetAsync(new Uri("/elsa/api/features/installed/Elsa.RealTimeWorkflowUpdates", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
