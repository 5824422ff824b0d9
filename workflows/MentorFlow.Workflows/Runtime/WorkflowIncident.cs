namespace MentorFlow.Workflows.Runtime;

public sealed record WorkflowIncident(
    string Id,
    string ActivityId,
    string ActivityType,
    string Message,
    string? Exception,
    DateTimeOffset Timestamp,
    DateTimeOffset? ResolvedAt);
