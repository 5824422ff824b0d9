using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// Starts and signals written inside the caller's own unit of work: the new instance row or the inbox rows are added
/// to the caller's <see cref="DbContext"/> (of the engine's model) and are saved and committed with the caller's own
/// changes, or not at all. After the commit, <see cref="RunAsync"/> runs them at once; if that fails or the process
/// stops first, recovery (<c>Workflows:SweepInterval</c>) runs them, since the rows are committed. Nothing is saved by
/// these methods.
/// </summary>
public interface IWorkflowEnlistment
{
    /// <summary>
    /// Adds a new instance of the published version of <paramref name="definitionId"/>, pending its first burst.
    /// Throws <see cref="WorkflowDefinitionNotFoundException"/> when there is no published version (e.g. it was
    /// retracted) and <see cref="WorkflowStateTooLargeException"/> when the input is over <c>Workflows:MaxStateBytes</c>;
    /// in both cases nothing is added.
    /// </summary>
    Task<EnlistedWorkflowWork> StartAsync(
        DbContext db,
        string definitionId,
        IReadOnlyDictionary<string, object?>? input = null,
        string? correlationId = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the inbox rows that resume every bookmark named <paramref name="name"/> (restricted to
    /// <paramref name="correlationId"/> when given), as <see cref="IWorkflowRuntime.SignalAsync"/> would: a bookmark
    /// already queued for resumption is not queued twice; a correlated instance that is mid-burst gets the signal queued.
    /// </summary>
    Task<EnlistedWorkflowWork> SignalAsync(
        DbContext db,
        string name,
        string? correlationId = null,
        object? payload = null,
        CancellationToken cancellationToken = default);

    /// <summary>After the caller's commit: runs the instances now. Throws when an instance could not be run (it stays queued for recovery).</summary>
    Task RunAsync(EnlistedWorkflowWork work, CancellationToken cancellationToken = default);
}
