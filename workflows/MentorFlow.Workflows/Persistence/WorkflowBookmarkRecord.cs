namespace MentorFlow.Workflows.Persistence;

/// <summary>A wait (<c>wf_bookmarks</c>): a signal name + correlation id, and/or a due time for timers.</summary>
public sealed class WorkflowBookmarkRecord
{
    public required string Id { get; set; }
    public required string InstanceId { get; set; }
    public required string ActivityId { get; set; }
    public required string Name { get; set; }
    public string? CorrelationId { get; set; }

    /// <summary>Due time in unix milliseconds for timers (null for signal-only bookmarks).</summary>
    public long? DueAt { get; set; }

    public string? Payload { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
