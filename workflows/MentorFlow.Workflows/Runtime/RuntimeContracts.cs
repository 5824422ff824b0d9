using System.Text.Json.Nodes;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Definitions;

namespace MentorFlow.Workflows.Runtime;

/// <summary>Elsa's <c>WorkflowStatus</c>.</summary>
public enum WorkflowStatus
{
    Running,
    Finished,
}

/// <summary>Elsa's <c>WorkflowSubStatus</c>.</summary>
public enum WorkflowSubStatus
{
    Pending,
    Executing,
    Suspended,
    Finished,
    Cancelled,
    Faulted,
}

/// <summary>What <see cref="IWorkflowRuntime.StartAsync"/> returns once the first burst has committed.</summary>
public sealed record WorkflowStartResult(string InstanceId, WorkflowStatus Status, WorkflowSubStatus SubStatus);

/// <summary>Thrown when no definition version matches a start request.</summary>
public sealed class WorkflowDefinitionNotFoundException(string message) : Exception(message);

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

/// <summary>One activity execution (or resume) in an instance's journal.</summary>
public sealed record JournalEntry(
    long Sequence,
    string ActivityId,
    string ActivityType,
    int ActivityTypeVersion,
    string? ActivityName,
    string EventName,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<string> Outcomes,
    string? Message,
    string? Error);

/// <summary>Journal event names (Elsa's execution log event names).</summary>
/// <summary>Workflow input names with a meaning to MentorFlow.</summary>
public static class WorkflowInputKeys
{
    /// <summary>
    /// Set (<c>true</c>) on runs started from the designer: activities with outside effects route them to the
    /// sandbox (e.g. Graph mail and invites go to the embedded Graph sandbox even in Tenant mode).
    /// </summary>
    public const string TestRun = "mentorflowTestRun";
}

public static class JournalEvents
{
    /// <summary>A nested flowchart started (it completes when its activities are done).</summary>
    public const string Started = "Started";

    /// <summary>The activity ran and completed.</summary>
    public const string Completed = "Completed";

    /// <summary>The activity ran and now waits on bookmarks.</summary>
    public const string Suspended = "Suspended";

    /// <summary>The activity was resumed from a bookmark and completed.</summary>
    public const string Resumed = "Resumed";

    public const string Faulted = "Faulted";
    public const string Cancelled = "Canceled";
}

public sealed record WorkflowIncident(
    string Id,
    string ActivityId,
    string ActivityType,
    string Message,
    string? Exception,
    DateTimeOffset Timestamp,
    DateTimeOffset? ResolvedAt);

/// <summary>An instance with its state, journal and incidents.</summary>
public sealed record WorkflowInstanceDetails(
    WorkflowInstanceSummary Summary,
    JsonObject Input,
    JsonObject Output,
    IReadOnlyDictionary<string, JsonNode?> Variables,
    IReadOnlyList<BookmarkInfo> Bookmarks,
    IReadOnlyList<JournalEntry> Journal,
    IReadOnlyList<WorkflowIncident> Incidents);

/// <summary>Filters for <see cref="IWorkflowRuntime.ListInstancesAsync"/>; page is 0-based.</summary>
public sealed record InstanceQuery
{
    public int Page { get; init; }
    public int PageSize { get; init; } = 50;
    public string? DefinitionId { get; init; }
    public string? DefinitionVersionId { get; init; }
    public string? CorrelationId { get; init; }
    public string? SearchTerm { get; init; }
    public IReadOnlyList<WorkflowStatus>? Statuses { get; init; }
    public IReadOnlyList<WorkflowSubStatus>? SubStatuses { get; init; }
    public bool? HasIncidents { get; init; }

    /// <summary>Newest first unless false.</summary>
    public bool Descending { get; init; } = true;
}

/// <summary>
/// Runs workflow instances. Every call is durable: the state after each burst is committed before the call
/// returns, and one instance is run by at most one executor at a time across replicas.
/// </summary>
public interface IWorkflowRuntime
{
    /// <summary>
    /// Starts an instance of a definition (default: its published version) and runs it to its first wait.
    /// Throws <see cref="WorkflowDefinitionNotFoundException"/> when no version matches.
    /// </summary>
    Task<WorkflowStartResult> StartAsync(
        string definitionId,
        IReadOnlyDictionary<string, object?>? input = null,
        string? correlationId = null,
        VersionOptions? versionOptions = null,
        CancellationToken cancellationToken = default);

    /// <summary>Starts a specific version by its version id, e.g. a draft test run from the designer.</summary>
    Task<WorkflowStartResult> StartVersionAsync(
        string definitionVersionId,
        IReadOnlyDictionary<string, object?>? input = null,
        string? correlationId = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Resumes every bookmark named <paramref name="name"/> (restricted to <paramref name="correlationId"/> when
    /// given). Returns how many instances were resumed, or queued for resume because another executor holds them
    /// (they resume as soon as it commits). A signal for a correlated instance that is mid-burst is queued too.
    /// </summary>
    Task<int> SignalAsync(string name, string? correlationId = null, object? payload = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels (terminates) a running or faulted instance at once, without running any activity, even while another
    /// executor is in the middle of a burst (that burst is discarded): its bookmarks, timers and queued commands are
    /// removed and never fire. False when not found or already finished.
    /// </summary>
    Task<bool> CancelAsync(string instanceId, CancellationToken cancellationToken = default);

    Task<WorkflowInstanceDetails?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default);

    Task<PagedResult<WorkflowInstanceSummary>> ListInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default);

    /// <summary>Resolves an open incident and runs the instance again from the faulted activity. False when not found or not open.</summary>
    Task<bool> RetryIncidentAsync(string incidentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an instance in any state with its journal, incidents, bookmarks, timers and queued commands; a burst in
    /// flight for it cannot commit. False when not found.
    /// </summary>
    Task<bool> DeleteInstanceAsync(string instanceId, CancellationToken cancellationToken = default);
}

/// <summary>A committed burst: told to every <see cref="IWorkflowCommitListener"/> after the transaction commits.</summary>
public sealed record WorkflowCommit(
    string InstanceId,
    string DefinitionId,
    WorkflowStatus Status,
    WorkflowSubStatus SubStatus,
    IReadOnlyList<object> EnlistedEntities);

/// <summary>
/// Post-commit hook (e.g. the Graph outbox dispatcher wakes up when a burst enlisted an outbox row). Called after the
/// commit, outside the transaction; an exception is logged and does not affect the instance.
/// </summary>
public interface IWorkflowCommitListener
{
    ValueTask OnCommittedAsync(WorkflowCommit commit, CancellationToken cancellationToken);
}
