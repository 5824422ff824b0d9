namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// Post-commit hook (e.g. the Graph outbox dispatcher wakes up when a burst enlisted an outbox row). Called after the
/// commit, outside the transaction; an exception is logged and does not affect the instance.
/// </summary>
public interface IWorkflowCommitListener
{
    ValueTask OnCommittedAsync(WorkflowCommit commit, CancellationToken cancellationToken);
}
