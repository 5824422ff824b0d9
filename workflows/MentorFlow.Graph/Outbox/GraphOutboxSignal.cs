using MentorFlow.Workflows.Runtime;

namespace MentorFlow.Graph.Outbox;

/// <summary>
/// Wakes the dispatcher as soon as a workflow burst that queued Graph messages has committed, instead of waiting
/// for the next poll.
/// </summary>
public sealed class GraphOutboxSignal : IWorkflowCommitListener
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public ValueTask OnCommittedAsync(WorkflowCommit commit, CancellationToken cancellationToken)
    {
        if (commit.EnlistedEntities.Any(e => e is GraphOutboxMessage))
        {
            Notify();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Something was queued (also for callers outside workflows).</summary>
    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>Waits for a signal or the timeout, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken) =>
        Task.WhenAny(_signal.WaitAsync(cancellationToken), Task.Delay(timeout, clock, cancellationToken));
}
