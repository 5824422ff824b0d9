using System.Net;
using System.Text.Json.Nodes;
using MentorFlow.Server.Tests.Infrastructure;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;
using static MentorFlow.Server.Tests.Studio.StudioFlows;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>The server with a 64 KB instance state limit (so a poison flow stays light).</summary>
public sealed class SmallStateServer : ServerFactory
{
    public SmallStateServer() => Settings["Workflows:MaxStateBytes"] = "65536";
}

/// <summary>
/// A flow author's poison instance through the Studio's API: a variable too large to store faults the instance
/// with an incident (no 500, no retry loop), and cancel and delete work on it and on running instances.
/// </summary>
public sealed class ElsaPoisonInstanceTests(SmallStateServer factory) : IClassFixture<SmallStateServer>
{
    /// <summary>Start → WriteLine → SetVariable Big = 'x'.repeat(100000) (JavaScript) → WriteLine → Event "Go" → End.</summary>
    private static JsonObject Oversized(string definitionId)
    {
        var model = Waiting(definitionId);
        model["variables"]!.AsArray().Add(new JsonObject { ["id"] = "var-big", ["name"] = "Big", ["typeName"] = "Object", ["isArray"] = false });
        var root = model["root"]!;
        root["activities"]!.AsArray().Add(Activity("big", "Elsa.SetVariable", 375,
            ("variable", new JsonObject { ["id"] = "var-big", ["name"] = "Big" }),
            ("value", new JsonObject { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = "'x'.repeat(100000)" } })));
        root["connections"] = new JsonArray(
            Connection("start", "Done", "write"),
            Connection("write", "Done", "big"),
            Connection("big", "Done", "wait"),
            Connection("wait", "Done", "end"));
        return model;
    }

    [Fact]
    public async Task Execute_WithAStateOverTheLimit_FaultsWithAnIncidentWithoutAStackTrace_ThenCancelAndDeleteAnswer2xxWithoutRunningIt()
    {
        using var client = factory.CreateManagerClient();
        var id = Unique("poison");
        await SaveAsync(client, Oversized(id));

        var (execute, body) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/execute", new JsonObject { ["versionOptions"] = "Latest" });

        Assert.Equal(HttpStatusCode.OK, execute.StatusCode);
        var instanceId = execute.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        Assert.Equal("Faulted", (string?)body!["workflowState"]!["subStatus"]);
        var runtime = factory.Services.GetRequiredService<IWorkflowRuntime>();
        var faulted = (await runtime.GetInstanceAsync(instanceId))!;
        var incident = Assert.Single(faulted.Incidents);
        Assert.Contains("Workflows:MaxStateBytes", incident.Message, StringComparison.Ordinal);
        Assert.Contains("65,536 bytes", incident.Message, StringComparison.Ordinal);
        Assert.Null(incident.Exception);
        Assert.DoesNotContain("   at ", body.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", (await GetJsonAsync(client, $"/elsa/api/workflow-instances/{instanceId}")).ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(faulted.Journal, entry => entry.ActivityId == "write");

        // Nothing retries it.
        factory.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await factory.Services.GetRequiredService<IWorkflowEngineMaintenance>().RecoverAsync());

        var (cancel, _) = await PostAsync(client, $"/elsa/api/cancel/workflow-instances/{instanceId}", null);
        var state = await GetJsonAsync(client, $"/elsa/api/workflow-instances/{instanceId}/execution-state");
        var cancelled = (await runtime.GetInstanceAsync(instanceId))!;
        var delete = await client.DeleteAsync(new Uri($"/elsa/api/workflow-instances/{instanceId}", UriKind.Relative));
        var gone = await client.GetAsync(new Uri($"/elsa/api/workflow-instances/{instanceId}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("Cancelled", (string?)state["subStatus"]);
        Assert.Equal(faulted.Journal.Count, cancelled.Journal.Count);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("execute", "Latest", false)]
    [InlineData("dispatch", "Published", true)]
    public async Task Start_WithAnInputOverTheStateLimit_Answers400NamingTheInputAndTheSetting_AndStartsNothing(string endpoint, string versionOptions, bool publish)
    {
        using var client = factory.CreateManagerClient();
        var id = Unique("big-input-" + endpoint);
        await SaveAsync(client, Waiting(id), publish);
        var input = new JsonObject { ["Text"] = new string('x', 100_000) };

        var (response, problem) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/{endpoint}",
            new JsonObject { ["versionOptions"] = versionOptions, ["input"] = input });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var message = (string?)problem!["errors"]!["input"]![0];
        Assert.Contains("Workflows:MaxStateBytes", message, StringComparison.Ordinal);
        Assert.Contains("the workflow input", message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", problem.ToJsonString(), StringComparison.Ordinal);
        var runtime = factory.Services.GetRequiredService<IWorkflowRuntime>();
        Assert.Equal(0, (await runtime.ListInstancesAsync(new InstanceQuery { DefinitionId = id })).TotalCount);

        // The same flow starts with an input within the limit.
        var (small, _) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/{endpoint}",
            new JsonObject { ["versionOptions"] = versionOptions, ["input"] = new JsonObject { ["Text"] = "short" } });
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal(1, (await runtime.ListInstancesAsync(new InstanceQuery { DefinitionId = id })).TotalCount);
    }

    [Fact]
    public async Task BulkDelete_RemovesRunningAndFaultedInstances()
    {
        using var client = factory.CreateManagerClient();
        var waiting = Unique("waiting");
        var poison = Unique("poison-bulk");
        await SaveAsync(client, Waiting(waiting));
        await SaveAsync(client, Oversized(poison));
        var (first, _) = await PostAsync(client, $"/elsa/api/workflow-definitions/{waiting}/execute", new JsonObject { ["versionOptions"] = "Latest" });
        var (second, _) = await PostAsync(client, $"/elsa/api/workflow-definitions/{poison}/execute", new JsonObject { ["versionOptions"] = "Latest" });
        var ids = new JsonArray(
            first.Headers.GetValues("x-elsa-workflow-instance-id").Single(),
            second.Headers.GetValues("x-elsa-workflow-instance-id").Single());

        var (delete, deleted) = await PostAsync(client, "/elsa/api/bulk-actions/delete/workflow-instances/by-id", new JsonObject { ["ids"] = ids });

        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(2, (long?)deleted!["deleted"]);
        var runtime = factory.Services.GetRequiredService<IWorkflowRuntime>();
        foreach (var instanceId in ids)
        {
            Assert.Null(await runtime.GetInstanceAsync((string)instanceId!));
        }
    }
}
