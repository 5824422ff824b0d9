using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MentorFlow.Server.Tests.Infrastructure;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Server.Tests.FlowHttp;

/// <summary>
/// Requests under <c>/workflows/{path}</c> through the real server: the Elsa-shaped corpus flows (hello world, a route
/// parameter, a JSON echo, an endpoint waiting mid-flow) answer what they wrote; bad requests get problem details
/// naming the part (404, 405, 400, 413, 415, 401), a response the flow author got wrong is an incident (never a header
/// sent), a retracted flow's path is 404 again, and a caller past the limit gets 429 with Retry-After. Each test runs
/// on SQLite (<see cref="FlowHttpApiSqliteTests"/>) and on the real PostgreSQL (<see cref="FlowHttpApiPostgresTests"/>).
/// </summary>
public abstract class FlowHttpApiTests(ServerFactory server)
{
    private static readonly SemaphoreSlim Setup = new(1, 1);
    private static bool _published;

    private IWorkflowDefinitionService Definitions => server.Services.GetRequiredService<IWorkflowDefinitionService>();

    private IWorkflowRuntime Runtime => server.Services.GetRequiredService<IWorkflowRuntime>();

    private async Task PublishCorpusAsync()
    {
        await Setup.WaitAsync();
        try
        {
            if (_published && (await Definitions.FindAsync("corpus-http-hello-world", VersionOptions.Published)) is not null)
            {
                return;
            }

            foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Corpus"), "http-endpoint-*.json"))
            {
                await PublishAsync(await File.ReadAllTextAsync(file, Encoding.UTF8));
            }

            _published = true;
        }
        finally
        {
            Setup.Release();
        }
    }

    private async Task<string> PublishAsync(string json)
    {
        var saved = await Definitions.ImportAsync(json);
        Assert.Empty(saved.Errors);
        var published = await Definitions.PublishAsync(saved.Definition.DefinitionId);
        Assert.True(published.Succeeded, string.Join("; ", published.Errors.Select(e => e.Message)));
        return saved.Definition.DefinitionId;
    }

    /// <summary>A flow: an HTTP Endpoint with the given inputs, then the given activities in a chain.</summary>
    private async Task<string> PublishFlowAsync(string id, JsonObject endpoint, params JsonObject[] then)
    {
        var activities = new JsonArray { endpoint };
        var connections = new JsonArray();
        var previous = (string)endpoint["id"]!;
        foreach (var next in then)
        {
            activities.Add(next);
            connections.Add(new JsonObject
            {
                ["source"] = new JsonObject { ["activity"] = previous, ["port"] = "Done" },
                ["target"] = new JsonObject { ["activity"] = (string)next["id"]!, ["port"] = "In" },
            });
            previous = (string)next["id"]!;
        }

        return await PublishAsync(new JsonObject
        {
            ["definitionId"] = id,
            ["name"] = $"HTTP test {id}",
            ["variables"] = new JsonArray { new JsonObject { ["id"] = "headers", ["name"] = "Headers", ["typeName"] = "Object" } },
            ["root"] = new JsonObject { ["type"] = "Elsa.Flowchart", ["id"] = "root", ["activities"] = activities, ["connections"] = connections },
        }.ToJsonString());
    }

    private static JsonObject Literal(string? value, string typeName = "String") =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = value } };

    private static JsonObject Endpoint(string path, string methods = "[\"GET\"]", params (string Name, JsonNode Value)[] inputs)
    {
        var endpoint = new JsonObject
        {
            ["id"] = "in", ["type"] = "Elsa.HttpEndpoint", ["version"] = 1,
            ["path"] = Literal(path), ["supportedMethods"] = Literal(methods, "String[]"),
        };
        foreach (var (name, value) in inputs)
        {
            endpoint[name] = value;
        }

        return endpoint;
    }

    private static JsonObject Reply(string content, string? headers = null) => new()
    {
        ["id"] = "reply", ["type"] = "Elsa.WriteHttpResponse", ["version"] = 1,
        ["content"] = Literal(content),
        ["responseHeaders"] = headers is null ? null : new JsonObject { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = headers } },
    };

    private static async Task<JsonObject> ProblemOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task HelloWorld_AGetStartsTheFlow_AndTheAnswerIsWhatItsHttpResponseWrote()
    {
        await PublishCorpusAsync();
        using var client = server.CreateClient();

        var response = await client.GetAsync(new Uri("/workflows/hello-world", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello world!", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var instanceId = response.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        Assert.Equal(WorkflowSubStatus.Finished, (await Runtime.GetInstanceAsync(instanceId))!.Summary.SubStatus);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task RouteParameter_ReachesTheFlow_WhichAnswersJson()
    {
        await PublishCorpusAsync();
        using var client = server.CreateClient();

        var response = await client.GetAsync(new Uri("/workflows/orders/A-42", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["order"] = "A-42", ["found"] = true }, JsonNode.Parse(await response.Content.ReadAsStringAsync())));
    }

    [Fact]
    public async Task JsonBody_AndAForm_AreParsedForTheFlow_WhichEchoesThemWith201()
    {
        await PublishCorpusAsync();
        using var client = server.CreateClient();

        var json = await client.PostAsync(new Uri("/workflows/echo", UriKind.Relative), new StringContent("{\"name\":\"Ada\",\"tags\":[1,2]}", Encoding.UTF8, "application/json"));
        var form = await client.PutAsync(new Uri("/workflows/echo", UriKind.Relative), new FormUrlEncodedContent([new("name", "Ben"), new("tag", "x"), new("tag", "y")]));

        Assert.Equal(HttpStatusCode.Created, json.StatusCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"received\":{\"name\":\"Ada\",\"tags\":[1,2]}}"), JsonNode.Parse(await json.Content.ReadAsStringAsync())));
        Assert.Equal(HttpStatusCode.Created, form.StatusCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"received\":{\"name\":\"Ben\",\"tag\":[\"x\",\"y\"]}}"), JsonNode.Parse(await form.Content.ReadAsStringAsync())));
    }

    [Fact]
    public async Task MidFlowEndpoint_ARequestNamingTheCorrelationIdResumesTheWaitingInstanceOnce()
    {
        await PublishCorpusAsync();
        using var client = server.CreateClient();
        var started = await Runtime.StartAsync("corpus-http-mid-flow", correlationId: "case-9");
        Assert.Equal(WorkflowSubStatus.Suspended, started.SubStatus);

        var withoutCorrelation = await client.PostAsync(new Uri("/workflows/approvals/decide", UriKind.Relative), new StringContent("{\"answer\":\"yes\"}", Encoding.UTF8, "application/json"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/workflows/approvals/decide") { Content = new StringContent("{\"answer\":\"yes\"}", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Correlation-Id", "case-9");
        var resumed = await client.SendAsync(request);
        var again = await client.PostAsync(new Uri("/workflows/approvals/decide?correlationId=case-9", UriKind.Relative), new StringContent("{\"answer\":\"no\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, withoutCorrelation.StatusCode);
        Assert.NotNull((await ProblemOf(withoutCorrelation))["errors"]!["correlationId"]);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal("recorded yes", await resumed.Content.ReadAsStringAsync());
        Assert.Equal(started.InstanceId, resumed.Headers.GetValues("x-elsa-workflow-instance-id").Single());
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("correlation id", (string?)(await ProblemOf(again))["detail"], StringComparison.Ordinal);
        Assert.Equal(WorkflowSubStatus.Finished, (await Runtime.GetInstanceAsync(started.InstanceId))!.Summary.SubStatus);
    }

    [Fact]
    public async Task UnknownPath_Is404_AndAMethodTheFlowDoesNotOffer_Is405WithAllow()
    {
        await PublishCorpusAsync();
        using var client = server.CreateClient();

        var unknown = await client.GetAsync(new Uri("/workflows/no-such-flow", UriKind.Relative));
        var wrongMethod = await client.DeleteAsync(new Uri("/workflows/hello-world", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("/workflows/no-such-flow", (string?)(await ProblemOf(unknown))["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal(["GET"], wrongMethod.Content.Headers.Allow);
        Assert.Contains("answers GET, not DELETE", (string?)(await ProblemOf(wrongMethod))["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedBody_Is413NamingTheLimit_AndNoInstanceStarts()
    {
        await PublishFlowAsync("small-body", Endpoint("/small", "[\"POST\"]", ("requestSizeLimit", Literal("64", "Int64"))), Reply("ok"));
        using var client = server.CreateClient();
        var before = (await Runtime.ListInstancesAsync(new InstanceQuery { DefinitionId = "small-body" })).TotalCount;

        var small = await client.PostAsync(new Uri("/workflows/small", UriKind.Relative), new StringContent("{\"a\":1}", Encoding.UTF8, "application/json"));
        var large = await client.PostAsync(new Uri("/workflows/small", UriKind.Relative), new StringContent(new string('x', 100), Encoding.UTF8, "text/plain"));
        var after = (await Runtime.ListInstancesAsync(new InstanceQuery { DefinitionId = "small-body" })).TotalCount;

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Contains("at most 64 bytes", (string?)(await ProblemOf(large))["detail"], StringComparison.Ordinal);
        Assert.Equal(before + 1, after);
    }

    [Fact]
    public async Task BadJson_Is400NamingTheBodyAndWhereItBroke_AndAFileUpload_Is415()
    {
        await PublishCorpusAsync();
        using var client = server.CreateClient();
        using var upload = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "a.bin" } };

        var badJson = await client.PostAsync(new Uri("/workflows/echo", UriKind.Relative), new StringContent("{\"name\":", Encoding.UTF8, "application/json"));
        var multipart = await client.PostAsync(new Uri("/workflows/echo", UriKind.Relative), upload);

        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        var said = (string?)(await ProblemOf(badJson))["errors"]!["body"]![0];
        Assert.StartsWith("the body is not valid JSON at line 1, position ", said, StringComparison.Ordinal);
        Assert.EndsWith("send one complete JSON document (at most 64 levels deep), or use another Content-Type.", said, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, multipart.StatusCode);
        Assert.Contains("multipart/form-data", (string?)(await ProblemOf(multipart))["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizedEndpoint_NeedsAManagerKey_AndTheKeyIsNeverHandedToTheFlow()
    {
        var endpoint = Endpoint("/secure", "[\"GET\"]", ("authorize", Literal("true", "Boolean")));
        endpoint["headers"] = new JsonObject { ["typeName"] = "Object", ["memoryReference"] = new JsonObject { ["id"] = "headers" } };
        await PublishFlowAsync("secure", endpoint, Reply("secret answer"));
        using var anonymous = server.CreateClient();
        using var wrongKey = server.CreateClient();
        wrongKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", "not-the-key-0123456789");
        using var manager = server.CreateManagerClient();

        var noKey = await anonymous.GetAsync(new Uri("/workflows/secure", UriKind.Relative));
        var badKey = await wrongKey.GetAsync(new Uri("/workflows/secure", UriKind.Relative));
        var withKey = await manager.GetAsync(new Uri("/workflows/secure", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.DoesNotContain("secret", await noKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, badKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.Equal("secret answer", await withKey.Content.ReadAsStringAsync());
        var instance = await Runtime.GetInstanceAsync(withKey.Headers.GetValues("x-elsa-workflow-instance-id").Single());
        var stored = instance!.Variables["Headers"]!.AsObject();
        Assert.Contains(stored, h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(stored, h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(instance.Variables.Values, v => v != null && v.ToJsonString().Contains(ServerFactory.ManagerKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HeaderInjectionInWriteHttpResponse_IsAnIncident_AndNoInjectedHeaderIsSent()
    {
        await PublishFlowAsync("inject", Endpoint("/inject"), Reply("x", "{\"X-Note\":\"a\\r\\nSet-Cookie: session=stolen\"}"));
        using var client = server.CreateClient();

        var response = await client.GetAsync(new Uri("/workflows/inject", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.False(response.Headers.Contains("X-Note"));
        var problem = await ProblemOf(response);
        Assert.Equal("The flow faulted before it answered.", (string?)problem["title"]);
        var instance = await Runtime.GetInstanceAsync((string)problem["workflowInstanceId"]!);
        Assert.Contains("responseHeaders", Assert.Single(instance!.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlowThatWaitsWithoutAnswering_Gets202WithTheInstanceId_AndOneThatEndsWithoutAnswering_Gets200Empty()
    {
        await PublishFlowAsync("waits", Endpoint("/waits"), new JsonObject { ["id"] = "wait", ["type"] = "Elsa.Event", ["version"] = 1, ["eventName"] = Literal("Later") });
        await PublishFlowAsync("ends", Endpoint("/ends"), new JsonObject { ["id"] = "log", ["type"] = "Elsa.WriteLine", ["version"] = 1, ["text"] = Literal("done") });
        using var client = server.CreateClient();

        var waits = await client.GetAsync(new Uri("/workflows/waits", UriKind.Relative));
        var ends = await client.GetAsync(new Uri("/workflows/ends", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Accepted, waits.StatusCode);
        var body = JsonNode.Parse(await waits.Content.ReadAsStringAsync())!;
        Assert.Equal("Suspended", (string?)body["subStatus"]);
        Assert.Equal(WorkflowSubStatus.Suspended, (await Runtime.GetInstanceAsync((string)body["workflowInstanceId"]!))!.Summary.SubStatus);
        Assert.Equal(HttpStatusCode.OK, ends.StatusCode);
        Assert.Equal("", await ends.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RetractedFlow_ItsPathIs404Again_AndRepublishingItAnswersOnceMore()
    {
        await PublishFlowAsync("retract-me", Endpoint("/retract-me"), Reply("still here"));
        using var client = server.CreateClient();
        using var manager = server.CreateManagerClient();
        var published = await client.GetAsync(new Uri("/workflows/retract-me", UriKind.Relative));

        var retract = await manager.PostAsync(new Uri("/elsa/api/workflow-definitions/retract-me/retract", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));
        var retracted = await client.GetAsync(new Uri("/workflows/retract-me", UriKind.Relative));
        var republish = await manager.PostAsync(new Uri("/elsa/api/workflow-definitions/retract-me/publish", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));
        var again = await client.GetAsync(new Uri("/workflows/retract-me", UriKind.Relative));

        Assert.Equal("still here", await published.Content.ReadAsStringAsync());
        Assert.True(retract.IsSuccessStatusCode, await retract.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, retracted.StatusCode);
        Assert.Equal("No published flow has an HTTP Endpoint for /workflows/retract-me.", (string?)(await ProblemOf(retracted))["detail"]);
        Assert.True(republish.IsSuccessStatusCode, await republish.Content.ReadAsStringAsync());
        Assert.Equal("still here", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PublishingASecondFlowOnTheSamePathAndMethod_IsRefusedThroughTheElsaApi_NamingTheOtherFlow()
    {
        await PublishCorpusAsync();
        var saved = await Definitions.ImportAsync(new JsonObject
        {
            ["definitionId"] = "hello-again",
            ["name"] = "Another hello",
            ["root"] = new JsonObject { ["type"] = "Elsa.Flowchart", ["id"] = "root", ["activities"] = new JsonArray { Endpoint("/Hello-World") }, ["connections"] = new JsonArray() },
        }.ToJsonString());
        using var manager = server.CreateManagerClient();

        var response = await manager.PostAsync(new Uri($"/elsa/api/workflow-definitions/{saved.Definition.DefinitionId}/publish", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("GET /workflows/Hello-World is already answered by the published flow 'HTTP hello world'", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExposedRequestTooLargeOutcome_LetsTheFlowAnswerAnOversizedBodyThroughThatPort()
    {
        var endpoint = Endpoint("/upload-note", "[\"POST\"]", ("requestSizeLimit", Literal("16", "Int64")), ("exposeRequestTooLargeOutcome", JsonValue.Create(true)));
        var tooBig = new JsonObject
        {
            ["id"] = "tooBig", ["type"] = "Elsa.WriteHttpResponse", ["version"] = 1,
            ["statusCode"] = Literal("UnprocessableEntity"), ["content"] = Literal("keep notes under 16 bytes"),
        };
        await PublishAsync(new JsonObject
        {
            ["definitionId"] = "upload-note",
            ["name"] = "HTTP test upload-note",
            ["root"] = new JsonObject
            {
                ["type"] = "Elsa.Flowchart", ["id"] = "root",
                ["activities"] = new JsonArray { endpoint, Reply("noted"), tooBig },
                ["connections"] = new JsonArray
                {
                    new JsonObject { ["source"] = new JsonObject { ["activity"] = "in", ["port"] = "Done" }, ["target"] = new JsonObject { ["activity"] = "reply", ["port"] = "In" } },
                    new JsonObject { ["source"] = new JsonObject { ["activity"] = "in", ["port"] = "Request too large" }, ["target"] = new JsonObject { ["activity"] = "tooBig", ["port"] = "In" } },
                },
            },
        }.ToJsonString());
        using var client = server.CreateClient();

        var small = await client.PostAsync(new Uri("/workflows/upload-note", UriKind.Relative), new StringContent("short", Encoding.UTF8, "text/plain"));
        var large = await client.PostAsync(new Uri("/workflows/upload-note", UriKind.Relative), new StringContent(new string('x', 40), Encoding.UTF8, "text/plain"));

        Assert.Equal("noted", await small.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, large.StatusCode);
        Assert.Equal("keep notes under 16 bytes", await large.Content.ReadAsStringAsync());
    }
}
