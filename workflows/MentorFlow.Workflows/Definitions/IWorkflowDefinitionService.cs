using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Definitions;

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

    /// <summary>
    /// The version's stored model JSON, indented; null when not found. The nodes using other flows carry the upgrade hints
    /// (<c>latestAvailablePublishedVersion</c>) as stored; the Elsa API's export fills them in from the flows' published versions.
    /// </summary>
    Task<string?> ExportAsync(string definitionId, VersionOptions versionOptions, CancellationToken cancellationToken = default);

    /// <summary>Validates a model without storing it.</summary>
    IReadOnlyList<ValidationError> Validate(JsonObject model);
}
