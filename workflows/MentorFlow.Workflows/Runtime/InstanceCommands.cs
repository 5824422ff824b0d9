using System.Text.Json;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// What an instance is told from outside: signals and incident retries (queued durably in its inbox, then applied by
/// whoever holds its lease), cancel (at once, taking the lease) and delete.
/// </summary>
internal sealed partial class InstanceCommands<TContext>(
    IDbContextFactory<TContext> dbFactory,
    InstanceLeases<TContext> leases,
    WorkflowInbox<TContext> inbox,
    WorkflowExecutor<TContext> executor,
    BurstCommitter<TContext> commits,
    TimerNotifications timers,
    TimeProvider clock,
    ILogger<InstanceCommands<TContext>> logger)
    where TContext : DbContext
{
    public async Task<int> SignalAsync(string name, string? correlationId, object? payload, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var payloadJson = ValueConversion.ToNode(payload)?.ToJsonString();
        List<(string Id, string InstanceId)> hits;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var query = db.Set<WorkflowBookmarkRecord>().AsNoTracking().Where(b => b.Name == name && b.DueAt == null);
            if (correlationId is not null)
            {
                query = query.Where(b => b.CorrelationId == correlationId);
            }

            hits = [.. (await query.Select(b => new { b.Id, b.InstanceId }).ToListAsync(cancellationToken)).Select(b => (b.Id, b.InstanceId))];
        }

        var instances = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        // A signal is accepted durably (an inbox row, one per bookmark) before it is applied, so a crash after
        // SignalAsync returned never loses it; timers need no such row (the bookmark itself is durable).
        foreach (var (bookmarkId, instanceId) in hits)
        {
            if (await inbox.TryEnqueueAsync(instanceId, InboxKinds.Resume, bookmarkId, name, correlationId, payloadJson, cancellationToken) && instances.Add(instanceId))
            {
                count++;
            }
        }

        var queuedFor = new HashSet<string>(instances, StringComparer.Ordinal);

        if (hits.Count == 0 && correlationId is not null)
        {
            // The instance may be mid-burst and about to create the bookmark: queue the signal for it.
            List<string> executing;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var now = clock.NowMs();
                executing = await db.Set<WorkflowInstanceRecord>().AsNoTracking()
                    .Where(i => i.CorrelationId == correlationId && i.Status == nameof(WorkflowStatus.Running) && i.LeaseOwner != null && i.LeaseExpiresAt >= now)
                    .Select(i => i.Id).ToListAsync(cancellationToken);
            }

            foreach (var instanceId in executing)
            {
                if (await inbox.TryEnqueueAsync(instanceId, InboxKinds.Signal, null, name, correlationId, payloadJson, cancellationToken) && queuedFor.Add(instanceId))
                {
                    count++;
                }
            }
        }

        foreach (var instanceId in queuedFor)
        {
            await executor.TryDrainAsync(instanceId, cancellationToken);
        }

        return count;
    }

    /// <summary>
    /// Cancels (terminates) a running or faulted instance at once: the lease is taken from whoever holds it (a burst in
    /// flight then cannot commit and is discarded) and the cancellation is written without running any activity; its
    /// bookmarks, timers and queued commands are dropped in the same transaction.
    /// </summary>
    public async Task<bool> CancelAsync(string instanceId, CancellationToken cancellationToken)
    {
        var token = clock.NewId();
        if (!await leases.TakeAsync(instanceId, token, cancellationToken))
        {
            return false;
        }

        try
        {
            return await WriteCancelledAsync(instanceId, token, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCancelFailed(logger, exception, instanceId);
            await leases.ReleaseQuietlyAsync(instanceId, token);
            throw;
        }
    }

    private async Task<bool> WriteCancelledAsync(string instanceId, string token, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = await db.Set<WorkflowInstanceRecord>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId && i.LeaseOwner == token, cancellationToken);
        if (record is null)
        {
            return false;
        }

        var json = record.State;
        try
        {
            var state = InstanceState.Deserialize(record.State);
            state.Cancelled = true;
            state.Queue.Clear();
            state.Bookmarks.Clear();
            json = state.Serialize();
        }
        catch (JsonException)
        {
            // An unreadable state is kept as it is: the status columns say the instance is cancelled.
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var removed = await db.Set<WorkflowBookmarkRecord>().Where(b => b.InstanceId == instanceId).Select(b => b.Id).ToListAsync(cancellationToken);
        var updated = await db.Set<WorkflowInstanceRecord>()
            .Where(i => i.Id == instanceId && i.LeaseOwner == token)
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.State, json)
                .SetProperty(i => i.Status, nameof(WorkflowStatus.Finished))
                .SetProperty(i => i.SubStatus, nameof(WorkflowSubStatus.Cancelled))
                .SetProperty(i => i.HasPendingWork, false)
                .SetProperty(i => i.LeaseOwner, (string?)null)
                .SetProperty(i => i.LeaseExpiresAt, 0L)
                .SetProperty(i => i.BurstAttempts, 0)
                .SetProperty(i => i.UpdatedAt, now)
                .SetProperty(i => i.FinishedAt, now), cancellationToken);
        if (updated == 0)
        {
            return false;
        }

        await db.Set<WorkflowBookmarkRecord>().Where(b => b.InstanceId == instanceId).ExecuteDeleteAsync(cancellationToken);
        await db.Set<WorkflowInboxRecord>().Where(m => m.InstanceId == instanceId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        timers.Removed(removed);
        await commits.NotifyAsync(new WorkflowCommit(instanceId, record.DefinitionId, WorkflowStatus.Finished, WorkflowSubStatus.Cancelled, []), cancellationToken);
        return true;
    }

    public async Task<bool> RetryIncidentAsync(string incidentId, CancellationToken cancellationToken)
    {
        string? instanceId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            instanceId = await db.Set<WorkflowIncidentRecord>().AsNoTracking()
                .Where(i => i.Id == incidentId && i.ResolvedAt == null).Select(i => i.InstanceId).FirstOrDefaultAsync(cancellationToken);
        }

        if (instanceId is null)
        {
            return false;
        }

        await inbox.TryEnqueueAsync(instanceId, InboxKinds.Retry, null, incidentId, null, null, cancellationToken);
        await executor.TryDrainAsync(instanceId, cancellationToken);
        return true;
    }

    /// <summary>
    /// Deletes an instance in any state with its journal, incidents, bookmarks, timers and queued commands, in one
    /// transaction. A running instance simply stops: an executor in the middle of a burst loses its lease with the
    /// row, so its burst is discarded (nothing of it is committed).
    /// </summary>
    public async Task<bool> DeleteInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var timerIds = await db.Set<WorkflowBookmarkRecord>().Where(b => b.InstanceId == instanceId && b.DueAt != null).Select(b => b.Id).ToListAsync(cancellationToken);
        var deleted = await db.Set<WorkflowInstanceRecord>().Where(i => i.Id == instanceId).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return false;
        }

        await db.Set<WorkflowJournalRecord>().Where(j => j.InstanceId == instanceId).ExecuteDeleteAsync(cancellationToken);
        await db.Set<WorkflowIncidentRecord>().Where(j => j.InstanceId == instanceId).ExecuteDeleteAsync(cancellationToken);
        await db.Set<WorkflowBookmarkRecord>().Where(j => j.InstanceId == instanceId).ExecuteDeleteAsync(cancellationToken);
        await db.Set<WorkflowInboxRecord>().Where(j => j.InstanceId == instanceId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        timers.Removed(timerIds);

        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Running workflow instance {InstanceId} failed; its lease is released for a retry")]
    private static partial void LogCancelFailed(ILogger logger, Exception exception, string instanceId);
}
