namespace MentorFlow.Workflows.Persistence;

/// <summary>
/// A command waiting for an instance's executor (<c>wf_inbox</c>): resume a bookmark, deliver a signal, cancel,
/// retry. Deleted in the same transaction as the burst that handled it, so each is handled exactly once.
/// </summary>
public sealed class WorkflowInboxRecord
{
    public required string Id { get; set; }
    public required string InstanceId { get; set; }

    /// <summary><c>Resume</c>, <c>Signal</c>, <c>Cancel</c> or <c>Retry</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>The bookmark to resume (unique: one pending resume per bookmark).</summary>
    public string? BookmarkId { get; set; }

    public string? Name { get; set; }
    public string? CorrelationId { get; set; }
    public string? Payload { get; set; }
    public long Sequence { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
