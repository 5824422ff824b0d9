using System.Text.Json;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// Writes what bursts produced and tells the rest of the process after the commit: the state, bookmarks, journal,
/// incidents and enlisted rows of each burst in one transaction, conditional on the executor's lease; then timers are
/// (un)scheduled and <see cref="IWorkflowCommitListener"/>s told.
/// </summary>
internal sealed partial class BurstCommitter<TContext>(
    IDbContextFactory<TContext> dbFactory,
    IServiceProvider services,
    InstanceLeases<TContext> leases,
    TimerNotifications timers,
    WorkflowInbox<TContext> commands,
    TimeProvider clock,
    ILogger<BurstCommitter<TContext>> logger)
    where TContext : DbContext
{
    private IReadOnlyList<IWorkflowCommitListener>? _listeners;

    /// <summary>
    /// Commits bursts in one transaction: for each, the state (conditional on the executor's lease, which is released
    /// in the same statement when nothing is left to do), bookmarks, journal, incidents and enlisted rows (outbox).
    /// Throws <see cref="LeaseLostException"/> (nothing committed) when any lease was lost.
    /// </summary>
    public async Task CommitAsync(IReadOnlyList<RanBurst> bursts, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var ran in bursts)
        {
            await WriteAsync(db, ran, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        var mayRelease = bursts.Where(b => !b.HasPending).Select(b => b.Held.Record.Id).ToList();
        var released = mayRelease.Count == 0
            ? []
            : await db.Set<WorkflowInstanceRecord>().Where(i => mayRelease.Contains(i.Id) && i.LeaseOwner == null).Select(i => i.Id).ToListAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var ran in bursts)
        {
            ran.Released = released.Contains(ran.Held.Record.Id);
        }
    }

    private async Task WriteAsync(TContext db, RanBurst ran, CancellationToken cancellationToken)
    {
        var record = ran.Held.Record;
        var burst = ran.Burst;
        var token = ran.Token;
        var commandId = ran.CommandId;
        var ended = ran.Ended;
        var faulted = ran.Faulted;
        var hasPending = ran.HasPending;
        var json = ran.Json;
        var status = ran.Status;
        var subStatus = ran.SubStatus;
        var now = ran.Now;
        var keepUntil = now.ToUnixTimeMilliseconds() + leases.DurationMs;
        var incidentDelta = burst.Incidents.Count - (ran.ResolvedIncident is null ? 0 : 1);
        DateTimeOffset? finishedAt = status == WorkflowStatus.Finished ? now : null;
        var inbox = db.Set<WorkflowInboxRecord>();
        var instanceId = record.Id;
        var correlationId = burst.State.CorrelationId;
        var name = burst.State.Name ?? record.Name;

        // The lease is released in the same statement when nothing is left to do: no pending work and no queued
        // command (other than the one this burst handles); otherwise the executor keeps it and drains on.
        var updated = await db.Set<WorkflowInstanceRecord>()
            .Where(i => i.Id == instanceId && i.LeaseOwner == token)
            .ExecuteUpdateAsync(s => s
                .SetProperty(
                    i => i.LeaseOwner,
                    i => hasPending || (!ended && inbox.Any(m => m.InstanceId == instanceId && m.Id != commandId
                            && (!faulted || m.Kind == InboxKinds.Cancel || m.Kind == InboxKinds.Retry)))
                        ? token
                        : null)
                .SetProperty(i => i.State, json)
                .SetProperty(i => i.CorrelationId, correlationId)
                .SetProperty(i => i.Name, name)
                .SetProperty(i => i.Status, status.ToString())
                .SetProperty(i => i.SubStatus, subStatus.ToString())
                .SetProperty(i => i.HasPendingWork, hasPending)
                .SetProperty(i => i.BurstAttempts, 0)
                .SetProperty(i => i.IncidentCount, i => i.IncidentCount + incidentDelta)
                .SetProperty(i => i.UpdatedAt, now)
                .SetProperty(i => i.FinishedAt, finishedAt)
                .SetProperty(
                    i => i.LeaseExpiresAt,
                    i => hasPending || (!ended && inbox.Any(m => m.InstanceId == instanceId && m.Id != commandId
                            && (!faulted || m.Kind == InboxKinds.Cancel || m.Kind == InboxKinds.Retry)))
                        ? keepUntil
                        : 0L), cancellationToken);
        if (updated == 0)
        {
            throw new LeaseLostException(record.Id);
        }

        if (ended)
        {
            await db.Set<WorkflowBookmarkRecord>().Where(b => b.InstanceId == record.Id).ExecuteDeleteAsync(cancellationToken);
            await db.Set<WorkflowInboxRecord>().Where(m => m.InstanceId == record.Id).ExecuteDeleteAsync(cancellationToken);
            if (burst.State.Parent is { } parent)
            {
                // The parent waiting in Execute Workflow resumes with how this instance ended, committed with the end.
                var outcome = new System.Text.Json.Nodes.JsonObject
                {
                    ["instanceId"] = record.Id,
                    ["subStatus"] = subStatus.ToString(),
                    ["output"] = burst.State.Output.DeepClone(),
                    ["fault"] = burst.State.Fault?.Message,
                };
                db.Add(commands.NewRecord(parent.InstanceId, InboxKinds.Resume, parent.BookmarkId, ChildWorkflowNames.CompletedBookmark, record.Id, outcome.ToJsonString()));
            }
        }
        else
        {
            if (burst.RemovedBookmarkIds.Count > 0)
            {
                var removed = burst.RemovedBookmarkIds.ToList();
                await db.Set<WorkflowBookmarkRecord>().Where(b => removed.Contains(b.Id)).ExecuteDeleteAsync(cancellationToken);
            }

            foreach (var bookmark in burst.AddedBookmarks)
            {
                db.Add(new WorkflowBookmarkRecord
                {
                    Id = bookmark.Id,
                    InstanceId = record.Id,
                    ActivityId = bookmark.ActivityId,
                    Name = bookmark.Name,
                    CorrelationId = bookmark.CorrelationId,
                    DueAt = bookmark.DueAt?.ToUnixTimeMilliseconds(),
                    Payload = bookmark.Payload?.ToJsonString(),
                    CreatedAt = bookmark.CreatedAt,
                });
            }

            if (commandId is not null)
            {
                await db.Set<WorkflowInboxRecord>().Where(m => m.Id == commandId).ExecuteDeleteAsync(cancellationToken);
            }
        }

        if (ran.ResolvedIncident is { } resolvedIncident)
        {
            await db.Set<WorkflowIncidentRecord>().Where(i => i.Id == resolvedIncident)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.ResolvedAt, now), cancellationToken);
        }

        foreach (var entry in burst.Journal)
        {
            db.Add(new WorkflowJournalRecord
            {
                Id = clock.NewId(),
                InstanceId = record.Id,
                Sequence = entry.Sequence,
                ActivityId = entry.Node.Id,
                ActivityType = entry.Node.Type,
                ActivityTypeVersion = entry.Node.Version,
                ActivityName = entry.Node.Name,
                EventName = entry.EventName,
                StartedAt = entry.StartedAt,
                CompletedAt = entry.CompletedAt,
                Outcomes = entry.Outcomes.Count == 0 ? null : JsonSerializer.Serialize(entry.Outcomes),
                Message = entry.Message,
                Error = entry.Error,
            });
        }

        foreach (var incident in burst.Incidents)
        {
            db.Add(new WorkflowIncidentRecord
            {
                Id = incident.Id,
                InstanceId = record.Id,
                ActivityId = incident.ActivityId,
                ActivityType = incident.ActivityType,
                Message = incident.Message,
                Exception = incident.Exception,
                Timestamp = incident.Timestamp,
            });
        }

        foreach (var entity in burst.Enlisted)
        {
            db.Add(entity);
        }
    }

    /// <summary>After the commit: the held state is what was committed; timers are (un)scheduled, listeners told.</summary>
    public async Task CompleteAsync(RanBurst ran, CancellationToken cancellationToken)
    {
        var held = ran.Held;
        held.Status = ran.Status;
        held.SubStatus = ran.SubStatus;
        timers.Committed(held.Record.Id, ran.Burst, ran.Ended);
        await NotifyAsync(new WorkflowCommit(held.Record.Id, held.Record.DefinitionId, ran.Status, ran.SubStatus, ran.Burst.Enlisted)
        {
            ParentInstanceId = ran.Ended ? ran.Burst.State.Parent?.InstanceId : null,
            Notes = ran.Burst.Notes,
        }, cancellationToken);
    }

    /// <summary>Tells every <see cref="IWorkflowCommitListener"/>; a failing listener is logged and does not stop the others.</summary>
    public async Task NotifyAsync(WorkflowCommit commit, CancellationToken cancellationToken)
    {
        _listeners ??= [.. services.GetServices<IWorkflowCommitListener>()];
        foreach (var listener in _listeners)
        {
            try
            {
                await listener.OnCommittedAsync(commit, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogListenerFailed(logger, exception, commit.InstanceId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A commit listener failed for workflow instance {InstanceId}")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception, string instanceId);
}
