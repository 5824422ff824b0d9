namespace MentorFlow.Workflows.Definitions;

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
