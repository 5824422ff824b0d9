namespace MentorFlow.Workflows.Persistence;

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
