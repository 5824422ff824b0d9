using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MentorFlow.Server.Studio.ElsaApi;

/// <summary>
/// Runs from the designer (<c>/elsa/api/workflow-definitions/{definitionId}/{execute,dispatch}</c>) through
/// <see cref="IWorkflowRuntime"/>; an execute is a test run, whose Graph side effects go to the sandbox.
/// </summary>
internal static partial class ElsaDefinitionRunsApi
{
    public static IEndpointRouteBuilder MapElsaDefinitionRunsApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/workflow-definitions/{definitionId}/execute", Execute);
        api.MapPost("/workflow-definitions/{definitionId}/dispatch", Dispatch);
        return api;
    }

    private static async Task<IResult> Execute(
        string definitionId,
        HttpContext http,
        [FromServices] IWorkflowDefinitionService definitions,
        [FromServices] IWorkflowRuntime runtime,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var (body, options, errors) = await ReadRunAsync(http.Request, cancellationToken);
        if (errors.Count > 0)
        {
            return ElsaRequests.Invalid(errors);
        }

        var version = await definitions.FindAsync(definitionId, options!.Value, cancellationToken);
        if (version is null)
        {
            return ElsaRequests.NotFound($"No version '{options}' of workflow definition '{definitionId}'.");
        }

        var problems = definitions.Validate(version.Model);
        if (problems.Count > 0)
        {
            http.Response.Headers["x-elsa-workflow-cannot-start"] = "True";
            return TypedResults.ValidationProblem(ElsaRequests.ToErrors(problems), title: "The workflow cannot start: its definition is not valid.");
        }

        // A run from the designer is a test run: its Graph side effects go to the sandbox.
        var input = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in body?.Input ?? [])
        {
            input[key] = value?.DeepClone();
        }

        input[WorkflowInputKeys.TestRun] = true;
        WorkflowStartResult started;
        try
        {
            started = await runtime.StartVersionAsync(version.Id, input, body?.CorrelationId, cancellationToken);
        }
        catch (WorkflowStateTooLargeException tooLarge)
        {
            return ElsaRequests.InputTooLarge(tooLarge);
        }

        var logger = loggers.CreateLogger("MentorFlow.Studio.ElsaApi");
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogTestRun(logger, definitionId, version.Version, started.InstanceId, started.SubStatus);
        }

        http.Response.Headers["x-elsa-workflow-cannot-start"] = "False";
        http.Response.Headers["x-elsa-workflow-instance-id"] = started.InstanceId;
        http.Response.Headers["x-elsa-response"] = "true";
        var details = await runtime.GetInstanceAsync(started.InstanceId, cancellationToken);
        if (details is null)
        {
            return TypedResults.Ok(new { workflowInstanceId = started.InstanceId });
        }

        var state = InstancePresenter.State(details, version);
        return TypedResults.Ok(new { workflowState = state });
    }

    private static async Task<Results<Ok<DispatchResponse>, ValidationProblem, ProblemHttpResult>> Dispatch(
        string definitionId, HttpRequest request, [FromServices] IWorkflowDefinitionService definitions, [FromServices] IWorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        var (body, options, errors) = await ReadRunAsync(request, cancellationToken);
        if (errors.Count > 0)
        {
            return ElsaRequests.Invalid(errors);
        }

        if (await definitions.FindAsync(definitionId, options!.Value, cancellationToken) is null)
        {
            return ElsaRequests.NotFound($"No version '{options}' of workflow definition '{definitionId}'.");
        }

        var input = body?.Input?.ToDictionary(pair => pair.Key, pair => (object?)pair.Value?.DeepClone(), StringComparer.Ordinal);
        try
        {
            var started = await runtime.StartAsync(definitionId, input, body?.CorrelationId, options.Value, cancellationToken);
            return TypedResults.Ok(new DispatchResponse(started.InstanceId));
        }
        catch (WorkflowStateTooLargeException tooLarge)
        {
            return ElsaRequests.InputTooLarge(tooLarge);
        }
    }

    internal sealed record DispatchResponse(string WorkflowInstanceId);

    /// <summary>A run's optional JSON body and the version it names (default: the published one); errors name the field.</summary>
    private static async Task<(ElsaExecuteRequest? Body, VersionOptions? Options, Dictionary<string, string[]> Errors)> ReadRunAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        ElsaExecuteRequest? body = null;
        if (request.ContentType?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            body = await request.ReadFromJsonAsync<ElsaExecuteRequest>(cancellationToken);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        ElsaRequests.TryVersionOptions(body?.VersionOptions, VersionOptions.Published, out var options, errors);
        return (body, options, errors);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Studio test run of {DefinitionId} version {Version}: instance {InstanceId} is {SubStatus}")]
    private static partial void LogTestRun(ILogger logger, string definitionId, int version, string instanceId, WorkflowSubStatus subStatus);
}
