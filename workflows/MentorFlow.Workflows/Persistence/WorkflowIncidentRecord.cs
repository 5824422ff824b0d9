namespace MentorFlow.Workflows.Persistence;

/// <summary>A fault of an activity (<c>wf_incidents</c>); retry resolves it and re-runs the activity.</summary>
public sealed class WorkflowIncidentRecord
{
    public required string Id { get; set; }
    public required string InstanceId { get; set; }
    public required string ActivityId { get; set; }
    public required string ActivityType { get; set; }
    public required string Message { get; set; }
    public string? Exception { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
}
