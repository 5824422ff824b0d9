namespace MentorFlow.Workflows.Persistence;

/// <summary>One version of a definition (<c>wf_definitions</c>).</summary>
public sealed class WorkflowDefinitionRecord
{
    public required string Id { get; set; }
    public required string DefinitionId { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public int Version { get; set; }
    public bool IsLatest { get; set; }
    public bool IsPublished { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The Elsa 3 model JSON as saved.</summary>
    public required string Json { get; set; }

    /// <summary>Validation errors at save time, as JSON (empty array when valid).</summary>
    public string ValidationErrors { get; set; } = "[]";
}

/// <summary>A workflow instance (<c>wf_instances</c>) with its serialized state and executor lease.</summary>
public sealed class WorkflowInstanceRecord
{
    public required string Id { get; set; }
    public required string DefinitionId { get; set; }
    public required string DefinitionVersionId { get; set; }
    public int Version { get; set; }
    public string? Name { get; set; }
    public string? CorrelationId { get; set; }
    public string Status { get; set; } = "Running";
    public string SubStatus { get; set; } = "Pending";
    public int IncidentCount { get; set; }

    /// <summary>True while scheduled work exists that no committed burst has run yet (recovery looks for it).</summary>
    public bool HasPendingWork { get; set; }

    /// <summary>Replica that currently runs the instance (null = free).</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>Lease expiry in unix milliseconds (an expired lease may be taken over).</summary>
    public long LeaseExpiresAt { get; set; }

    /// <summary>
    /// Bursts started (claims) since the last commit: counted by the claim itself, reset by each commit, so a burst
    /// that keeps failing or crashing the process is seen after a restart too (poison instances end as incidents).
    /// </summary>
    public int BurstAttempts { get; set; }

    public required string State { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

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
