using MentorFlow.Workflows.Definitions;

namespace MentorFlow.Workflows.Runtime;

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
