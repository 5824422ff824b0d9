using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Server.Tests.FlowHttp;

/// <summary>
/// A request whose flow does not finish its burst within the request's time limit (the endpoint's Request Timeout, on
/// the server's clock): the caller gets 202 with the instance id saying the flow still runs, and the flow goes on to
/// its end. The slow step is a real HTTP request to a server on this machine that holds its answer until released.
/// </summary>
public sealed class FlowHttpTimeoutTests : IDisposable
{
    private readonly HttpListener _upstream = new();
    private readonly int _port = FreePort();
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FlowHttpServer _server;

    public FlowHttpTimeoutTests()
    {
        _upstream.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _upstream.Start();
        _ = ServeAsync();
        _server = new FlowHttpServer
        {
            Settings = new Dictionary<string, string?>
            {
                ["Workflows:Http:AllowedHosts:0"] = "127.0.0.1",
                ["Workflows:Http:AllowPrivateNetworks"] = "true",
            },
        };
    }

    [Fact]
    public async Task FlowStillRunningWhenItsRequestTimeoutPasses_Answers202WithTheInstanceId_AndFinishesAfterwards()
    {
        await PublishAsync();
        using var client = _server.CreateClient();

        var call = client.GetAsync(new Uri("/workflows/slow-report", UriKind.Relative));
        await _entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        _server.Clock.Advance(TimeSpan.FromSeconds(1));
        var earlyAnswer = await Task.WhenAny(call, Task.Delay(TimeSpan.FromMilliseconds(300))) == call;
        // The limit is counted on the server's clock from the moment the flow started; advance past it (at most twice,
        // in case the request had not yet started counting when the upstream was reached).
        for (var i = 0; i < 2 && !call.IsCompleted; i++)
        {
            _server.Clock.Advance(TimeSpan.FromSeconds(2));
            await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(5)));
        }

        Assert.False(earlyAnswer, "answered before its 2 s Request Timeout passed");
        Assert.True(call.IsCompleted, "no answer once the Request Timeout passed");
        var response = await call;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var instanceId = (string?)body["workflowInstanceId"];
        Assert.False(string.IsNullOrEmpty(instanceId));
        Assert.Equal(instanceId, response.Headers.GetValues("x-elsa-workflow-instance-id").Single());
        Assert.Equal("the flow is still running (the request's time limit passed)", (string?)body["detail"]);

        _release.SetResult();
        var runtime = _server.Services.GetRequiredService<IWorkflowRuntime>();
        WorkflowInstanceDetails? finished = null;
        for (var i = 0; i < 300 && finished?.Summary.SubStatus != WorkflowSubStatus.Finished; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            finished = await runtime.GetInstanceAsync(instanceId!);
        }

        Assert.Equal(WorkflowSubStatus.Finished, finished?.Summary.SubStatus);
        Assert.Contains(finished!.Journal, j => j.ActivityId == "reply");
    }

    private async Task PublishAsync()
    {
        static JsonObject Literal(string value, string typeName = "String") =>
            new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = value } };
        static JsonObject Connect(string source, string target) => new()
        {
            ["source"] = new JsonObject { ["activity"] = source, ["port"] = "Done" },
            ["target"] = new JsonObject { ["activity"] = target, ["port"] = "In" },
        };

        var definitions = _server.Services.GetRequiredService<IWorkflowDefinitionService>();
        var saved = await definitions.ImportAsync(new JsonObject
        {
            ["definitionId"] = "slow-report",
            ["name"] = "Slow report",
            ["root"] = new JsonObject
            {
                ["type"] = "Elsa.Flowchart", ["id"] = "root",
                ["activities"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["id"] = "in", ["type"] = "Elsa.HttpEndpoint", ["version"] = 1,
                        ["path"] = Literal("/slow-report"), ["supportedMethods"] = Literal("[\"GET\"]", "String[]"),
                        ["requestTimeout"] = Literal("00:00:02"),
                    },
                    new JsonObject { ["id"] = "fetch", ["type"] = "Elsa.SendHttpRequest", ["version"] = 1, ["url"] = Literal($"http://127.0.0.1:{_port}/report") },
                    new JsonObject { ["id"] = "reply", ["type"] = "Elsa.WriteHttpResponse", ["version"] = 1, ["content"] = Literal("report ready") },
                },
                ["connections"] = new JsonArray { Connect("in", "fetch"), Connect("fetch", "reply") },
            },
        }.ToJsonString());
        Assert.Empty(saved.Errors);
        var published = await definitions.PublishAsync("slow-report");
        Assert.True(published.Succeeded, string.Join("; ", published.Errors.Select(e => e.Message)));
    }

    /// <summary>The upstream the flow calls: it says it was reached, then answers once the test releases it.</summary>
    private async Task ServeAsync()
    {
        while (_upstream.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _upstream.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            _entered.TrySetResult();
            await _release.Task;
            var body = Encoding.UTF8.GetBytes("{\"rows\":3}");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _release.TrySetResult();
        _server.Dispose();
        _upstream.Close();
    }
}
