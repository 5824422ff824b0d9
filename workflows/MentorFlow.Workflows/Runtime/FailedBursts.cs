using System.Globalization;
using System.Text.Json;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// What happens to a burst that failed (nothing of it committed): a state that cannot be stored faults the instance at
/// once, any other failure is retried with a doubling back-off until <see cref="WorkflowEngineOptions.MaxBurstFailures"/>,
/// then the instance faults with an incident naming the cause. A poison instance ends; it never loops.
/// </summary>
internal sealed partial class FailedBursts<TContext>(
    IServiceScopeFactory scopeFactory,
    InstanceLeases<TContext> leases,
    InstanceLoader<TContext> loader,
    BurstCommitter<TContext> commits,
    ExpressionEvaluator expressions,
    TimeProvider clock,
    IOptions<WorkflowEngineOptions> options,
    ILogger<FailedBursts<TContext>> logger)
    where TContext : DbContext
{
    /// <summary>
    /// A failed burst (nothing of it was committed). A state that cannot be stored (over
    /// <see cref="WorkflowEngineOptions.MaxStateBytes"/>, not serializable) faults the instance at once: running it again
    /// would fail the same way. Any other failure is retried with an exponential back-off (the lease is released with
    /// its expiry set to the next attempt, so recovery waits for it) until <see cref="WorkflowEngineOptions.MaxBurstFailures"/>
    /// attempts failed, then the instance faults. True when the lease was released.
    /// </summary>
    public async Task<bool> HandleAsync(HeldInstance held, string token, Exception cause, ActivityNode? node, string? from, CancellationToken cancellationToken)
    {
        var attempts = Math.Max(1, held.Attempts);
        var max = options.Value.MaxBurstFailures;
        var activity = node?.Id ?? from;
        if (cause is WorkflowStateTooLargeException)
        {
            LogStateTooLarge(logger, held.Record.Id, activity);
            return await FaultAsync(held, token, node, from, cause.Message, cause, cancellationToken);
        }

        if (cause is JsonException or NotSupportedException or InsufficientExecutionStackException or OutOfMemoryException)
        {
            var unstorable = $"The instance state after activity '{activity}' could not be stored ({cause.GetType().Name}: {cause.Message}). Keep variables and outputs to plain values, or retry the incident after fixing the flow.";
            return await FaultAsync(held, token, node, from, unstorable, cause, cancellationToken);
        }

        if (attempts >= max)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"The burst{(activity is null ? "" : $" at activity '{activity}'")} failed {attempts} times in a row and is not retried again (setting Workflows:MaxBurstFailures = {max}); last error: {cause.GetType().Name}. Retry the incident after fixing the cause; the details are in the incident's exception.");
            return await FaultAsync(held, token, node, from, message, cause, cancellationToken);
        }

        var delay = RetryDelay(attempts);
        LogBurstFailed(logger, cause, held.Record.Id, attempts, max, delay);
        var retryAt = clock.NowMs() + (long)delay.TotalMilliseconds;
        await leases.ReleaseUntilAsync(held.Record.Id, token, retryAt, attempts, cancellationToken);
        return true;
    }

    /// <summary>The wait before the next attempt after <paramref name="failures"/> failed ones: doubling, capped.</summary>
    private TimeSpan RetryDelay(int failures)
    {
        var first = options.Value.BurstRetryDelay;
        var cap = options.Value.BurstRetryMaxDelay;
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        return first.TotalMilliseconds * factor >= cap.TotalMilliseconds ? cap : TimeSpan.FromMilliseconds(first.TotalMilliseconds * factor);
    }

    /// <summary>
    /// Faults the instance from its last committed state (the failed burst is dropped): an incident naming the cause
    /// and a Faulted journal entry; retrying the incident runs the pending work again. True when the lease was released.
    /// </summary>
    public async Task<bool> FaultAsync(HeldInstance held, string token, ActivityNode? node, string? from, string message, Exception? cause, CancellationToken cancellationToken)
    {
        var instanceId = held.Record.Id;
        var committed = await loader.LoadLeasedAsync(instanceId, token, cancellationToken);
        if (committed is null)
        {
            return true;
        }

        if (held.Flowchart is null)
        {
            return await leases.ReleaseAsync(instanceId, token, checkInbox: false, cancellationToken);
        }

        held.State = committed.State;
        held.Status = committed.Status;
        held.SubStatus = committed.SubStatus;
        var state = held.State;
        var activityId = node?.Id ?? from ?? held.Flowchart.StartActivity?.Id ?? "workflow";
        var activityNode = node ?? held.Flowchart.Activities.GetValueOrDefault(activityId) ?? new ActivityNode(activityId, "?", 1, null, []);
        var scope = scopeFactory.CreateAsyncScope();
        var burst = new BurstContext(instanceId, held.Flowchart, state, scope.ServiceProvider, clock, expressions, cancellationToken);
        var now = clock.GetUtcNow();
        var incident = new WorkflowIncidentDraft(burst.NewId(), activityNode.Id, activityNode.Type, message, cause?.ToString(), now);
        burst.Incidents.Add(incident);
        state.Fault = new FaultState { ActivityId = activityNode.Id, Message = message, IncidentId = incident.Id };
        burst.Journal.Add(new WorkflowJournalEntryDraft(++state.JournalSequence, activityNode, JournalEvents.Faulted, now, now, [], null, message));
        await using var ran = new RanBurst
        {
            Held = held,
            Token = token,
            CommandId = null,
            ResolvedIncident = null,
            Scope = scope,
            Burst = burst,
            Status = WorkflowStatus.Finished,
            SubStatus = WorkflowSubStatus.Faulted,
            Json = state.Serialize(),
            Now = now,
        };
        await commits.CommitAsync([ran], cancellationToken);
        await commits.CompleteAsync(ran, cancellationToken);
        held.Attempts = 0;
        LogPoisonFaulted(logger, instanceId, activityNode.Id);
        return ran.Released;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A burst of workflow instance {InstanceId} failed (attempt {Attempt} of {Max}); it is retried in {Delay}")]
    private static partial void LogBurstFailed(ILogger logger, Exception exception, string instanceId, int attempt, int max, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Workflow instance {InstanceId} faulted: a burst at activity {ActivityId} could not be run or stored")]
    private static partial void LogPoisonFaulted(ILogger logger, string instanceId, string activityId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The state of workflow instance {InstanceId} after activity {ActivityId} is over Workflows:MaxStateBytes; the instance faults")]
    private static partial void LogStateTooLarge(ILogger logger, string instanceId, string? activityId);
}
