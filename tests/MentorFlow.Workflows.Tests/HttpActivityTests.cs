using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Activities.Http;
using MentorFlow.Workflows.Runtime;
using MentorFlow.Workflows.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace MentorFlow.Workflows.Tests;

/// <summary>
/// Elsa's HTTP request activities against a real HTTP server on this machine (loopback, allowed here by listing
/// 127.0.0.1 and opening private networks), and the guard that keeps flows away from hosts nobody allowed.
/// </summary>
public sealed class HttpActivityTests : EngineTestBase
{
    private readonly HttpListener _server = new();
    private readonly int _port = FreePort();
    private readonly List<(string Method, string Path, string? IdempotencyKey, string Body)> _received = [];

    public HttpActivityTests()
    {
        _server.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _server.Start();
        _ = ServeAsync();
    }

    protected override void Configure(WorkflowEngineOptions options)
    {
        options.Http.AllowedHosts = ["127.0.0.1"];
        options.Http.AllowPrivateNetworks = true;
        options.Http.MaxResponseBytes = 4096;
    }

    [Fact]
    public async Task FlowSendHttpRequest_PostsJson_FollowsTheStatusCodePort_AndReadsTheParsedContent()
    {
        var details = await RunAsync(Flow.Create().Var("Reply")
            .Add("start", "Elsa.Start")
            .Add("call", "Elsa.FlowSendHttpRequest",
                ("url", Flow.Literal($"http://127.0.0.1:{_port}/pairs")),
                ("method", Flow.Literal("POST")),
                ("content", Flow.Expr("Object", "{\"pair\":\"p-1\"}", "Object")),
                ("requestHeaders", Flow.Expr("Object", "{\"X-Team\":\"programmes\"}", "Object")),
                ("expectedStatusCodes", Flow.Expr("Object", "[201, 404]", "Object")),
                ("parsedContent", new JsonObject { ["typeName"] = "Object", ["memoryReference"] = new JsonObject { ["id"] = "Reply" } }))
            .Add("created", "Elsa.WriteLine", ("text", Flow.Expr("Liquid", "created {{ Variables.Reply.id }}")))
            .Add("other", "Elsa.WriteLine", ("text", Flow.Literal("other")))
            .Chain("start", "call")
            .Connect("call", "201", "created")
            .Connect("call", "Unmatched status code", "other"));

        Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
        Assert.Equal(["created 7"], Messages(details));
        var request = Assert.Single(_received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("{\"pair\":\"p-1\"}", request.Body);
        Assert.Equal($"{details.Summary.Id}:call:0", request.IdempotencyKey);
    }

    [Fact]
    public async Task FlowSendHttpRequest_ToAClosedPort_FollowsFailedToConnect()
    {
        var details = await RunAsync(Flow.Create()
            .Add("start", "Elsa.Start")
            .Add("call", "Elsa.FlowSendHttpRequest", ("url", Flow.Literal($"http://127.0.0.1:{FreePort()}/")))
            .Add("down", "Elsa.WriteLine", ("text", Flow.Literal("service down")))
            .Chain("start", "call")
            .Connect("call", "Failed to connect", "down"));

        Assert.Equal(["service down"], Messages(details));
    }

    [Fact]
    public async Task SendHttpRequest_ToAHostNotAllowed_IsAnIncidentNamingTheSetting_AndNothingIsSent()
    {
        var details = await RunAsync(Flow.Create()
            .Add("start", "Elsa.Start")
            .Add("call", "Elsa.SendHttpRequest", ("url", Flow.Literal($"http://localhost:{_port}/")))
            .Chain("start", "call"));

        Assert.Equal(WorkflowSubStatus.Faulted, details.Summary.SubStatus);
        Assert.Contains("host 'localhost' is not on Workflows:Http:AllowedHosts", Assert.Single(details.Incidents).Message, StringComparison.Ordinal);
        Assert.Empty(_received);
    }

    [Fact]
    public async Task SendHttpRequest_ResponseOverTheLimit_IsAnIncident()
    {
        var details = await RunAsync(Flow.Create()
            .Add("start", "Elsa.Start")
            .Add("call", "Elsa.SendHttpRequest", ("url", Flow.Literal($"http://127.0.0.1:{_port}/big")))
            .Chain("start", "call"));

        Assert.Equal(WorkflowSubStatus.Faulted, details.Summary.SubStatus);
        Assert.Contains("larger than Workflows:Http:MaxResponseBytes", Assert.Single(details.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guard_AnAllowedNameThatResolvesToLoopback_IsRefusedWhilePrivateNetworksAreClosed()
    {
        using var http = new OutboundHttp(Options.Create(new WorkflowEngineOptions { Http = { AllowedHosts = ["localhost"] } }), TimeProvider.System);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://localhost:{_port}/");

        var refused = await Assert.ThrowsAsync<OutboundHttpException>(() => http.SendAsync(request, "k", CancellationToken.None));

        Assert.Contains("private, loopback or link-local", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_received);
    }

    [Theory]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.20.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", true)]
    public void Guard_ClassifiesAddresses(string address, bool isPublic)
    {
        Assert.Equal(isPublic, OutboundHttp.IsPublic(IPAddress.Parse(address)));
    }

    public override async Task DisposeAsync()
    {
        _server.Close();
        await base.DisposeAsync();
    }

    private async Task ServeAsync()
    {
        while (_server.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _server.GetContextAsync();
            }
            catch (Exception) when (!_server.IsListening)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            lock (_received)
            {
                _received.Add((context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Headers["Idempotency-Key"], body));
            }

            var (status, reply) = context.Request.Url!.AbsolutePath switch
            {
                "/pairs" => (201, "{\"id\":7}"),
                "/big" => (200, new string('x', 10_000)),
                _ => (200, "{}"),
            };
            var bytes = Encoding.UTF8.GetBytes(reply);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
