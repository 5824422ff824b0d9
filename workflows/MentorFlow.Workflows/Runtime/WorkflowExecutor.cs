using System.Globalization;
using System.Text.Json;
using MentorFlow.Workflows.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// Runs instances: with an instance's lease held, runs its pending work and then each queued command as bursts (the
/// activities run by <see cref="BurstRunner"/>), commits each burst, and releases the lease when nothing is left.
/// A burst that fails goes to <see cref="FailedBursts{TContext}"/>.
/// </summary>
internal sealed partial class WorkflowExecutor<TContext>(
    IServiceScopeFactory scopeFactory,
    InstanceLeases<TContext> leases,
    InstanceLoader<TContext> loader,
    WorkflowInbox<TContext> inbox,
    BurstCommitter<TContext> commits,
    FailedBursts<TContext> failures,
    BurstRunner runner,
    ExpressionEvaluator expressions,
    TimeProvider clock,
    IOptions<WorkflowEngineOptions> options,
    ILogger<WorkflowExecutor<TContext>> logger)
    where TContext : DbContext
{
    /// <summary>Claims the instance and drains it; false when another executor holds it.</summary>
    public async Task<bool> TryDrainAsync(string instanceId, CancellationToken cancellationToken)
    {
        var token = clock.NewId();
        if (!await leases.TryClaimAsync(instanceId, token, cancellationToken))
        {
            return false;
        }

        await DrainHeldAsync(instanceId, token, cancellationToken);
        return true;
    }

    /// <summary>
    /// With the lease held: run pending work, then each queued command, until nothing is left; then release the lease
    /// (only when no command is queued, checked in the same statement). State stays in memory between bursts.
    /// </summary>
    public async Task<(WorkflowStatus Status, WorkflowSubStatus SubStatus)> DrainHeldAsync(string instanceId, string token, CancellationToken cancellationToken, HeldInstance? held = null)
    {
        await using var lease = leases.Renew([instanceId], token, cancellationToken);
        try
        {
            held ??= await loader.LoadAsync(instanceId, cancellationToken);
            if (held is null)
            {
                return (WorkflowStatus.Finished, WorkflowSubStatus.Finished);
            }

            while (true)
            {
                var state = held.State;
                var faulted = held.SubStatus == WorkflowSubStatus.Faulted;
                var ended = held.Status == WorkflowStatus.Finished && !faulted;
                if (ended || held.Flowchart is null)
                {
                    await inbox.DeleteAllAsync(instanceId, cancellationToken);
                    if (await leases.ReleaseAsync(instanceId, token, checkInbox: false, cancellationToken))
                    {
                        return (held.Status, held.SubStatus);
                    }

                    continue;
                }

                if (held.Attempts > options.Value.MaxBurstFailures && state.Fault is null && !faulted)
                {
                    // Claimed again and again without a commit: the process stopped during this burst each time.
                    var from = state.Queue.Count > 0 ? state.Queue[0].ActivityId : null;
                    var message = string.Create(CultureInfo.InvariantCulture,
                        $"The burst{(from is null ? "" : $" from activity '{from}'")} was started {held.Attempts - 1} times without finishing (the process stopped during it, e.g. out of memory); it is not run again (setting Workflows:MaxBurstFailures = {options.Value.MaxBurstFailures}). Retry the incident after fixing the cause.");
                    if (await failures.FaultAsync(held, token, null, from, message, null, cancellationToken))
                    {
                        return (held.Status, held.SubStatus);
                    }

                    continue;
                }

                if (state.Queue.Count > 0 && state.Fault is null)
                {
                    if (await RunAndCommitAsync(held, token, null, null, lease, cancellationToken))
                    {
                        return (held.Status, held.SubStatus);
                    }

                    continue;
                }

                var command = await inbox.NextAsync(instanceId, faulted, cancellationToken);
                if (command is null)
                {
                    if (await leases.ReleaseAsync(instanceId, token, checkInbox: !faulted, cancellationToken))
                    {
                        return (held.Status, held.SubStatus);
                    }

                    continue;
                }

                var resolvedIncident = WorkflowInbox<TContext>.Apply(command, state);
                if (await RunAndCommitAsync(held, token, command.Id, resolvedIncident, lease, cancellationToken))
                {
                    return (held.Status, held.SubStatus);
                }
            }
        }
        catch (Exception exception) when (exception is LeaseLostException || (exception is OperationCanceledException && lease.Lost && !cancellationToken.IsCancellationRequested))
        {
            // Cancelled, deleted or taken over by another executor: what this executor ran is discarded.
            LogLeaseLost(logger, instanceId);
            return (held?.Status ?? WorkflowStatus.Running, held?.SubStatus ?? WorkflowSubStatus.Pending);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDrainFailed(logger, exception, instanceId);
            await leases.ReleaseQuietlyAsync(instanceId, token);
            throw;
        }
    }

    /// <summary>
    /// Runs one burst and commits it; true when the lease was released. A burst that cannot be run to the end or
    /// stored (its state too large or not serializable, the commit refused) is never retried silently: see
    /// <see cref="FailedBursts{TContext}.HandleAsync"/>.
    /// </summary>
    private async Task<bool> RunAndCommitAsync(HeldInstance held, string token, string? commandId, string? resolvedIncident, LeaseRenewal lease, CancellationToken cancellationToken)
    {
        var from = held.State.Queue.Count > 0 ? held.State.Queue[0].ActivityId : null;
        RanBurst? ran = null;
        try
        {
            ran = await RunBurstAsync(held, token, commandId, resolvedIncident, lease.Token);
            await commits.CommitAsync([ran], cancellationToken);
        }
        catch (Exception exception) when (exception is not LeaseLostException && !(exception is OperationCanceledException && (lease.Lost || cancellationToken.IsCancellationRequested)))
        {
            var node = (exception as BurstFailedException)?.LastActivity ?? ran?.Burst.Journal.LastOrDefault()?.Node;
            if (ran is not null)
            {
                await ran.DisposeAsync();
            }

            return await failures.HandleAsync(held, token, exception is BurstFailedException { InnerException: { } inner } ? inner : exception, node, from, cancellationToken);
        }
        catch
        {
            if (ran is not null)
            {
                await ran.DisposeAsync();
            }

            throw;
        }

        await using (ran)
        {
            await commits.CompleteAsync(ran, cancellationToken);
        }

        held.Attempts = 0;
        return ran.Released;
    }

    public async Task<RanBurst> RunBurstAsync(HeldInstance held, string token, string? commandId, string? resolvedIncident, CancellationToken cancellationToken)
    {
        var state = held.State;
        var scope = scopeFactory.CreateAsyncScope();
        try
        {
            var burst = new BurstContext(held.Record.Id, held.Flowchart!, state, scope.ServiceProvider, clock, expressions, cancellationToken);
            if (state.Cancelled)
            {
                foreach (var bookmark in state.Bookmarks)
                {
                    burst.RemovedBookmarkIds.Add(bookmark.Id);
                }

                state.Bookmarks.Clear();
            }
            else
            {
                await runner.RunAsync(burst);
            }

            var (status, subStatus) = state switch
            {
                { Cancelled: true } => (WorkflowStatus.Finished, WorkflowSubStatus.Cancelled),
                { Fault: not null } => (WorkflowStatus.Finished, WorkflowSubStatus.Faulted),
                { Finished: true } => (WorkflowStatus.Finished, WorkflowSubStatus.Finished),
                { Queue.Count: > 0 } => (WorkflowStatus.Running, WorkflowSubStatus.Executing),
                _ => (WorkflowStatus.Running, WorkflowSubStatus.Suspended),
            };
            return new RanBurst
            {
                Held = held,
                Token = token,
                CommandId = commandId,
                ResolvedIncident = resolvedIncident,
                Scope = scope,
                Burst = burst,
                Status = status,
                SubStatus = subStatus,
                Json = SerializeBurstState(state, burst),
                Now = clock.GetUtcNow(),
            };
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    private string SerializeBurstState(InstanceState state, BurstContext burst)
    {
        try
        {
            return state.Serialize(options.Value.MaxStateBytes);
        }
        catch (Exception exception) when (exception is WorkflowStateTooLargeException or JsonException or NotSupportedException or InsufficientExecutionStackException or OutOfMemoryException)
        {
            throw new BurstFailedException(exception, burst.Journal.LastOrDefault()?.Node);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Running workflow instance {InstanceId} failed; its lease is released for a retry")]
    private static partial void LogDrainFailed(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow instance {InstanceId} was cancelled, deleted or taken over while this executor ran it; its burst is discarded")]
    private static partial void LogLeaseLost(ILogger logger, string instanceId);
}
