namespace MentorFlow.Workflows.Runtime;

public sealed record WorkflowInstanceSummary(
    string Id,
    string DefinitionId,
    string DefinitionVersionId,
    int Version,
    string? Name,
    string? CorrelationId,
    WorkflowStatus Status,
    WorkflowSubStatus SubStatus,
    int IncidentCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt);
