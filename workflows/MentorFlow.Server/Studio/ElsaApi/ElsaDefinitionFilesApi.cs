using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Descriptors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MentorFlow.Server.Studio.ElsaApi;

/// <summary>
/// Elsa 3 definition files: export one version (JSON) or several (zip), import one document or uploaded files
/// (JSON or zip; every document is checked before any is imported).
/// </summary>
internal static partial class ElsaDefinitionFilesApi
{
    /// <summary>The most version ids one bulk export takes (the zip is built in memory).</summary>
    public const int MaxExportVersions = 500;

    public static IEndpointRouteBuilder MapElsaDefinitionFilesApi(this IEndpointRouteBuilder api)
    {
        api.MapMethods("/workflow-definitions/{definitionId}/export", ["GET", "POST"], Export);
        api.MapPost("/bulk-actions/export/workflow-definitions", BulkExport);
        api.MapPost("/workflow-definitions/import", Import);
        api.MapPost("/workflow-definitions/import-files", ImportFiles).DisableAntiforgery();
        return api;
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Export(
        string definitionId, HttpRequest request, [FromServices] IWorkflowDefinitionService definitions, [FromServices] IWorkflowDefinitionActivities flows,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ElsaRequests.TryVersionOptions(ElsaRequests.Text(request, "versionOptions"), VersionOptions.Latest, out var options, errors))
        {
            return ElsaRequests.Invalid(errors);
        }

        if (await definitions.FindAsync(definitionId, options!.Value, cancellationToken) is not { } version)
        {
            return ElsaRequests.NotFound($"No version '{options}' of workflow definition '{definitionId}'.");
        }

        var json = (await DefinitionPresenter.ExportAllAsync([version], flows, cancellationToken))[0];
        return TypedResults.File(Encoding.UTF8.GetBytes(json), "application/json", ExportFileName(version));
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> BulkExport(
        ElsaIdsRequest request, [FromServices] IWorkflowDefinitionService definitions, [FromServices] IWorkflowDefinitionActivities flows,
        CancellationToken cancellationToken)
    {
        if (request.Ids is not { Count: > 0 })
        {
            return ElsaRequests.Invalid(new() { ["ids"] = ["At least one version id is required."] });
        }

        if (request.Ids.Count > MaxExportVersions)
        {
            return ElsaRequests.Invalid(new() { ["ids"] = [$"At most {MaxExportVersions} versions can be exported at once; {request.Ids.Count} were asked for."] });
        }

        var versions = new List<WorkflowDefinitionVersion>();
        foreach (var id in request.Ids.Distinct(StringComparer.Ordinal))
        {
            if (await definitions.FindByIdAsync(id, cancellationToken) is { } version)
            {
                versions.Add(version);
            }
        }

        var files = await DefinitionPresenter.ExportAllAsync(versions, flows, cancellationToken);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < versions.Count; i++)
            {
                var entry = zip.CreateEntry(ExportFileName(versions[i]));
                await using var stream = await entry.OpenAsync(cancellationToken);
                await stream.WriteAsync(Encoding.UTF8.GetBytes(files[i]), cancellationToken);
            }
        }

        return TypedResults.File(buffer.ToArray(), "application/zip", "workflow-definitions.zip");
    }

    private static async Task<Results<Created<JsonObject>, Ok<JsonObject>, ValidationProblem>> Import(
        HttpRequest request, [FromServices] IWorkflowDefinitionService definitions, [FromServices] IWorkflowDefinitionActivities flows, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var json = await reader.ReadToEndAsync(cancellationToken);
        var result = await ImportOneAsync(json, definitions, cancellationToken);
        if (result.Error is not null)
        {
            return ElsaRequests.Invalid(new() { ["model"] = [result.Error] });
        }

        var body = await DefinitionPresenter.PresentAsync(result.Saved!.Definition, flows, cancellationToken);
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
}
