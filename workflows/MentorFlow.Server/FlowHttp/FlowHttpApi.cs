using System.Globalization;
using System.Text.Json.Nodes;
using MentorFlow.Server.Security;
using MentorFlow.Workflows;
using MentorFlow.Workflows.Activities.Http;
using MentorFlow.Workflows.Runtime;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace MentorFlow.Server.FlowHttp;

/// <summary>
/// Inbound HTTP for flows (Elsa's HTTP Endpoint): <c>/workflows/{path}</c> with any method a flow may claim. A request
/// matching a published flow's starting HTTP Endpoint starts a new instance; one naming a correlation id
/// (<c>X-Correlation-Id</c> or <c>?correlationId=</c>) resumes the instances waiting in a mid-flow HTTP Endpoint on that
/// path. The response is what the flow's HTTP Response wrote in the burst the request ran (once it committed), else
/// 202 with the instance id (the flow waits or still runs) or 200 with no body (it finished without writing one).
/// The endpoint is public; each flow decides whether callers need a manager key (Authorize / Policy).
/// </summary>
public static partial class FlowHttpApi
{
    public const string Prefix = "/workflows";
    public const string CorrelationHeader = "X-Correlation-Id";
    public const string CorrelationQuery = "correlationId";
    public const string InstanceHeader = "x-elsa-workflow-instance-id";
    private const int MaxCorrelationIdLength = 256;

    public static IEndpointRouteBuilder MapFlowHttpApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods($"{Prefix}/{{**path}}", HttpEndpointRoute.KnownMethods, HandleAsync)
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> HandleAsync(string? path, HttpContext http, ILoggerFactory loggers)
    {
        var services = http.RequestServices;
        var router = services.GetRequiredService<IHttpEndpointRouter>();
        var limiter = services.GetRequiredService<FlowHttpRateLimiter>();
        var settings = services.GetRequiredService<IOptions<WorkflowEngineOptions>>().Value.HttpEndpoints;
        var client = FailedAuthenticationLimiter.ClientOf(http);
        var method = http.Request.Method.ToUpperInvariant();
        var segments = (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var shown = $"{Prefix}/{FlowHttpRequestReader.Clip(string.Join('/', segments))}";

        var match = segments.Length is 0 or > HttpEndpointPath.MaxSegments
            ? HttpEndpointMatch.NotFound
            : await router.MatchAsync(method, segments, http.RequestAborted);
        var routeKey = match.Routes.Count > 0 ? $"{match.Routes[0].DefinitionId} {match.Routes[0].Path.Shape}" : match.PathFound ? "?method" : "?unknown";
        if (limiter.Refuse(client, routeKey) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Problem(StatusCodes.Status429TooManyRequests, "Too many requests.",
                $"Too many requests from your address to this flow path. Try again in {seconds} seconds (Workflows:HttpEndpoints:RateLimitPermits).");
        }

        if (!match.PathFound)
        {
            return Problem(StatusCodes.Status404NotFound, "No flow answers this path.", $"No published flow has an HTTP Endpoint for {shown}.");
        }

        if (match.Routes.Count == 0)
        {
            http.Response.Headers.Allow = string.Join(", ", match.AllowedMethods);
            return Problem(StatusCodes.Status405MethodNotAllowed, "Method not allowed.", $"{shown} answers {string.Join(", ", match.AllowedMethods)}, not {method}.");
        }

        var correlationId = CorrelationId(http.Request, out var correlationError);
        if (correlationError is not null)
        {
            return Invalid(CorrelationQuery, correlationError);
        }

        // Which endpoint the request is for: a waiting instance when it names its correlation id, else the start.
        HttpEndpointRoute? route = null;
        IReadOnlyList<string> waiting = [];
        if (correlationId is not null)
        {
            foreach (var candidate in match.ResumeRoutes)
            {
                waiting = await router.WaitingInstancesAsync(candidate.BookmarkName(method), correlationId, http.RequestAborted);
                if (waiting.Count > 0)
                {
                    route = candidate;
                    break;
                }
            }
        }

        route ??= match.StartRoute;
        if (route is null)
        {
            return correlationId is null
                ? Invalid(CorrelationQuery, $"{shown} resumes a waiting flow: name its instance's correlation id in the {CorrelationHeader} header or the ?{CorrelationQuery}= query parameter.")
                : Problem(StatusCodes.Status404NotFound, "No flow waits for this request.", $"No instance with this correlation id waits for {method} {shown} (it may have been resumed already).");
        }

        if (await AuthorizeAsync(http, route) is { } refused)
        {
            return refused;
        }

        var limit = Math.Min(route.RequestSizeLimit ?? settings.MaxRequestBytes, settings.MaxRequestBytes);
        var body = await FlowHttpRequestReader.ReadBodyAsync(http.Request, limit, http.RequestAborted);
        if (body.TooLarge && !route.ExposeRequestTooLargeOutcome)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Request too large.",
                $"The body may be at most {limit.ToString(CultureInfo.InvariantCulture)} bytes (the flow's Request Size Limit, capped by Workflows:HttpEndpoints:MaxRequestBytes).");
        }

        if (body.Error is not null)
        {
            return body.ErrorStatus == StatusCodes.Status400BadRequest
                ? Invalid(body.ErrorField!, body.Error)
                : Problem(body.ErrorStatus, "Unsupported content.", body.Error, body.ErrorField);
        }

        var clock = services.GetRequiredService<TimeProvider>();
        var requestId = Guid.CreateVersion7(clock.GetUtcNow()).ToString("N");
        var request = new JsonObject
        {
            ["requestId"] = requestId,
            ["activityId"] = route.ActivityId,
            ["method"] = method,
            ["path"] = $"{Prefix}/{string.Join('/', segments)}",
            ["routeData"] = new JsonObject([.. match.RouteValues.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)JsonValue.Create(v.Value)))]),
            ["query"] = FlowHttpRequestReader.Query(http.Request),
            ["headers"] = FlowHttpRequestReader.Headers(http.Request),
            ["contentType"] = http.Request.ContentType,
            ["contentLength"] = body.Length,
            ["parsedContent"] = body.Content,
            ["tooLarge"] = body.TooLarge,
        };

        var exchanges = services.GetRequiredService<HttpEndpointExchanges>();
        var runtime = services.GetRequiredService<IWorkflowRuntime>();
        using var waiter = exchanges.Open(requestId);
        // The flow runs to its end or first wait whatever the caller does: a dropped connection does not cancel a burst.
        var run = route.StartsWorkflow
            ? StartAsync(runtime, route, request, correlationId)
            : ResumeAsync(runtime, route.BookmarkName(method), correlationId!, request, waiting);
        var timeout = route.RequestTimeout is { } own && own < settings.RequestTimeout ? own : settings.RequestTimeout;
        using var timer = new CancellationTokenSource(timeout, clock);
        var delay = Task.Delay(Timeout.InfiniteTimeSpan, timer.Token);
        await Task.WhenAny(run, waiter.Response, delay);

        if (waiter.Response.IsCompletedSuccessfully)
        {
            return Written(waiter.Response.Result);
        }

        if (!run.IsCompleted)
        {
            var logger = loggers.CreateLogger("MentorFlow.FlowHttp");
            _ = run.ContinueWith(t => LogRunFailed(logger, t.Exception!, route.DefinitionId), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return Accepted(http, waiter.InstanceId, null, "the flow is still running (the request's time limit passed)");
        }

        FlowRun outcome;
        try
        {
            outcome = await run;
        }
        catch (WorkflowDefinitionNotFoundException)
        {
            return Problem(StatusCodes.Status404NotFound, "No flow answers this path.", $"The flow answering {shown} was retracted.");
        }
        catch (WorkflowStateTooLargeException exception)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Request too large.", exception.Message);
        }

        if (waiter.Response.IsCompletedSuccessfully)
        {
            return Written(waiter.Response.Result);
        }

        return outcome switch
        {
            { Resumed: 0 } => Problem(StatusCodes.Status404NotFound, "No flow waits for this request.", $"No instance with this correlation id waits for {method} {shown} (it was resumed by another request)."),
            { SubStatus: WorkflowSubStatus.Faulted } => Problem(StatusCodes.Status500InternalServerError, "The flow faulted before it answered.",
                "The flow ended in an incident before it wrote a response; the incident is on the instance.", instanceId: outcome.InstanceId, http: http),
            { Status: WorkflowStatus.Finished } => Finished(http, outcome.InstanceId),
            _ => Accepted(http, outcome.InstanceId, outcome, null),
        };
    }

    private sealed record FlowRun(string? InstanceId, WorkflowStatus Status, WorkflowSubStatus SubStatus, int Resumed = 1);

    private static async Task<FlowRun> StartAsync(IWorkflowRuntime runtime, HttpEndpointRoute route, JsonObject request, string? correlationId)
    {
        await Task.Yield();
        var started = await runtime.StartAsync(route.DefinitionId, new Dictionary<string, object?> { [HttpEndpoint.RequestInputKey] = request }, correlationId, cancellationToken: CancellationToken.None);
        return new FlowRun(started.InstanceId, started.Status, started.SubStatus);
    }

    private static async Task<FlowRun> ResumeAsync(IWorkflowRuntime runtime, string bookmark, string correlationId, JsonObject request, IReadOnlyList<string> waiting)
    {
        await Task.Yield();
        var resumed = await runtime.SignalAsync(bookmark, correlationId, request, CancellationToken.None);
        var instanceId = waiting.Count > 0 ? waiting[0] : null;
        var details = instanceId is null ? null : await runtime.GetInstanceAsync(instanceId, CancellationToken.None);
        return details is null
            ? new FlowRun(instanceId, WorkflowStatus.Running, WorkflowSubStatus.Suspended, resumed)
            : new FlowRun(instanceId, details.Summary.Status, details.Summary.SubStatus, resumed);
    }

    /// <summary>Null when the caller may use the route; otherwise the 401/429 (no or wrong key) or 403 (the policy refused).</summary>
    private static async Task<IResult?> AuthorizeAsync(HttpContext http, HttpEndpointRoute route)
    {
        if (!route.RequiresManagerKey)
        {
            return null;
        }

        var result = await http.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
        if (!result.Succeeded)
        {
            return Results.Challenge(authenticationSchemes: [ApiKeyAuthenticationHandler.SchemeName]);
        }

        http.User = result.Principal;
        var policy = route.Policy ?? ManagerAuthenticationExtensions.ManagerPolicy;
        var policies = http.RequestServices.GetRequiredService<IAuthorizationPolicyProvider>();
        if (await policies.GetPolicyAsync(policy) is null)
        {
            return Problem(StatusCodes.Status403Forbidden, "Forbidden.", $"The flow requires policy '{FlowHttpRequestReader.Clip(policy)}', which this server does not have (its policy is '{ManagerAuthenticationExtensions.ManagerPolicy}').");
        }

        var authorized = await http.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(result.Principal, policy);
        return authorized.Succeeded ? null : Problem(StatusCodes.Status403Forbidden, "Forbidden.", $"The manager key does not satisfy policy '{FlowHttpRequestReader.Clip(policy)}'.");
    }

    private static string? CorrelationId(HttpRequest request, out string? error)
    {
        error = null;
        var value = request.Headers[CorrelationHeader].ToString();
        if (string.IsNullOrWhiteSpace(value))
        {
            value = request.Query[CorrelationQuery].ToString();
        }

        value = value.Trim();
        if (value.Length == 0)
        {
            return null;
        }

        if (value.Length > MaxCorrelationIdLength || value.Any(char.IsControl))
        {
            error = $"A correlation id is at most {MaxCorrelationIdLength} characters without control characters.";
            return null;
        }

        return value;
    }

    private static IResult Written(HttpEndpointResponse response) => new WrittenResponse(response);

    private static IResult Finished(HttpContext http, string? instanceId)
    {
        if (instanceId is not null)
        {
            http.Response.Headers[InstanceHeader] = instanceId;
        }

        return TypedResults.Ok();
    }

    private static IResult Accepted(HttpContext http, string? instanceId, FlowRun? run, string? note)
    {
        if (instanceId is not null)
        {
            http.Response.Headers[InstanceHeader] = instanceId;
        }

        return TypedResults.Json(new
        {
            workflowInstanceId = instanceId,
            status = (run?.Status ?? WorkflowStatus.Running).ToString(),
            subStatus = (run?.SubStatus ?? WorkflowSubStatus.Executing).ToString(),
            detail = note ?? "the flow did not write a response in the burst this request ran; it waits or goes on",
        }, statusCode: StatusCodes.Status202Accepted);
    }

    private static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request cannot be handed to the flow.");

    private static IResult Problem(int status, string title, string detail, string? field = null, string? instanceId = null, HttpContext? http = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (field is not null)
        {
            extensions["field"] = field;
        }

        if (instanceId is not null)
        {
            extensions["workflowInstanceId"] = instanceId;
            http?.Response.Headers[InstanceHeader] = instanceId;
        }

        return TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: extensions);
    }

    /// <summary>The flow's own response: status, headers (checked when the flow wrote them), content type and body.</summary>
    private sealed class WrittenResponse(HttpEndpointResponse response) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var target = httpContext.Response;
            target.StatusCode = response.StatusCode;
            target.Headers[InstanceHeader] = response.InstanceId;
            foreach (var (name, value) in response.Headers)
            {
                target.Headers.Append(name, value);
            }

            if (response.ContentType is not null)
            {
                target.ContentType = response.ContentType;
            }

            target.ContentLength = response.Body.Length;
            if (response.Body.Length > 0 && !HttpMethods.IsHead(httpContext.Request.Method))
            {
                await target.Body.WriteAsync(response.Body, httpContext.RequestAborted);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A request-started run of flow {DefinitionId} failed after its caller got 202")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string definitionId);
}
