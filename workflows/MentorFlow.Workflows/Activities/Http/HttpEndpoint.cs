using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Workflows.Activities.Http;

/// <summary>
/// Elsa's HTTP Endpoint. As a flow's start activity it is a trigger: a request to <c>/workflows{path}</c> starts a new
/// instance with the request as this activity's outputs. Reached mid-flow it waits: the instance holds one bookmark per
/// method, named after the method and path and correlated by the instance's correlation id, and a request to the path
/// naming that correlation id resumes it. The server (<c>workflows/MentorFlow.Server/FlowHttp</c>) receives the request;
/// the burst the request ran answers it through <see cref="WriteHttpResponse"/>.
/// </summary>
[Activity("Elsa", "HTTP", "Wait for an inbound HTTP request that matches the specified path and methods.", DisplayName = "HTTP Endpoint", Kind = ActivityKind.Trigger)]
public sealed class HttpEndpoint : Activity, IHasDynamicOutcomes
{
    public const string TypeName = "Elsa.HttpEndpoint";

    /// <summary>
    /// The workflow input a request-started instance gets: the request as JSON (<c>requestId</c>, <c>activityId</c>,
    /// <c>method</c>, <c>path</c>, <c>routeData</c>, <c>query</c>, <c>headers</c>, <c>contentType</c>,
    /// <c>contentLength</c>, <c>parsedContent</c>, <c>tooLarge</c>); a resume carries the same object as its payload.
    /// </summary>
    public const string RequestInputKey = "mentorflowHttpRequest";

    public const string RequestTooLarge = "Request too large";

    /// <summary>The burst item holding the id of the request this burst answers.</summary>
    internal const string RequestItem = "http:request-id";

    [Input(Description = "The path to associate with the workflow, under /workflows (e.g. /orders/{id}).", UIHint = "singleline", Required = true)]
    public Input<string> Path { get; init; } = new(string.Empty);

    // Elsa's multitext editor reads and writes the list as an Object expression holding JSON text, so that is the default.
    [Input(DisplayName = "Supported Methods", Description = "The HTTP methods to accept (GET, POST, PUT, PATCH, DELETE, HEAD).", UIHint = "multitext", DefaultValue = "[\"GET\"]", DefaultSyntax = ExpressionSyntax.Object)]
    public Input<JsonNode> SupportedMethods { get; init; } = new(WorkflowExpression.Object("[\"GET\"]"));

    [Input(Description = "Allow authenticated requests only (callers send a manager API key); off lets anyone call the path.", Category = "Security", UIHint = "checkbox")]
    public Input<bool> Authorize { get; init; } = new(false);

    [Input(Description = "Provide a policy to evaluate; MentorFlow's one policy is the manager API key, so any name requires it.", Category = "Security")]
    public Input<string> Policy { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(DisplayName = "Request Timeout", Description = "The maximum time the caller waits for the flow's response (e.g. 00:00:30; at most Workflows:HttpEndpoints:RequestTimeout).", Category = "Upload")]
    public Input<string> RequestTimeout { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(DisplayName = "Request Size Limit", Description = "The maximum request size allowed in bytes (at most Workflows:HttpEndpoints:MaxRequestBytes).", Category = "Upload")]
    public Input<long> RequestSizeLimit { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(DisplayName = "Expose Request Too Large Outcome", Description = "A value indicating whether to expose the \"Request too large\" outcome.", Category = "Outcomes", UIHint = "checkbox", IsWrapped = false)]
    public Input<bool> ExposeRequestTooLargeOutcome { get; init; } = new(false);

    [Output(DisplayName = "Parsed Content", Description = "The parsed request content, if any (JSON as an object, a form as a dictionary, text as a string).")]
    public Output<JsonNode> ParsedContent { get; init; } = new();

    [Output(DisplayName = "Route Data", Description = "The parsed route data, if any.")]
    public Output<JsonNode> RouteData { get; init; } = new();

    [Output(DisplayName = "Query String Data", Description = "The querystring data, if any.")]
    public Output<JsonNode> QueryStringData { get; init; } = new();

    [Output(Description = "The headers, if any (credentials and cookies are never kept).")]
    public Output<JsonNode> Headers { get; init; } = new();

    [Output(Description = "The request: method, path, content type and length.")]
    public Output<JsonNode> Result { get; init; } = new();

    public static IReadOnlyList<string> GetOutcomes(JsonObject activityJson)
    {
        var expression = ActivityBinder.ReadExpression(DefinitionReader.Get(activityJson, "exposeRequestTooLargeOutcome"));
        return bool.TryParse(expression?.Value?.Trim(), out var expose) && expose ? [RequestTooLarge, "Done"] : ["Done"];
    }

    /// <summary>The bookmark a waiting HTTP Endpoint holds for one method: <c>Elsa.HttpEndpoint:POST:/orders/{}</c>.</summary>
    public static string BookmarkName(string method, HttpEndpointPath path) => $"{TypeName}:{method.ToUpperInvariant()}:{path.Shape}";

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.Iteration == 0 && context.IsStartActivity
            && context.WorkflowInput[RequestInputKey] is JsonObject request
            && string.Equals((string?)request["activityId"], context.ActivityId, StringComparison.Ordinal))
        {
            Receive(context, request);
            return ValueTask.CompletedTask;
        }

        var problems = new List<(string Input, string Message)>();
        var route = HttpEndpointRoute.Read(context.ActivityJson, context.DefinitionId, "", false, problems);
        if (route is null)
        {
            var (input, message) = problems.Count > 0 ? problems[0] : ("path", "the endpoint cannot be routed.");
            throw new ActivityInputException(context.ActivityId, input, message);
        }

        foreach (var method in route.Methods)
        {
            context.CreateBookmark(route.BookmarkName(method), payload: new JsonObject { ["path"] = route.Path.Text, ["method"] = method });
        }

        context.Log($"waits for {string.Join('/', route.Methods)} /workflows{route.Path.Text}");
        return ValueTask.CompletedTask;
    }

    protected override ValueTask ResumeAsync(ActivityExecutionContext context, JsonElement? payload)
    {
        var request = payload is { ValueKind: JsonValueKind.Object } value ? JsonNode.Parse(value.GetRawText()) as JsonObject : null;
        Receive(context, request ?? []);
        return ValueTask.CompletedTask;
    }

    private void Receive(ActivityExecutionContext context, JsonObject request)
    {
        context.Set(ParsedContent, request["parsedContent"]?.DeepClone());
        context.Set(RouteData, request["routeData"]?.DeepClone() ?? new JsonObject());
        context.Set(QueryStringData, request["query"]?.DeepClone() ?? new JsonObject());
        context.Set(Headers, request["headers"]?.DeepClone() ?? new JsonObject());
        context.Set(Result, new JsonObject
        {
            ["method"] = (string?)request["method"],
            ["path"] = (string?)request["path"],
            ["contentType"] = (string?)request["contentType"],
            ["contentLength"] = request["contentLength"]?.DeepClone(),
        });
        if ((string?)request["requestId"] is { Length: > 0 } requestId)
        {
            context.BurstItems[RequestItem] = requestId;
            context.Services.GetService<HttpEndpointExchanges>()?.Reached(requestId, context.WorkflowInstanceId);
        }

        context.Complete(request["tooLarge"] is JsonValue tooLarge && tooLarge.TryGetValue<bool>(out var large) && large ? RequestTooLarge : "Done");
    }
}
