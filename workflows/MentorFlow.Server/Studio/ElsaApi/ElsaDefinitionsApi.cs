using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Descriptors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MentorFlow.Server.Studio.ElsaApi;

/// <summary>
/// Elsa 3 workflow-definition endpoints (<c>/elsa/api/workflow-definitions/...</c>): list and read definitions and
/// versions, save drafts, publish, retract, revert and delete, on top of <see cref="IWorkflowDefinitionService"/>.
/// Bulk actions, import/export and runs from the designer are <see cref="ElsaDefinitionBulkActionsApi"/>,
/// <see cref="ElsaDefinitionFilesApi"/> and <see cref="ElsaDefinitionRunsApi"/>.
/// </summary>
internal static partial class ElsaDefinitionsApi
{
    public static IEndpointRouteBuilder MapElsaDefinitionsApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/workflow-definitions", List);
        api.MapGet("/workflow-definitions/by-definition-id/{definitionId}", Get);
        api.MapGet("/workflow-definitions/{definitionId}", Get);
        api.MapGet("/workflow-definitions/by-id/{id}", GetById);
        api.MapGet("/workflow-definitions/many-by-id", GetManyById);
        api.MapGet("/workflow-definitions/validation/is-name-unique", IsNameUnique);
        api.MapGet("/workflow-definitions/query/count", Count);
        api.MapGet("/workflow-definitions/{definitionId}/consumers", Consumers);
        api.MapPost("/workflow-definitions", Save);
        api.MapPost("/workflow-definitions/{definitionId}/publish", Publish);
        api.MapPost("/workflow-definitions/{definitionId}/retract", Retract);
        api.MapPost("/workflow-definitions/{definitionId}/revert/{version:int}", Revert);
        api.MapDelete("/workflow-definitions/{definitionId}", Delete);
        api.MapDelete("/workflow-definition-versions/{id}", DeleteVersion);
        return api;
    }

    private static async Task<Results<Ok<ElsaPagedListResponse<ElsaWorkflowDefinitionSummary>>, ValidationProblem>> List(
        HttpRequest request, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        ElsaRequests.TryVersionOptions(ElsaRequests.Text(request, "versionOptions"), null, out var versionOptions, errors);
        ElsaRequests.TryInt(request, "page", 0, out var page, errors);
        ElsaRequests.TryInt(request, "pageSize", 1, out var pageSize, errors);
        ElsaRequests.TryBool(request, "isSystem", out var isSystem, errors);
        var orderBy = DefinitionOrderBy.Name;
        if (ElsaRequests.Text(request, "orderBy") is { } orderText && !Enum.TryParse(orderText, ignoreCase: true, out orderBy))
        {
            errors["orderBy"] = [$"'{orderText}' is not a sort order; use Name, Created or Version."];
        }

        bool? descending = null;
        if (ElsaRequests.Text(request, "orderDirection") is { } direction)
        {
            if (direction.Equals("Descending", StringComparison.OrdinalIgnoreCase))
            {
                descending = true;
            }
            else if (direction.Equals("Ascending", StringComparison.OrdinalIgnoreCase))
            {
                descending = false;
            }
            else
            {
                errors["orderDirection"] = [$"'{direction}' is not a direction; use Ascending or Descending."];
            }
        }

        if (errors.Count > 0)
        {
            return ElsaRequests.Invalid(errors);
        }

        if (isSystem == true)
        {
            // MentorFlow has no system workflows.
            return TypedResults.Ok(new ElsaPagedListResponse<ElsaWorkflowDefinitionSummary>([], 0, DefinitionPresenter.ListLinks()));
        }

        var result = await definitions.ListAsync(new DefinitionQuery
        {
            VersionOptions = versionOptions,
            Page = page is null || pageSize is null ? null : page,
            PageSize = page is null || pageSize is null ? null : pageSize,
            SearchTerm = ElsaRequests.Text(request, "searchTerm"),
            DefinitionIds = ElsaRequests.List(request, "definitionIds"),
            Ids = ElsaRequests.List(request, "ids"),
            OrderBy = orderBy,
            Descending = descending,
        }, cancellationToken);
        return TypedResults.Ok(new ElsaPagedListResponse<ElsaWorkflowDefinitionSummary>(
            result.Items.Select(DefinitionPresenter.Summarize).ToList(), result.TotalCount, DefinitionPresenter.ListLinks()));
    }

    private static async Task<Results<Ok<JsonObject>, ValidationProblem, ProblemHttpResult>> Get(
        string definitionId, HttpRequest request, [FromServices] IWorkflowDefinitionService definitions, [FromServices] IWorkflowDefinitionActivities flows,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ElsaRequests.TryVersionOptions(ElsaRequests.Text(request, "versionOptions"), VersionOptions.Latest, out var options, errors))
        {
            return ElsaRequests.Invalid(errors);
        }

        var version = await definitions.FindAsync(definitionId, options!.Value, cancellationToken);
        return version is null
            ? ElsaRequests.NotFound($"No version '{options}' of workflow definition '{definitionId}'.")
            : TypedResults.Ok(await DefinitionPresenter.PresentAsync(version, flows, cancellationToken));
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetById(
        string id, [FromServices] IWorkflowDefinitionService definitions, [FromServices] IWorkflowDefinitionActivities flows, CancellationToken cancellationToken)
    {
        var version = await definitions.FindByIdAsync(id, cancellationToken);
        return version is null
            ? ElsaRequests.NotFound($"No workflow definition version '{id}'.")
            : TypedResults.Ok(await DefinitionPresenter.PresentAsync(version, flows, cancellationToken));
    }

    /// <summary>The flows using this one as an activity, directly or through others (404 for an unknown definition, as in Elsa).</summary>
    private static async Task<Results<Ok<ElsaConsumersResponse>, ProblemHttpResult>> Consumers(
        string definitionId, [FromServices] IWorkflowDefinitionService definitions, [FromServices] IWorkflowDefinitionActivities flows,
        CancellationToken cancellationToken)
    {
        if (await definitions.FindAsync(definitionId, VersionOptions.Latest, cancellationToken) is null)
        {
            return ElsaRequests.NotFound($"No workflow definition '{definitionId}'.");
        }

        return TypedResults.Ok(new ElsaConsumersResponse(await flows.ConsumersAsync(definitionId, cancellationToken)));
    }

    private static async Task<Ok<ElsaListResponse<JsonObject>>> GetManyById(
        HttpRequest request, [FromServices] IWorkflowDefinitionService definitions, [FromServices] IWorkflowDefinitionActivities flows, CancellationToken cancellationToken)
    {
        var versions = new List<WorkflowDefinitionVersion>();
        foreach (var id in ElsaRequests.List(request, "ids") ?? [])
        {
            if (await definitions.FindByIdAsync(id, cancellationToken) is { } version)
            {
                versions.Add(version);
            }
        }

        var items = await DefinitionPresenter.PresentAllAsync(versions, flows, cancellationToken);

        return TypedResults.Ok(new ElsaListResponse<JsonObject>(items, items.Count));
    }

    private static async Task<Results<Ok<ElsaIsNameUniqueResponse>, ValidationProblem>> IsNameUnique(
        HttpRequest request, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var name = ElsaRequests.Text(request, "name");
        if (name is null)
        {
            return ElsaRequests.Invalid(new() { ["name"] = ["A name is required."] });
        }

        var unique = await definitions.IsNameUniqueAsync(name, ElsaRequests.Text(request, "definitionId"), cancellationToken);
        return TypedResults.Ok(new ElsaIsNameUniqueResponse(unique));
    }

    private static async Task<Ok<ElsaCountResponse>> Count([FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var result = await definitions.ListAsync(new DefinitionQuery { VersionOptions = VersionOptions.Latest, Page = 0, PageSize = 1 }, cancellationToken);
        return TypedResults.Ok(new ElsaCountResponse(result.TotalCount));
    }

    private static async Task<Results<Ok<ElsaSaveWorkflowDefinitionResponse>, ValidationProblem>> Save(
        ElsaSaveWorkflowDefinitionRequest request, [FromServices] IWorkflowDefinitionService definitions, [FromServices] IWorkflowDefinitionActivities flows,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (request.Model is null)
        {
            return ElsaRequests.Invalid(new() { ["model"] = ["The workflow definition model is required."] });
        }

        if (request.Model["root"] is not null and not JsonObject)
        {
            return ElsaRequests.Invalid(new() { ["model.root"] = ["The root activity must be a JSON object."] });
        }

        var definitionId = request.Model["definitionId"]?.GetValueKind() == JsonValueKind.String
            ? request.Model["definitionId"]!.GetValue<string>()
            : null;
        var stored = string.IsNullOrWhiteSpace(definitionId)
            ? null
            : await definitions.FindAsync(definitionId, VersionOptions.Latest, cancellationToken);
        var model = DefinitionPresenter.CleanPosted(request.Model, stored?.Model);

        if (request.Publish == true)
        {
            // Refuse before storing anything: a failed publish leaves no half-saved draft behind.
            var problems = definitions.Validate(model);
            if (problems.Count > 0)
            {
                return ElsaRequests.Invalid(ElsaRequests.ToErrors(problems));
            }
        }

        SaveDraftResult saved;
        try
        {
            saved = await definitions.SaveDraftAsync(model, cancellationToken);
        }
        catch (WorkflowDefinitionFormatException exception)
        {
            return ElsaRequests.Invalid(new() { ["model"] = [exception.Message] });
        }

        var logger = loggers.CreateLogger("MentorFlow.Studio.ElsaApi");
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogSaved(logger, saved.Definition.DefinitionId, saved.Definition.Version, saved.Errors.Count);
        }

        if (request.Publish != true)
        {
            return TypedResults.Ok(new ElsaSaveWorkflowDefinitionResponse(
                await DefinitionPresenter.PresentAsync(saved.Definition, flows, cancellationToken), false, 0, saved.Errors.Select(error => error.ToString()).ToList()));
        }

        var published = await definitions.PublishAsync(saved.Definition.DefinitionId, cancellationToken);
        if (!published.Succeeded || published.Definition is null)
        {
            return ElsaRequests.Invalid(ElsaRequests.ToErrors(published.Errors));
        }

        return TypedResults.Ok(new ElsaSaveWorkflowDefinitionResponse(await DefinitionPresenter.PresentAsync(published.Definition, flows, cancellationToken), false, 0, []));
    }

    private static async Task<Results<Ok<ElsaSaveWorkflowDefinitionResponse>, ValidationProblem, ProblemHttpResult>> Publish(
        string definitionId, [FromServices] IWorkflowDefinitionService definitions, [FromServices] IWorkflowDefinitionActivities flows, CancellationToken cancellationToken)
    {
        if (await definitions.FindAsync(definitionId, VersionOptions.Latest, cancellationToken) is null)
        {
            return ElsaRequests.NotFound($"No workflow definition '{definitionId}'.");
        }

        var result = await definitions.PublishAsync(definitionId, cancellationToken);
        if (!result.Succeeded || result.Definition is null)
        {
            return ElsaRequests.Invalid(ElsaRequests.ToErrors(result.Errors));
        }

        return TypedResults.Ok(new ElsaSaveWorkflowDefinitionResponse(
            await DefinitionPresenter.PresentAsync(result.Definition, flows, cancellationToken), result.AlreadyPublished, 0, []));
    }

    private static async Task<Results<Ok<JsonObject>, ValidationProblem, ProblemHttpResult>> Retract(
        string definitionId, [FromServices] IWorkflowDefinitionService definitions, [FromServices] IWorkflowDefinitionActivities flows, CancellationToken cancellationToken)
    {
        if (await definitions.FindAsync(definitionId, VersionOptions.LatestOrPublished, cancellationToken) is null)
        {
            return ElsaRequests.NotFound($"No workflow definition '{definitionId}'.");
        }

        var retracted = await definitions.RetractAsync(definitionId, cancellationToken);
        return retracted is null
            ? ElsaRequests.Invalid(new() { ["definitionId"] = [$"Workflow definition '{definitionId}' has no published version to retract."] })
            : TypedResults.Ok(await DefinitionPresenter.PresentAsync(retracted, flows, cancellationToken));
    }

    private static async Task<Results<Created<ElsaWorkflowDefinitionSummary>, ProblemHttpResult>> Revert(
        string definitionId, int version, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var reverted = await definitions.RevertAsync(definitionId, version, cancellationToken);
        if (reverted is null)
        {
            return ElsaRequests.NotFound($"Workflow definition '{definitionId}' has no version {version}.");
        }

        var summary = DefinitionPresenter.Summarize(reverted) with { Links = null };
        return TypedResults.Created($"{DefinitionPresenter.ApiBase}/workflow-definitions/by-id/{Uri.EscapeDataString(reverted.Id)}", summary);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string definitionId, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken) =>
        await definitions.DeleteAsync(definitionId, cancellationToken) > 0
            ? TypedResults.NoContent()
            : ElsaRequests.NotFound($"No workflow definition '{definitionId}'.");

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteVersion(
        string id, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken) =>
        await definitions.DeleteVersionAsync(id, cancellationToken)
            ? TypedResults.NoContent()
            : ElsaRequests.NotFound($"No workflow definition version '{id}'.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Studio saved workflow definition {DefinitionId} version {Version} ({ErrorCount} validation errors)")]
    private static partial void LogSaved(ILogger logger, string definitionId, int version, int errorCount);
}
