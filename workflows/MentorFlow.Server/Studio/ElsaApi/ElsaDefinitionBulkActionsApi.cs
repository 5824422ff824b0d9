using MentorFlow.Workflows.Definitions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MentorFlow.Server.Studio.ElsaApi;

/// <summary>
/// Elsa 3 bulk actions on workflow definitions (<c>/elsa/api/bulk-actions/{delete,publish,retract}/workflow-definitions/...</c>):
/// each id is handled on its own and the answer lists what happened to each.
/// </summary>
internal static class ElsaDefinitionBulkActionsApi
{
    public static IEndpointRouteBuilder MapElsaDefinitionBulkActionsApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/bulk-actions/delete/workflow-definitions/by-definition-id", BulkDelete);
        api.MapPost("/bulk-actions/delete/workflow-definitions/by-id", BulkDeleteVersions);
        api.MapPost("/bulk-actions/publish/workflow-definitions/by-definition-ids", BulkPublish);
        api.MapPost("/bulk-actions/retract/workflow-definitions/by-definition-ids", BulkRetract);
        return api;
    }

    private static async Task<Results<Ok<ElsaBulkDeleteResponse>, ValidationProblem>> BulkDelete(
        ElsaDefinitionIdsRequest request, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        if (request.DefinitionIds is null)
        {
            return ElsaRequests.Invalid(new() { ["definitionIds"] = ["A list of definition ids is required."] });
        }

        long deleted = 0;
        foreach (var id in request.DefinitionIds.Distinct(StringComparer.Ordinal))
        {
            deleted += await definitions.DeleteAsync(id, cancellationToken) > 0 ? 1 : 0;
        }

        return TypedResults.Ok(new ElsaBulkDeleteResponse(deleted));
    }

    private static async Task<Results<Ok<ElsaBulkDeleteResponse>, ValidationProblem>> BulkDeleteVersions(
        ElsaIdsRequest request, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        if (request.Ids is null)
        {
            return ElsaRequests.Invalid(new() { ["ids"] = ["A list of version ids is required."] });
        }

        long deleted = 0;
        foreach (var id in request.Ids.Distinct(StringComparer.Ordinal))
        {
            deleted += await definitions.DeleteVersionAsync(id, cancellationToken) ? 1 : 0;
        }

        return TypedResults.Ok(new ElsaBulkDeleteResponse(deleted));
    }

    private static async Task<Results<Ok<ElsaBulkPublishResponse>, ValidationProblem>> BulkPublish(
        ElsaDefinitionIdsRequest request, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        if (request.DefinitionIds is null)
        {
            return ElsaRequests.Invalid(new() { ["definitionIds"] = ["A list of definition ids is required."] });
        }

        List<string> published = [], alreadyPublished = [], notFound = [];
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var id in request.DefinitionIds.Distinct(StringComparer.Ordinal))
        {
            if (await definitions.FindAsync(id, VersionOptions.Latest, cancellationToken) is null)
            {
                notFound.Add(id);
                continue;
            }

            var result = await definitions.PublishAsync(id, cancellationToken);
            if (!result.Succeeded)
            {
                foreach (var (key, messages) in ElsaRequests.ToErrors(result.Errors))
                {
                    errors[$"{id}: {key}"] = messages;
                }
            }
            else
            {
                (result.AlreadyPublished ? alreadyPublished : published).Add(id);
            }
        }

        // Elsa answers 200 with the lists; an invalid definition is not published and is reported by name.
        return errors.Count > 0 && published.Count == 0 && alreadyPublished.Count == 0 && notFound.Count == 0
            ? ElsaRequests.Invalid(errors)
            : TypedResults.Ok(new ElsaBulkPublishResponse(published, alreadyPublished, notFound, []));
    }

    private static async Task<Results<Ok<ElsaBulkRetractResponse>, ValidationProblem>> BulkRetract(
        ElsaDefinitionIdsRequest request, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        if (request.DefinitionIds is null)
        {
            return ElsaRequests.Invalid(new() { ["definitionIds"] = ["A list of definition ids is required."] });
        }

        List<string> retracted = [], alreadyRetracted = [], notFound = [];
        foreach (var id in request.DefinitionIds.Distinct(StringComparer.Ordinal))
        {
            if (await definitions.FindAsync(id, VersionOptions.LatestOrPublished, cancellationToken) is null)
            {
                notFound.Add(id);
            }
            else if (await definitions.RetractAsync(id, cancellationToken) is null)
            {
                alreadyRetracted.Add(id);
            }
            else
            {
                retracted.Add(id);
            }
        }

        return TypedResults.Ok(new ElsaBulkRetractResponse(retracted, alreadyRetracted, notFound));
    }
}
