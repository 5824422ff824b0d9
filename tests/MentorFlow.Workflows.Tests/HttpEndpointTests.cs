using System.Text;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Activities.Http;
using MentorFlow.Workflows.Runtime;
using MentorFlow.Workflows.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Workflows.Tests;

/// <summary>
/// Elsa's HTTP Endpoint and HTTP Response in the engine: a request-started instance answers through the exchange once
/// its burst committed, a mid-flow endpoint waits on a bookmark per method and path, publish refuses paths it cannot
/// route or that another published flow claims, and a response a flow author gets wrong is an incident naming the input.
/// (The server's side, over HTTP, is in MentorFlow.Server.Tests FlowHttpApiTests.)
/// </summary>
public sealed class HttpEndpointTests : EngineTestBase
{
    private static string Corpus(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Corpus", file), Encoding.UTF8);

    protected override void Configure(WorkflowEngineOptions options) => options.HttpEndpoints.MaxResponseBytes = 4096;

    private HttpEndpointExchanges Exchanges => Host.Services.GetRequiredService<HttpEndpointExchanges>();

    private static JsonObject Request(string requestId, string activityId, JsonNode? content = null, JsonObject? routeData = null) => new()
    {
        ["requestId"] = requestId,
        ["activityId"] = activityId,
        ["method"] = "GET",
        ["path"] = "/workflows/x",
        ["routeData"] = routeData ?? [],
        ["query"] = new JsonObject(),
        ["headers"] = new JsonObject(),
        ["parsedContent"] = content,
    };

    [Fact]
    public async Task HelloWorld_StartedByARequest_HandsItsResponseToTheWaitingRequestAfterTheCommit()
    {
        var id = await Host.PublishAsync(Corpus("http-endpoint-hello-world.json"));
        using var waiter = Exchanges.Open("req-1");

        var started = await Host.Runtime.StartAsync(id, new Dictionary<string, object?> { [HttpEndpoint.RequestInputKey] = Request("req-1", "HttpEndpoint1") });

        Assert.True(waiter.Response.IsCompletedSuccessfully);
        var response = await waiter.Response;
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.ContentType);
        Assert.Equal("Hello world!", Encoding.UTF8.GetString(response.Body));
        Assert.Equal(started.InstanceId, response.InstanceId);
        Assert.Equal(WorkflowSubStatus.Finished, started.SubStatus);
    }

    [Fact]
    public async Task RouteParameter_ReachesTheFlowAsRouteData_AndAnObjectIsAnsweredAsJson()
    {
        var id = await Host.PublishAsync(Corpus("http-endpoint-route-parameter.json"));
        using var waiter = Exchanges.Open("req-2");

        await Host.Runtime.StartAsync(id, new Dictionary<string, object?> { [HttpEndpoint.RequestInputKey] = Request("req-2", "GetOrder", routeData: new JsonObject { ["id"] = "42" }) });

        var response = await waiter.Response;
        Assert.Equal("application/json; charset=utf-8", response.ContentType);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["order"] = "42", ["found"] = true }, JsonNode.Parse(response.Body)));
    }

    [Fact]
    public async Task StartedWithoutARequest_TheStartingEndpointWaits_AndARequestLaterResumesIt()
    {
        var id = await Host.PublishAsync(Corpus("http-endpoint-hello-world.json"));

        var started = await Host.Runtime.StartAsync(id, correlationId: "run-1");
        var waiting = await Host.Runtime.GetInstanceAsync(started.InstanceId);

        Assert.Equal(WorkflowSubStatus.Suspended, started.SubStatus);
        Assert.Equal("Elsa.HttpEndpoint:GET:/hello-world", Assert.Single(waiting!.Bookmarks).Name);
        using var waiter = Exchanges.Open("req-3");
        Assert.Equal(1, await Host.Runtime.SignalAsync("Elsa.HttpEndpoint:GET:/hello-world", "run-1", Request("req-3", "HttpEndpoint1")));
        Assert.Equal("Hello world!", Encoding.UTF8.GetString((await waiter.Response).Body));
    }

    [Fact]
    public async Task MidFlowEndpoint_WaitsOnItsPathAndMethod_AndTheRequestResumesItWithItsBody()
    {
        var id = await Host.PublishAsync(Corpus("http-endpoint-mid-flow.json"));
        var started = await Host.Runtime.StartAsync(id, correlationId: "case-7");
        var waiting = await Host.Runtime.GetInstanceAsync(started.InstanceId);
        Assert.Equal(["approval requested"], Messages(waiting!));
        var bookmark = Assert.Single(waiting!.Bookmarks);
        Assert.Equal("Elsa.HttpEndpoint:POST:/approvals/decide", bookmark.Name);
        Assert.Equal("case-7", bookmark.CorrelationId);

        using var waiter = Exchanges.Open("req-4");
        var resumed = await Host.Runtime.SignalAsync(bookmark.Name, "case-7", Request("req-4", "Decision", new JsonObject { ["answer"] = "yes" }));

        Assert.Equal(1, resumed);
        Assert.Equal("recorded yes", Encoding.UTF8.GetString((await waiter.Response).Body));
        var done = await Host.Runtime.GetInstanceAsync(started.InstanceId);
        Assert.Equal(["approval requested", "decided: yes"], Messages(done!));
        Assert.Equal(WorkflowSubStatus.Finished, done!.Summary.SubStatus);
    }

    [Fact]
    public async Task WriteHttpResponse_InABurstNoRequestStarted_NotesItInTheJournalAndGoesOn()
    {
        var details = await RunAsync(Flow.Create()
            .Add("start", "Elsa.Start")
            .Add("reply", "Elsa.WriteHttpResponse", ("content", Flow.Literal("nobody asks")))
            .Add("after", "Elsa.WriteLine", ("text", Flow.Literal("went on")))
            .Chain("start", "reply", "after"));

        Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
        Assert.Equal(["went on"], Messages(details));
        Assert.Contains(details.Journal, j => j.ActivityType == "Elsa.WriteHttpResponse" && j.Message!.Contains("no HTTP request waits", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string> BadResponses() => new()
    {
        { "a CR/LF in a header value", "{\"X-Note\":\"a\\r\\nSet-Cookie: session=stolen\"}", "line break" },
        { "Set-Cookie", "{\"Set-Cookie\":\"session=1\"}", "may not be set by a flow" },
        { "a hop-by-hop header", "{\"Transfer-Encoding\":\"chunked\"}", "may not be set by a flow" },
        { "a header name with a colon", "{\"X-A: b\":\"c\"}", "is not a header name" },
        { "the CSP", "{\"Content-Security-Policy\":\"default-src *\"}", "may not be set by a flow" },
    };

    [Theory]
    [MemberData(nameof(BadResponses))]
    public async Task WriteHttpResponse_WithABadHeader_FaultsWithAnIncidentNamingResponseHeaders_AndAnswersNothing(string what, string headers, string expected)
    {
        _ = what;
        var id = await Host.PublishAsync(Flow.Create()
            .Add("in", "Elsa.HttpEndpoint", ("path", Flow.Literal("/bad")))
            .Add("reply", "Elsa.WriteHttpResponse", ("content", Flow.Literal("x")), ("responseHeaders", Flow.Expr("Object", headers, "Object")))
            .Chain("in", "reply").Json);
        using var waiter = Exchanges.Open("req-bad");

        var started = await Host.Runtime.StartAsync(id, new Dictionary<string, object?> { [HttpEndpoint.RequestInputKey] = Request("req-bad", "in") });

        Assert.Equal(WorkflowSubStatus.Faulted, started.SubStatus);
        Assert.False(waiter.Response.IsCompleted);
        var incident = Assert.Single((await Host.Runtime.GetInstanceAsync(started.InstanceId))!.Incidents);
        Assert.Contains("responseHeaders", incident.Message, StringComparison.Ordinal);
        Assert.Contains(expected, incident.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99", "statusCode")]
    [InlineData("NotAStatus", "statusCode")]
    public async Task WriteHttpResponse_WithAStatusCodeOutOfRange_FaultsNamingStatusCode(string status, string input)
    {
        var details = await RunAsync(Flow.Create()
            .Add("in", "Elsa.HttpEndpoint", ("path", Flow.Literal("/status")))
            .Add("reply", "Elsa.WriteHttpResponse", ("statusCode", Flow.Literal(status)))
            .Chain("in", "reply"), new Dictionary<string, object?> { [HttpEndpoint.RequestInputKey] = Request("req-s", "in") });

        Assert.Contains(input, Assert.Single(details.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteHttpResponse_OverMaxResponseBytes_FaultsNamingTheSetting()
    {
        var details = await RunAsync(Flow.Create()
            .Add("in", "Elsa.HttpEndpoint", ("path", Flow.Literal("/big")))
            .Add("reply", "Elsa.WriteHttpResponse", ("content", Flow.Expr("JavaScript", "'x'.repeat(5000)")))
            .Chain("in", "reply"), new Dictionary<string, object?> { [HttpEndpoint.RequestInputKey] = Request("req-big", "in") });

        Assert.Contains("Workflows:HttpEndpoints:MaxResponseBytes", Assert.Single(details.Incidents).Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadEndpoints() => new()
    {
        { "/orders/{id:int}", "[\"GET\"]", "route parameter" },
        { "/orders//x", "[\"GET\"]", "empty segment" },
        { "/workflows/orders", "[\"GET\"]", "relative to /workflows" },
        { "/definitions/x", "[\"GET\"]", "Studio's own links" },
        { "/orders/<script>", "[\"GET\"]", "may only hold" },
        { "/orders", "[\"TRACE\"]", "'TRACE' is not a method" },
    };

    [Theory]
    [MemberData(nameof(BadEndpoints))]
    public async Task Publish_RefusesAnEndpointItCannotRoute_NamingTheInput(string path, string methods, string expected)
    {
        var saved = await Host.Definitions.ImportAsync(Flow.Create()
            .Add("in", "Elsa.HttpEndpoint", ("path", Flow.Literal(path)), ("supportedMethods", Flow.Literal(methods, "String[]")))
            .Json);

        var published = await Host.Definitions.PublishAsync(saved.Definition.DefinitionId);

        Assert.False(published.Succeeded);
        Assert.Contains(published.Errors, e => e.ActivityId == "in" && e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publish_RefusesAPathGivenAsAnExpression()
    {
        var saved = await Host.Definitions.ImportAsync(Flow.Create()
            .Add("in", "Elsa.HttpEndpoint", ("path", Flow.Expr("JavaScript", "'/orders'")))
            .Json);

        var published = await Host.Definitions.PublishAsync(saved.Definition.DefinitionId);

        Assert.Contains(published.Errors, e => e.Input == "path" && e.Message.Contains("must be a literal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publish_RefusesASecondFlowClaimingTheSameMethodAndPathShape_UntilTheFirstIsRetracted()
    {
        await Host.PublishAsync(Flow.Create("First orders", "first")
            .Add("in", "Elsa.HttpEndpoint", ("path", Flow.Literal("/orders/{id}")), ("supportedMethods", Flow.Literal("[\"GET\",\"POST\"]", "String[]"))).Json);
        var second = await Host.Definitions.ImportAsync(Flow.Create("Second orders", "second")
            .Add("in", "Elsa.HttpEndpoint", ("path", Flow.Literal("/Orders/{orderId}")), ("supportedMethods", Flow.Literal("[\"POST\"]", "String[]"))).Json);
        var otherMethod = await Host.Definitions.ImportAsync(Flow.Create("Order deletions", "third")
            .Add("in", "Elsa.HttpEndpoint", ("path", Flow.Literal("/orders/{id}")), ("supportedMethods", Flow.Literal("[\"DELETE\"]", "String[]"))).Json);

        var refused = await Host.Definitions.PublishAsync("second");
        var allowed = await Host.Definitions.PublishAsync(otherMethod.Definition.DefinitionId);
        await Host.Definitions.RetractAsync("first");
        var afterRetract = await Host.Definitions.PublishAsync(second.Definition.DefinitionId);

        Assert.False(refused.Succeeded);
        var error = Assert.Single(refused.Errors);
        Assert.Equal("path", error.Input);
        Assert.Contains("POST /workflows/Orders/{orderId} is already answered by the published flow 'First orders'", error.Message, StringComparison.Ordinal);
        Assert.True(allowed.Succeeded);
        Assert.True(afterRetract.Succeeded);
    }

    [Fact]
    public async Task Router_MatchesTheMostLiteralPath_Answers405ForAnotherMethod_AndSeesAPublishAtOnce()
    {
        var router = Host.Services.GetRequiredService<IHttpEndpointRouter>();
        await Host.PublishAsync(Corpus("http-endpoint-route-parameter.json"));
        var beforeNew = await router.MatchAsync("GET", ["orders", "new"]);
        await Host.PublishAsync(Flow.Create("New order form", "new-order").Add("in", "Elsa.HttpEndpoint", ("path", Flow.Literal("/orders/new"))).Json);

        var byId = await router.MatchAsync("GET", ["orders", "42"]);
        var literal = await router.MatchAsync("GET", ["ORDERS", "new"]);
        var wrongMethod = await router.MatchAsync("DELETE", ["orders", "42"]);
        var unknown = await router.MatchAsync("GET", ["nothing"]);

        Assert.Equal("corpus-http-route-parameter", beforeNew.StartRoute!.DefinitionId);
        Assert.Equal("42", byId.RouteValues["id"]);
        Assert.Equal("new-order", literal.StartRoute!.DefinitionId);
        Assert.True(wrongMethod.PathFound);
        Assert.Empty(wrongMethod.Routes);
        Assert.Equal(["GET"], wrongMethod.AllowedMethods);
        Assert.False(unknown.PathFound);
    }
}
