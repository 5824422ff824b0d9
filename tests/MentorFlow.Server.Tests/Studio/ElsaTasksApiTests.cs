using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;
using static MentorFlow.Server.Tests.Studio.StudioFlows;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>External tasks: a Run Task step waits until a worker completes it through <c>/elsa/api/tasks/{taskId}/complete</c>.</summary>
public sealed class ElsaTasksApiTests : IClassFixture<StudioServer>
{
    private readonly StudioServer _factory;

    public ElsaTasksApiTests(StudioServer factory) => _factory = factory;

    [Fact]
    public async Task RunTask_WaitsForTheWorker_WhoseCompletionResumesItOnceWithTheResult()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("task");
        var model = Waiting(id);
        model["variables"]!.AsArray().Add(new JsonObject { ["id"] = "var-answer", ["name"] = "Answer", ["typeName"] = "Object", ["isArray"] = false });
        var task = Activity("wait", "Elsa.RunTask", 500, ("taskName", Expression("Literal", "ScoreMatch")), ("payload", Expression("Object", "{\"pair\":\"p-1\"}")));
        task["result"] = new JsonObject { ["typeName"] = "Object", ["memoryReference"] = new JsonObject { ["id"] = "var-answer" } };
        model["root"]!["activities"]![2]!.ReplaceWith(task);
        await SaveAsync(client, model);
        var (started, _) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/execute", new JsonObject { ["versionOptions"] = "Latest" });
        var instanceId = started.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        var runtime = _factory.Services.GetRequiredService<IWorkflowRuntime>();
        var waiting = await runtime.GetInstanceAsync(instanceId);
        var bookmark = Assert.Single(waiting!.Bookmarks);
        Assert.Equal("ScoreMatch", (string?)bookmark.Payload!["taskName"]);
        Assert.Equal("p-1", (string?)bookmark.Payload["payload"]!["pair"]);
        var taskId = bookmark.CorrelationId!;

        var (completed, _) = await PostAsync(client, $"/elsa/api/tasks/{taskId}/complete", new JsonObject { ["result"] = new JsonObject { ["score"] = 0.9 } });
        var (again, problem) = await PostAsync(client, $"/elsa/api/tasks/{taskId}/complete", new JsonObject { ["result"] = 1 });

        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("completed already", (string?)problem!["detail"], StringComparison.Ordinal);
        var done = await runtime.GetInstanceAsync(instanceId);
        Assert.Equal(0.9, (double?)done!.Variables["Answer"]!["score"]);
    }

    [Theory]
    [InlineData("not-hex!", "{\"result\":1}", "taskId")]
    [InlineData("abc123", "{\"result\":", "result")]
    public async Task Complete_BadTaskIdOrBody_Returns400NamingTheField(string taskId, string body, string field)
    {
        using var client = _factory.CreateManagerClient();

        var response = await client.PostAsync(new Uri($"/elsa/api/tasks/{taskId}/complete", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![field]);
    }

    [Fact]
    public async Task Complete_WithoutTheManagerKey_IsRefused()
    {
        using var client = _factory.CreateClient();

        var response = await client.PostAsync(new Uri("/elsa/api/tasks/abc/complete", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
