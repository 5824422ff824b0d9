using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MentorFlow.Server.Studio.ElsaApi;

/// <summary>
/// Elsa 3 workflow-definition endpoints (<c>/elsa/api/workflow-definitions/...</c>) on top of
/// <see cref="IWorkflowDefinitionService"/> and, for test runs from the designer, <see cref="IWorkflowRuntime"/>.
/// </summary>
internal static partial class ElsaDefinitionsApi
{
    public static RouteGroupBuilder MapElsaDefinitions(this RouteGroupBuilder api)
    {
        api.MapGet("/workflow-definitions", List);
        api.MapGet("/workflow-definitions/by-definition-id/{definitionId}", Get);
        api.MapGet("/workflow-definitions/{definitionId}", Get);
        api.MapGet("/workflow-definitions/by-id/{id}", GetById);
        api.MapGet("/workflow-definitions/many-by-id", GetManyById);
        api.MapGet("/workflow-definitions/subgraph/{id}", GetSubgraph);
        api.MapGet("/workflow-definitions/validation/is-name-unique", IsNameUnique);
        api.MapGet("/workflow-definitions/query/count", Count);
        api.MapGet("/workflow-definitions/{definitionId}/consumers", (string definitionId) =>
            TypedResults.Ok(new ElsaConsumersResponse([])));
        api.MapPost("/workflow-definitions", Save);
        api.MapPost("/workflow-definitions/{definitionId}/publish", Publish);
        api.MapPost("/workflow-definitions/{definitionId}/retract", Retract);
        api.MapPost("/workflow-definitions/{definitionId}/revert/{version:int}", Revert);
        api.MapDelete("/workflow-definitions/{definitionId}", Delete);
        api.MapDelete("/workflow-definition-versions/{id}", DeleteVersion);
        api.MapPost("/bulk-actions/delete/workflow-definitions/by-definition-id", BulkDelete);
        api.MapPost("/bulk-actions/delete/workflow-definitions/by-id", BulkDeleteVersions);
        api.MapPost("/bulk-actions/publish/workflow-definitions/by-definition-ids", BulkPublish);
        api.MapPost("/bulk-actions/retract/workflow-definitions/by-definition-ids", BulkRetract);
        api.MapMethods("/workflow-definitions/{definitionId}/export", ["GET", "POST"], Export);
        api.MapPost("/bulk-actions/export/workflow-definitions", BulkExport);
        api.MapPost("/workflow-definitions/import", Import);
        api.MapPost("/workflow-definitions/import-files", ImportFiles).DisableAntiforgery();
        api.MapPost("/workflow-definitions/{definitionId}/execute", Execute);
        api.MapPost("/workflow-definitions/{definitionId}/dispatch", Dispatch);
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
        string definitionId, HttpRequest request, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ElsaRequests.TryVersionOptions(ElsaRequests.Text(request, "versionOptions"), VersionOptions.Latest, out var options, errors))
        {
            return ElsaRequests.Invalid(errors);
        }

        var version = await definitions.FindAsync(definitionId, options!.Value, cancellationToken);
        return version is null
            ? ElsaRequests.NotFound($"No version '{options}' of workflow definition '{definitionId}'.")
            : TypedResults.Ok(DefinitionPresenter.Present(version));
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetById(
        string id, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var version = await definitions.FindByIdAsync(id, cancellationToken);
        return version is null
            ? ElsaRequests.NotFound($"No workflow definition version '{id}'.")
            : TypedResults.Ok(DefinitionPresenter.Present(version));
    }

    /// <summary>
    /// One activity of a definition version with everything below it, as <c>{ nodeId, port, activity }</c> (the designer
    /// asks for it when it opens a container it does not hold yet); an unknown <c>parentNodeId</c> gives the root.
    /// </summary>
    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetSubgraph(
        string id, string? parentNodeId, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var version = await definitions.FindByIdAsync(id, cancellationToken);
        if (version?.Model["root"] is not JsonObject stored)
        {
            return ElsaRequests.NotFound($"No workflow definition version '{id}'.");
        }

        var root = (JsonObject)stored.DeepClone();
        ElsaNodeIds.AssignMissing(root);
        var node = (parentNodeId is null ? null : ElsaNodeIds.Find(root, parentNodeId)) ?? root;
        return TypedResults.Ok(new JsonObject
        {
            ["nodeId"] = node["nodeId"]?.DeepClone(),
            ["port"] = null,
            ["activity"] = node.DeepClone(),
        });
    }

    private static async Task<Ok<ElsaListResponse<JsonObject>>> GetManyById(
        HttpRequest request, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        foreach (var id in ElsaRequests.List(request, "ids") ?? [])
        {
            if (await definitions.FindByIdAsync(id, cancellationToken) is { } version)
            {
                items.Add(DefinitionPresenter.Present(version));
            }
        }

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
        ElsaSaveWorkflowDefinitionRequest request, [FromServices] IWorkflowDefinitionService definitions, ILoggerFactory loggers, CancellationToken cancellationToken)
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
                DefinitionPresenter.Present(saved.Definition), false, 0, saved.Errors.Select(error => error.ToString()).ToList()));
        }

        var published = await definitions.PublishAsync(saved.Definition.DefinitionId, cancellationToken);
        if (!published.Succeeded || published.Definition is null)
        {
            return ElsaRequests.Invalid(ElsaRequests.ToErrors(published.Errors));
        }

        return TypedResults.Ok(new ElsaSaveWorkflowDefinitionResponse(DefinitionPresenter.Present(published.Definition), false, 0, []));
    }

    private static async Task<Results<Ok<ElsaSaveWorkflowDefinitionResponse>, ValidationProblem, ProblemHttpResult>> Publish(
        string definitionId, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
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
            DefinitionPresenter.Present(result.Definition), result.AlreadyPublished, 0, []));
    }

    private static async Task<Results<Ok<JsonObject>, ValidationProblem, ProblemHttpResult>> Retract(
        string definitionId, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        if (await definitions.FindAsync(definitionId, VersionOptions.LatestOrPublished, cancellationToken) is null)
        {
            return ElsaRequests.NotFound($"No workflow definition '{definitionId}'.");
        }

        var retracted = await definitions.RetractAsync(definitionId, cancellationToken);
        return retracted is null
            ? ElsaRequests.Invalid(new() { ["definitionId"] = [$"Workflow definition '{definitionId}' has no published version to retract."] })
            : TypedResults.Ok(DefinitionPresenter.Present(retracted));
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

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Export(
        string definitionId, HttpRequest request, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ElsaRequests.TryVersionOptions(ElsaRequests.Text(request, "versionOptions"), VersionOptions.Latest, out var options, errors))
        {
            return ElsaRequests.Invalid(errors);
        }

        var version = await definitions.FindAsync(definitionId, options!.Value, cancellationToken);
        var json = version is null ? null : await definitions.ExportAsync(definitionId, options.Value, cancellationToken);
        if (version is null || json is null)
        {
            return ElsaRequests.NotFound($"No version '{options}' of workflow definition '{definitionId}'.");
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(json), "application/json", ExportFileName(version));
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> BulkExport(
        ElsaIdsRequest request, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        if (request.Ids is not { Count: > 0 })
        {
            return ElsaRequests.Invalid(new() { ["ids"] = ["At least one version id is required."] });
        }

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var id in request.Ids.Distinct(StringComparer.Ordinal))
            {
                if (await definitions.FindByIdAsync(id, cancellationToken) is not { } version
                    || await definitions.ExportAsync(version.DefinitionId, VersionOptions.SpecificVersion(version.Version), cancellationToken) is not { } json)
                {
                    continue;
                }

                var entry = zip.CreateEntry(ExportFileName(version));
                await using var stream = await entry.OpenAsync(cancellationToken);
                await stream.WriteAsync(Encoding.UTF8.GetBytes(json), cancellationToken);
            }
        }

        return TypedResults.File(buffer.ToArray(), "application/zip", "workflow-definitions.zip");
    }

    private static async Task<Results<Created<JsonObject>, Ok<JsonObject>, ValidationProblem>> Import(
        HttpRequest request, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var json = await reader.ReadToEndAsync(cancellationToken);
        var result = await ImportOneAsync(json, definitions, cancellationToken);
        if (result.Error is not null)
        {
            return ElsaRequests.Invalid(new() { ["model"] = [result.Error] });
        }

        var body = DefinitionPresenter.Present(result.Saved!.Definition);
        return result.Saved.Created
            ? TypedResults.Created($"{DefinitionPresenter.ApiBase}/workflow-definitions/by-id/{Uri.EscapeDataString(result.Saved.Definition.Id)}", body)
            : TypedResults.Ok(body);
    }

    private static async Task<Results<Ok<ElsaImportFilesResponse>, ValidationProblem>> ImportFiles(
        HttpRequest request, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return ElsaRequests.Invalid(new() { ["files"] = ["Send the files as multipart/form-data in a part named 'files'."] });
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var files = form.Files.GetFiles("files");
        if (files.Count == 0)
        {
            return ElsaRequests.Invalid(new() { ["files"] = ["No file was sent in the part named 'files'."] });
        }

        // Read and check every document first, so a bad file imports nothing.
        var documents = new List<(string Name, string Json)>();
        foreach (var file in files)
        {
            await using var stream = file.OpenReadStream();
            if (file.FileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
                foreach (var entry in zip.Entries.Where(entry => entry.FullName.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
                {
                    await using var entryStream = await entry.OpenAsync(cancellationToken);
                    using var entryReader = new StreamReader(entryStream, Encoding.UTF8);
                    documents.Add(($"{file.FileName}/{entry.FullName}", await entryReader.ReadToEndAsync(cancellationToken)));
                }
            }
            else
            {
                using var reader = new StreamReader(stream, Encoding.UTF8);
                documents.Add((file.FileName, await reader.ReadToEndAsync(cancellationToken)));
            }
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (name, json) in documents)
        {
            if (ParseModel(json) is { Error: { } error })
            {
                errors[$"files[{name}]"] = [error];
            }
        }

        if (errors.Count > 0)
        {
            return ElsaRequests.Invalid(errors);
        }

        var count = 0;
        foreach (var (name, json) in documents)
        {
            var result = await ImportOneAsync(json, definitions, cancellationToken);
            if (result.Error is not null)
            {
                errors[$"files[{name}]"] = [result.Error];
            }
            else
            {
                count++;
            }
        }

        return errors.Count > 0 ? ElsaRequests.Invalid(errors) : TypedResults.Ok(new ElsaImportFilesResponse(count));
    }

    private static async Task<IResult> Execute(
        string definitionId,
        HttpContext http,
        [FromServices] IWorkflowDefinitionService definitions,
        [FromServices] IWorkflowRuntime runtime,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        ElsaExecuteRequest? body = null;
        if (http.Request.ContentType?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            body = await http.Request.ReadFromJsonAsync<ElsaExecuteRequest>(cancellationToken);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ElsaRequests.TryVersionOptions(body?.VersionOptions, VersionOptions.Published, out var options, errors))
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
        ElsaExecuteRequest? body = null;
        if (request.ContentType?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            body = await request.ReadFromJsonAsync<ElsaExecuteRequest>(cancellationToken);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ElsaRequests.TryVersionOptions(body?.VersionOptions, VersionOptions.Published, out var options, errors))
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

    private sealed record ImportResult(SaveDraftResult? Saved, string? Error);

    private static async Task<ImportResult> ImportOneAsync(string json, [FromServices] IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        if (ParseModel(json) is { Error: { } error })
        {
            return new(null, error);
        }

        try
        {
            return new(await definitions.ImportAsync(json, cancellationToken), null);
        }
        catch (WorkflowDefinitionFormatException exception)
        {
            return new(null, exception.Message);
        }
    }

    private static (JsonObject? Model, string? Error) ParseModel(string json)
    {
        try
        {
            return JsonNode.Parse(json.TrimStart('\uFEFF')) is JsonObject model
                ? (model, null)
                : (null, "The document is not a JSON object.");
        }
        catch (JsonException exception)
        {
            return (null, $"The document is not valid JSON: {exception.Message.Split('\n', 2)[0]}");
        }
    }

    private static string ExportFileName(WorkflowDefinitionVersion version)
    {
        var slug = Slug().Replace((version.Name ?? "workflow").ToLowerInvariant(), "-").Trim('-');
        return $"workflow-definition-{(slug.Length == 0 ? "workflow" : slug)}-{version.DefinitionId}-{version.Id}.json";
    }

    [GeneratedRegex("[^a-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex Slug();

    [LoggerMessage(Level = LogLevel.Information, Message = "Studio saved workflow definition {DefinitionId} version {Version} ({ErrorCount} validation errors)")]
    private static partial void LogSaved(ILogger logger, string definitionId, int version, int errorCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Studio test run of {DefinitionId} version {Version}: instance {InstanceId} is {SubStatus}")]
    private static partial void LogTestRun(ILogger logger, string definitionId, int version, string instanceId, WorkflowSubStatus subStatus);
}
