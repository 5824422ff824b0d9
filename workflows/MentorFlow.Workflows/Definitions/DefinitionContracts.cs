using System.Globalization;
using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Definitions;

/// <summary>Which version(s) of a definition a query wants (Elsa's <c>VersionOptions</c>).</summary>
public readonly record struct VersionOptions
{
    private VersionOptions(string kind, int? version)
    {
        Kind = kind;
        Version = version;
    }

    public string Kind { get; }
    public int? Version { get; }

    /// <summary>The latest version, draft or published.</summary>
    public static VersionOptions Latest { get; } = new("Latest", null);

    /// <summary>The published version.</summary>
    public static VersionOptions Published { get; } = new("Published", null);

    /// <summary>The published version if there is one, else the latest.</summary>
    public static VersionOptions LatestOrPublished { get; } = new("LatestOrPublished", null);

    /// <summary>The latest version and the published version (lists only).</summary>
    public static VersionOptions LatestAndPublished { get; } = new("LatestAndPublished", null);

    /// <summary>The latest version when it is a draft (unpublished).</summary>
    public static VersionOptions Draft { get; } = new("Draft", null);

    /// <summary>Every version (lists only).</summary>
    public static VersionOptions AllVersions { get; } = new("AllVersions", null);

    public static VersionOptions SpecificVersion(int version) => new("SpecificVersion", version);

    /// <summary>Parses Elsa's wire form: a name (case-insensitive) or a version number.</summary>
    public static bool TryParse(string? text, out VersionOptions options)
    {
        options = Latest;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
        {
            options = SpecificVersion(version);
            return true;
        }

        foreach (var candidate in new[] { Latest, Published, LatestOrPublished, LatestAndPublished, Draft, AllVersions })
        {
            if (string.Equals(candidate.Kind, text.Trim(), StringComparison.OrdinalIgnoreCase)
                || (text.Trim().Equals("All", StringComparison.OrdinalIgnoreCase) && candidate.Kind == "AllVersions"))
            {
                options = candidate;
                return true;
            }
        }

        return false;
    }

    public override string ToString() => Version is { } v ? v.ToString(CultureInfo.InvariantCulture) : Kind;
}

/// <summary>One validation finding: the activity and input it is about (null when about the whole definition).</summary>
public sealed record ValidationError(string? ActivityId, string? Input, string Message)
{
    public override string ToString() =>
        ActivityId is null ? Message : Input is null ? $"{ActivityId}: {Message}" : $"{ActivityId}.{Input}: {Message}";
}

/// <summary>One stored version of a definition. <see cref="Model"/> is the Elsa 3 <c>WorkflowDefinitionModel</c> JSON
/// exactly as saved (designer metadata and unknown properties kept), with id/version/flags filled in.</summary>
public sealed record WorkflowDefinitionVersion(
    string Id,
    string DefinitionId,
    string? Name,
    string? Description,
    int Version,
    bool IsLatest,
    bool IsPublished,
    DateTimeOffset CreatedAt,
    JsonObject Model,
    IReadOnlyList<ValidationError> ValidationErrors);

/// <summary>A definition version without its JSON, for lists (Elsa's <c>WorkflowDefinitionSummary</c>).</summary>
public sealed record WorkflowDefinitionSummary(
    string Id,
    string DefinitionId,
    string? Name,
    string? Description,
    int Version,
    bool IsLatest,
    bool IsPublished,
    DateTimeOffset CreatedAt);

public enum DefinitionOrderBy
{
    Name,
    Created,
    Version,
}

/// <summary>A page of results (pages are 0-based like Elsa's API).</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, long TotalCount);

/// <summary>Filters for <see cref="IWorkflowDefinitionService.ListAsync"/>. Null page or size = unpaged.</summary>
public sealed record DefinitionQuery
{
    public VersionOptions? VersionOptions { get; init; }
    public int? Page { get; init; }
    public int? PageSize { get; init; }
    public string? SearchTerm { get; init; }
    public IReadOnlyList<string>? DefinitionIds { get; init; }
    public IReadOnlyList<string>? Ids { get; init; }
    public bool? IsPublished { get; init; }
    public DefinitionOrderBy OrderBy { get; init; } = DefinitionOrderBy.Name;
    public bool? Descending { get; init; }
}

/// <summary>Result of saving a draft: the stored draft and its validation errors (a draft is kept even if invalid).</summary>
public sealed record SaveDraftResult(WorkflowDefinitionVersion Definition, IReadOnlyList<ValidationError> Errors, bool Created);

/// <summary>Result of publishing. When <see cref="Succeeded"/> is false nothing changed and <see cref="Errors"/> lists every problem.</summary>
public sealed record PublishResult(
    bool Succeeded,
    WorkflowDefinitionVersion? Definition,
    bool AlreadyPublished,
    IReadOnlyList<ValidationError> Errors);

/// <summary>Thrown for definition JSON that cannot be read at all (not JSON, no root, an unconvertible old shape).</summary>
public sealed class WorkflowDefinitionFormatException(string message) : Exception(message);

/// <summary>
/// Definitions in the Elsa 3 JSON format, versioned draft → published. Every method takes and returns the Elsa 3
/// <c>WorkflowDefinitionModel</c> JSON; designer metadata and unknown properties are stored untouched.
/// </summary>
public interface IWorkflowDefinitionService
{
    /// <summary>
    /// Saves a draft from a model (an empty or missing <c>definitionId</c> creates a new definition). When the latest
    /// version is published a new draft version is created, else the draft is updated. The draft is stored even
    /// when invalid; the errors are returned.
    /// </summary>
    Task<SaveDraftResult> SaveDraftAsync(JsonObject model, CancellationToken cancellationToken = default);

    /// <summary>Reads Elsa 3.x JSON (a UTF-8 BOM, 3.0-preview shapes, booleans as "True" accepted) and saves it as a draft.</summary>
    Task<SaveDraftResult> ImportAsync(string json, CancellationToken cancellationToken = default);

    /// <summary>Publishes the latest version; refused (with every error) when it is invalid.</summary>
    Task<PublishResult> PublishAsync(string definitionId, CancellationToken cancellationToken = default);

    /// <summary>Unpublishes the published version; null when there is none.</summary>
    Task<WorkflowDefinitionVersion?> RetractAsync(string definitionId, CancellationToken cancellationToken = default);

    /// <summary>Creates a new latest draft copied from <paramref name="version"/>; null when that version does not exist.</summary>
    Task<WorkflowDefinitionVersion?> RevertAsync(string definitionId, int version, CancellationToken cancellationToken = default);

    /// <summary>Deletes every version of a definition; returns how many versions were deleted. Running instances keep running.</summary>
    Task<int> DeleteAsync(string definitionId, CancellationToken cancellationToken = default);

    /// <summary>Deletes one version by its version id.</summary>
    Task<bool> DeleteVersionAsync(string id, CancellationToken cancellationToken = default);

    Task<WorkflowDefinitionVersion?> FindAsync(string definitionId, VersionOptions versionOptions, CancellationToken cancellationToken = default);

    /// <summary>Finds one version by its version id (what an instance's <c>definitionVersionId</c> names).</summary>
    Task<WorkflowDefinitionVersion?> FindByIdAsync(string id, CancellationToken cancellationToken = default);

    Task<PagedResult<WorkflowDefinitionSummary>> ListAsync(DefinitionQuery query, CancellationToken cancellationToken = default);

    Task<bool> IsNameUniqueAsync(string name, string? definitionId = null, CancellationToken cancellationToken = default);

    /// <summary>The version's model JSON, indented; null when not found.</summary>
    Task<string?> ExportAsync(string definitionId, VersionOptions versionOptions, CancellationToken cancellationToken = default);

    /// <summary>Validates a model without storing it.</summary>
    IReadOnlyList<ValidationError> Validate(JsonObject model);
}
