using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MentorFlow.Server.Studio.ElsaApi;

/// <summary>
/// Elsa 3 workflow-instance endpoints the Studio's instance list and viewer call: list, get, variables, execution
/// state, journal, activity executions and their report, cancel and delete (single and bulk).
/// </summary>
internal static class ElsaInstancesApi
{
    private const int DefaultJournalTake = 100;

    public static IEndpointRouteBuilder MapElsaInstancesApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/workflow-instances", ListPost);
        api.MapGet("/workflow-instances", ListGet);
        api.MapGet("/workflow-instances/{id}", Get);
        api.MapGet("/workflow-instances/{id}/variables", Variables);
        api.MapGet("/workflow-instances/{id}/execution-state", ExecutionState);
        api.MapPost("/workflow-instances/{id}/journal", JournalPost);
        api.MapGet("/workflow-instances/{id}/journal", JournalGet);
        api.MapPost("/cancel/workflow-instances/{id}", Cancel);
        api.MapPost("/bulk-actions/cancel/workflow-instances", BulkCancel);
        api.MapDelete("/workflow-instances/{id}", Delete);
        api.MapPost("/bulk-actions/delete/workflow-instances/by-id", BulkDelete);
        api.MapPost("/bulk-actions/delete/workflow-instances", BulkDelete);
        api.MapPost("/activity-executions/report", Report);
        api.MapGet("/activity-execution-summaries/list", ExecutionSummaries);
        api.MapGet("/activity-executions/list", ExecutionRecords);
        api.MapGet("/activity-executions/by-id", (HttpRequest request, [FromServices] IWorkflowRuntime runtime, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken) =>
            ExecutionById(ElsaRequests.Text(request, "id"), runtime, definitions, cancellationToken));
        api.MapGet("/activity-executions/{id}", (string id, [FromServices] IWorkflowRuntime runtime, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken) =>
            ExecutionById(id, runtime, definitions, cancellationToken));
        api.MapGet("/activity-executions/{id}/call-stack", CallStack);
        return api;
    }

    private static Task<Results<Ok<ElsaPagedListResponse<ElsaWorkflowInstanceSummary>>, ValidationProblem>> ListPost(
        ElsaListInstancesRequest? request, [FromServices] IWorkflowRuntime runtime, CancellationToken cancellationToken) =>
        ListAsync(request ?? Empty, runtime, cancellationToken);

    private static Task<Results<Ok<ElsaPagedListResponse<ElsaWorkflowInstanceSummary>>, ValidationProblem>> ListGet(
        HttpRequest request, [FromServices] IWorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        ElsaRequests.TryInt(request, "page", int.MinValue, out var page, errors);
        ElsaRequests.TryInt(request, "pageSize", int.MinValue, out var pageSize, errors);
        ElsaRequests.TryBool(request, "hasIncidents", out var hasIncidents, errors);
        if (errors.Count > 0)
        {
            return Task.FromResult<Results<Ok<ElsaPagedListResponse<ElsaWorkflowInstanceSummary>>, ValidationProblem>>(ElsaRequests.Invalid(errors));
        }

        return ListAsync(Empty with
        {
            Page = page,
            PageSize = pageSize,
            SearchTerm = ElsaRequests.Text(request, "searchTerm"),
            DefinitionId = ElsaRequests.Text(request, "definitionId"),
            DefinitionIds = ElsaRequests.List(request, "definitionIds"),
            CorrelationId = ElsaRequests.Text(request, "correlationId"),
            HasIncidents = hasIncidents,
            Statuses = ElsaRequests.List(request, "statuses") ?? ElsaRequests.List(request, "status"),
            SubStatuses = ElsaRequests.List(request, "subStatuses") ?? ElsaRequests.List(request, "subStatus"),
            OrderDirection = ElsaRequests.Text(request, "orderDirection"),
        }, runtime, cancellationToken);
    }

    private static readonly ElsaListInstancesRequest Empty = new(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /// <summary>Largest page the instance list serves.</summary>
    private const int MaxPageSize = 500;

    /// <summary>How deep pages reach into a list ((page + 1) × page size).</summary>
    private const int MaxListDepth = 10_000;

    /// <summary>Most definitions one list request may filter on.</summary>
    private const int MaxDefinitions = 100;

    private static async Task<Results<Ok<ElsaPagedListResponse<ElsaWorkflowInstanceSummary>>, ValidationProblem>> ListAsync(
        ElsaListInstancesRequest request, [FromServices] IWorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Page is < 0)
        {
            errors["page"] = ["The page number is 0-based and cannot be negative."];
        }

        if (request.PageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"The page size must be between 1 and {MaxPageSize}."];
        }
        else if (((long)(request.Page ?? 0) + 1) * (request.PageSize ?? 50) > MaxListDepth)
        {
            errors["page"] = [$"Pages reach at most the first {MaxListDepth} instances; narrow the list with a filter (status, correlation id, search) to see older ones."];
        }

        if (request.DefinitionIds is { Count: > MaxDefinitions })
        {
            errors["definitionIds"] = [$"Filter on at most {MaxDefinitions} definitions at once."];
        }

        var statuses = ParseAll<WorkflowStatus>(Merge(request.Status, request.Statuses), "statuses", errors);
        var subStatuses = ParseAll<WorkflowSubStatus>(Merge(request.SubStatus, request.SubStatuses), "subStatuses", errors);
        var descending = true;
        if (request.OrderDirection is { } direction)
        {
            if (direction.Equals("Ascending", StringComparison.OrdinalIgnoreCase))
            {
                descending = false;
            }
            else if (!direction.Equals("Descending", StringComparison.OrdinalIgnoreCase))
            {
                errors["orderDirection"] = [$"'{direction}' is not a direction; use Ascending or Descending."];
            }
        }

        if (errors.Count > 0)
        {
            return ElsaRequests.Invalid(errors);
        }

        if (request.IsSystem == true)
        {
            return TypedResults.Ok(new ElsaPagedListResponse<ElsaWorkflowInstanceSummary>([], 0));
        }

        var definitionIds = request.DefinitionIds is { Count: > 0 } ids ? ids : request.DefinitionId is { } one ? [one] : [];
        var page = request.Page ?? 0;
        var pageSize = request.PageSize ?? 50;
        InstanceQuery Query(string? definitionId, int queryPage, int queryPageSize) => new()
        {
            Page = queryPage,
            PageSize = queryPageSize,
            DefinitionId = definitionId,
            CorrelationId = request.CorrelationId,
            SearchTerm = request.SearchTerm ?? request.Name,
            Statuses = statuses,
            SubStatuses = subStatuses,
            HasIncidents = request.HasIncidents,
            Descending = descending,
        };

        if (definitionIds.Count <= 1)
        {
            var result = await runtime.ListInstancesAsync(Query(definitionIds.FirstOrDefault(), page, pageSize), cancellationToken);
            var items = result.Items.Where(item => request.Version is null || item.Version == request.Version).Select(InstancePresenter.Summary).ToList();
            return TypedResults.Ok(new ElsaPagedListResponse<ElsaWorkflowInstanceSummary>(items, result.TotalCount));
        }

        // Several definitions: the requested page of the union lies within the first (page + 1) × pageSize matches of
        // each definition in the requested order, so only those are read (bounded by MaxListDepth).
        var depth = (page + 1) * pageSize;
        var all = new List<WorkflowInstanceSummary>();
        long total = 0;
        foreach (var definitionId in definitionIds.Distinct(StringComparer.Ordinal))
        {
            var head = await runtime.ListInstancesAsync(Query(definitionId, 0, depth), cancellationToken);
            all.AddRange(head.Items);
            total += head.TotalCount;
        }

        var ordered = (descending ? all.OrderByDescending(item => item.CreatedAt) : all.OrderBy(item => item.CreatedAt))
            .Where(item => request.Version is null || item.Version == request.Version)
            .ToList();
        var pageItems = ordered.Skip(page * pageSize).Take(pageSize).Select(InstancePresenter.Summary).ToList();
        return TypedResults.Ok(new ElsaPagedListResponse<ElsaWorkflowInstanceSummary>(pageItems, request.Version is null ? total : ordered.Count));
    }

    private static async Task<Results<Ok<ElsaWorkflowInstance>, ProblemHttpResult>> Get(
        string id, [FromServices] IWorkflowRuntime runtime, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var details = await runtime.GetInstanceAsync(id, cancellationToken);
        if (details is null)
        {
            return ElsaRequests.NotFound($"No workflow instance '{id}'.");
        }

        var definition = await definitions.FindByIdAsync(details.Summary.DefinitionVersionId, cancellationToken);
        return TypedResults.Ok(InstancePresenter.Instance(details, definition));
    }

    private static async Task<Results<Ok<ElsaListResponse<ElsaVariableValue>>, ProblemHttpResult>> Variables(
        string id, [FromServices] IWorkflowRuntime runtime, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var details = await runtime.GetInstanceAsync(id, cancellationToken);
        if (details is null)
        {
            return ElsaRequests.NotFound($"No workflow instance '{id}'.");
        }

        var definition = await definitions.FindByIdAsync(details.Summary.DefinitionVersionId, cancellationToken);
        var declared = (definition?.Model["variables"] as JsonArray)?.OfType<JsonObject>()
            .Where(variable => variable["name"] is not null)
            .ToDictionary(variable => variable["name"]!.GetValue<string>(), variable => variable["id"]?.GetValue<string>(), StringComparer.Ordinal)
            ?? [];
        var items = details.Variables
            .Select(pair => new ElsaVariableValue(declared.GetValueOrDefault(pair.Key) ?? pair.Key, pair.Key, pair.Value?.DeepClone()))
            .ToList();
        return TypedResults.Ok(new ElsaListResponse<ElsaVariableValue>(items, items.Count));
    }

    private static async Task<Results<Ok<ElsaExecutionState>, ProblemHttpResult>> ExecutionState(
        string id, [FromServices] IWorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        var details = await runtime.GetInstanceAsync(id, cancellationToken);
        if (details is null)
        {
            return ElsaRequests.NotFound($"No workflow instance '{id}'.");
        }

        var summary = details.Summary;
        var subStatus = InstancePresenter.SubStatus(summary.SubStatus);
        return TypedResults.Ok(new ElsaExecutionState(InstancePresenter.Status(summary.Status), subStatus, subStatus, summary.UpdatedAt));
    }

    private static Task<Results<Ok<ElsaPagedListResponse<ElsaExecutionLogRecord>>, ValidationProblem, ProblemHttpResult>> JournalPost(
        string id, ElsaJournalRequest? body, HttpRequest request, [FromServices] IWorkflowRuntime runtime, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken) =>
        JournalAsync(id, body?.Filter, request, runtime, definitions, cancellationToken);

    private static Task<Results<Ok<ElsaPagedListResponse<ElsaExecutionLogRecord>>, ValidationProblem, ProblemHttpResult>> JournalGet(
        string id, HttpRequest request, [FromServices] IWorkflowRuntime runtime, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken) =>
        JournalAsync(id, null, request, runtime, definitions, cancellationToken);

    private static async Task<Results<Ok<ElsaPagedListResponse<ElsaExecutionLogRecord>>, ValidationProblem, ProblemHttpResult>> JournalAsync(
        string id, ElsaJournalFilter? filter, HttpRequest request, [FromServices] IWorkflowRuntime runtime, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        ElsaRequests.TryInt(request, "skip", 0, out var skip, errors);
        ElsaRequests.TryInt(request, "take", 0, out var take, errors);
        ElsaRequests.TryInt(request, "page", 0, out var page, errors);
        ElsaRequests.TryInt(request, "pageSize", 1, out var pageSize, errors);
        if (errors.Count > 0)
        {
            return ElsaRequests.Invalid(errors);
        }

        var details = await runtime.GetInstanceAsync(id, cancellationToken);
        if (details is null)
        {
            return ElsaRequests.NotFound($"No workflow instance '{id}'.");
        }

        var definition = await definitions.FindByIdAsync(details.Summary.DefinitionVersionId, cancellationToken);
        IEnumerable<ElsaExecutionLogRecord> records = InstancePresenter.Journal(details, definition);
        if (filter?.ActivityIds is { Count: > 0 } activityIds)
        {
            records = records.Where(record => activityIds.Contains(record.ActivityId, StringComparer.Ordinal));
        }

        if (filter?.ActivityNodeIds is { Count: > 0 } nodeIds)
        {
            records = records.Where(record => nodeIds.Contains(record.NodeId, StringComparer.Ordinal));
        }

        if (filter?.ExcludedActivityTypes is { Count: > 0 } excluded)
        {
            records = records.Where(record => !excluded.Contains(record.ActivityType, StringComparer.Ordinal));
        }

        if (filter?.EventNames is { Count: > 0 } eventNames)
        {
            records = records.Where(record => record.EventName is not null && eventNames.Contains(record.EventName, StringComparer.OrdinalIgnoreCase));
        }

        var list = records.ToList();
        int offset, count;
        if (page is not null || pageSize is not null)
        {
            count = pageSize ?? DefaultJournalTake;
            offset = (page ?? 0) * count;
        }
        else
        {
            offset = skip ?? 0;
            count = take ?? DefaultJournalTake;
        }

        return TypedResults.Ok(new ElsaPagedListResponse<ElsaExecutionLogRecord>(list.Skip(offset).Take(count).ToList(), list.Count));
    }

    /// <summary>Cancels (terminates) a running or faulted instance at once, without running any of its activities.</summary>
    private static async Task<Results<Ok, ProblemHttpResult>> Cancel(string id, [FromServices] IWorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        if (await runtime.GetInstanceAsync(id, cancellationToken) is null)
        {
            return ElsaRequests.NotFound($"No workflow instance '{id}'.");
        }

        await runtime.CancelAsync(id, cancellationToken);
        return TypedResults.Ok();
    }

    private static async Task<Results<Ok<ElsaCancelledResponse>, ValidationProblem>> BulkCancel(
        ElsaIdsRequest request, [FromServices] IWorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        return request.Ids is null
            ? IdsRequired()
            : TypedResults.Ok(new ElsaCancelledResponse(await CountAsync(request.Ids, id => runtime.CancelAsync(id, cancellationToken))));
    }

    private static ValidationProblem IdsRequired() => ElsaRequests.Invalid(new() { ["ids"] = ["A list of instance ids is required."] });

    /// <summary>Applies a bulk operation to each distinct id; how many it applied to.</summary>
    private static async Task<int> CountAsync(IEnumerable<string> ids, Func<string, Task<bool>> operation)
    {
        var count = 0;
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            count += await operation(id) ? 1 : 0;
        }

        return count;
    }

    /// <summary>
    /// Deletes an instance in any state (a running one stops where it is: nothing it was doing is committed), with its
    /// journal, incidents, bookmarks and timers.
    /// </summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, [FromServices] IWorkflowRuntime runtime, CancellationToken cancellationToken) =>
        await runtime.DeleteInstanceAsync(id, cancellationToken)
            ? TypedResults.NoContent()
            : ElsaRequests.NotFound($"No workflow instance '{id}'.");

    private static async Task<Results<Ok<ElsaBulkDeleteResponse>, ValidationProblem>> BulkDelete(
        ElsaIdsRequest request, [FromServices] IWorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        return request.Ids is null
            ? IdsRequired()
            : TypedResults.Ok(new ElsaBulkDeleteResponse(await CountAsync(request.Ids, id => runtime.DeleteInstanceAsync(id, cancellationToken))));
    }

    private static async Task<Results<Ok<ElsaActivityExecutionReport>, ValidationProblem, ProblemHttpResult>> Report(
        ElsaActivityExecutionReportRequest request, [FromServices] IWorkflowRuntime runtime, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.WorkflowInstanceId))
        {
            return ElsaRequests.Invalid(new() { ["workflowInstanceId"] = ["The workflow instance id is required."] });
        }

        var details = await runtime.GetInstanceAsync(request.WorkflowInstanceId, cancellationToken);
        if (details is null)
        {
            return ElsaRequests.NotFound($"No workflow instance '{request.WorkflowInstanceId}'.");
        }

        var definition = await definitions.FindByIdAsync(details.Summary.DefinitionVersionId, cancellationToken);
        var executions = InstancePresenter.Executions(details, definition);
        var stats = new List<ElsaActivityExecutionStats>();
        foreach (var nodeId in request.ActivityNodeIds ?? [])
        {
            var runs = executions.Where(execution => execution.NodeId == nodeId).ToList();
            if (runs.Count == 0)
            {
                continue;
            }

            var completed = runs.Count(run => run.Status == ElsaActivityStatus.Completed);
            var faulted = runs.Count(run => run.Status == ElsaActivityStatus.Faulted);
            stats.Add(new ElsaActivityExecutionStats(
                runs[0].ActivityId, nodeId, runs.Count, completed, runs.Count - completed,
                IsBlocked: runs.Any(run => run.HasBookmarks), IsFaulted: faulted > 0, AggregateFaultCount: faulted));
        }

        return TypedResults.Ok(new ElsaActivityExecutionReport(stats));
    }

    private static async Task<Results<Ok<ElsaListResponse<ElsaActivityExecutionRecordSummary>>, ValidationProblem>> ExecutionSummaries(
        HttpRequest request, [FromServices] IWorkflowRuntime runtime, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var (executions, problem) = await FindExecutionsAsync(request, runtime, definitions, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var items = executions.Select(InstancePresenter.Summary).ToList();
        return TypedResults.Ok(new ElsaListResponse<ElsaActivityExecutionRecordSummary>(items, items.Count));
    }

    private static async Task<Results<Ok<ElsaListResponse<ElsaActivityExecutionRecord>>, ValidationProblem>> ExecutionRecords(
        HttpRequest request, [FromServices] IWorkflowRuntime runtime, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var (executions, problem) = await FindExecutionsAsync(request, runtime, definitions, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var items = executions.Select(execution => InstancePresenter.Record(execution)).ToList();
        return TypedResults.Ok(new ElsaListResponse<ElsaActivityExecutionRecord>(items, items.Count));
    }

    private static async Task<(List<InstancePresenter.Execution> Executions, ValidationProblem? Problem)> FindExecutionsAsync(
        HttpRequest request, [FromServices] IWorkflowRuntime runtime, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var instanceId = ElsaRequests.Text(request, "workflowInstanceId");
        if (instanceId is null)
        {
            errors["workflowInstanceId"] = ["The workflow instance id is required."];
        }

        ElsaRequests.TryBool(request, "completed", out var completed, errors);
        if (errors.Count > 0)
        {
            return ([], ElsaRequests.Invalid(errors));
        }

        var details = await runtime.GetInstanceAsync(instanceId!, cancellationToken);
        if (details is null)
        {
            return ([], null);
        }

        var definition = await definitions.FindByIdAsync(details.Summary.DefinitionVersionId, cancellationToken);
        var nodeId = ElsaRequests.Text(request, "activityNodeId");
        var executions = InstancePresenter.Executions(details, definition)
            .Where(execution => nodeId is null || execution.NodeId == nodeId)
            .Where(execution => completed is null || (execution.Status == ElsaActivityStatus.Completed) == completed)
            .OrderBy(execution => execution.StartedAt)
            .ToList();
        return (executions, null);
    }

    private static async Task<Results<Ok<ElsaActivityExecutionRecord>, ValidationProblem, ProblemHttpResult>> ExecutionById(
        string? id, [FromServices] IWorkflowRuntime runtime, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return ElsaRequests.Invalid(new() { ["id"] = ["The activity execution id is required."] });
        }

        var execution = await FindExecutionAsync(id, runtime, definitions, cancellationToken);
        return execution is null
            ? ElsaRequests.NotFound($"No activity execution '{id}'.")
            : TypedResults.Ok(InstancePresenter.Record(execution));
    }

    private static async Task<Results<Ok<ElsaCallStackResponse>, ProblemHttpResult>> CallStack(
        string id, [FromServices] IWorkflowRuntime runtime, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var execution = await FindExecutionAsync(id, runtime, definitions, cancellationToken);
        return execution is null
            ? ElsaRequests.NotFound($"No activity execution '{id}'.")
            : TypedResults.Ok(new ElsaCallStackResponse(id, [InstancePresenter.Record(execution)], 1));
    }

    /// <summary>Execution ids are "{instanceId}:{journal sequence}".</summary>
    private static async Task<InstancePresenter.Execution?> FindExecutionAsync(
        string id, [FromServices] IWorkflowRuntime runtime, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var separator = id.LastIndexOf(':');
        if (separator <= 0)
        {
            return null;
        }

        var details = await runtime.GetInstanceAsync(id[..separator], cancellationToken);
        if (details is null)
        {
            return null;
        }

        var definition = await definitions.FindByIdAsync(details.Summary.DefinitionVersionId, cancellationToken);
        return InstancePresenter.Executions(details, definition).FirstOrDefault(execution => execution.Id == id);
    }

    private static IReadOnlyList<string>? Merge(string? one, IReadOnlyList<string>? many) =>
        one is null ? many : [one, .. many ?? []];

    private static List<T>? ParseAll<T>(IReadOnlyList<string>? values, string field, Dictionary<string, string[]> errors)
        where T : struct, Enum
    {
        if (values is not { Count: > 0 })
        {
            return null;
        }

        var parsed = new List<T>();
        foreach (var value in values)
        {
            if (Enum.TryParse<T>(value, ignoreCase: true, out var item) && Enum.IsDefined(item) && !int.TryParse(value, out _))
            {
                parsed.Add(item);
            }
            else if (!(typeof(T) == typeof(WorkflowSubStatus) && value.Equals("Interrupted", StringComparison.OrdinalIgnoreCase)))
            {
                errors[field] = [$"'{value}' is not one of {string.Join(", ", Enum.GetNames<T>())}."];
            }
        }

        return parsed;
    }
}
