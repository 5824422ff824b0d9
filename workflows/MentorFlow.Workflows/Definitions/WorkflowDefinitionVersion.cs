using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Definitions;

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
