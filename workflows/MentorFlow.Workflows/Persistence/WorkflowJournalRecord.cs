namespace MentorFlow.Workflows.Persistence;

/// <summary>One activity execution (<c>wf_journal</c>).</summary>
public sealed class WorkflowJournalRecord
{
    public required string Id { get; set; }
    public required string InstanceId { get; set; }
    public long Sequence { get; set; }
    public required string ActivityId { get; set; }
    public required string ActivityType { get; set; }
    public int ActivityTypeVersion { get; set; }
    public string? ActivityName { get; set; }
    public required string EventName { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? Outcomes { get; set; }
    public string? Message { get; set; }
    public string? Error { get; set; }
}
