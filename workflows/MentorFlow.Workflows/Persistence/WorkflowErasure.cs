using MentorFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Workflows.Persistence;

/// <summary>
/// Removes a person from the engine's tables inside the caller's transaction (the caller's <see cref="DbContext"/>
/// includes <see cref="WorkflowEngineModel"/>):
/// <list type="bullet">
/// <item>instances correlated with the person (<c>correlationIds</c>) are cancelled without running another step
/// (status Finished/Cancelled, no queued work, bookmarks and inbox commands deleted) and their state is cleared down
/// to the correlation id and the scrubbed input; their journal keeps the activity trail without messages or errors,
/// their incidents without messages or stack traces;</item>
/// <item>every other instance whose state, bookmarks, inbox, journal or incidents mention the person has those values
/// replaced (<see cref="Redaction"/>) and keeps running.</item>
/// </list>
/// Every touched instance loses its executor lease, so an executor running it concurrently cannot commit the state it
/// holds in memory (its commit is conditional on the lease and is discarded); a running, scrubbed instance is picked
/// up again by recovery from the scrubbed state.
/// </summary>
public static class WorkflowErasure
{
    public static async Task<WorkflowErasureResult> EraseAsync(
        DbContext db, IReadOnlyCollection<string> correlationIds, Redaction redaction, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var instances = db.Set<WorkflowInstanceRecord>();
        var correlated = correlationIds.Count == 0
            ? []
            : await instances.Where(i => i.CorrelationId != null && correlationIds.Contains(i.CorrelationId)).ToListAsync(cancellationToken);
        var correlatedIds = correlated.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);

        var mentioning = new HashSet<string>(StringComparer.Ordinal);
        if (!redaction.IsEmpty)
        {
            mentioning.UnionWith(await instances.Where(redaction.MentionedIn<WorkflowInstanceRecord>(i => i.State)).Select(i => i.Id).ToListAsync(cancellationToken));
            mentioning.UnionWith(await db.Set<WorkflowBookmarkRecord>().Where(redaction.MentionedIn<WorkflowBookmarkRecord>(b => b.Payload))
                .Select(b => b.InstanceId).ToListAsync(cancellationToken));
            mentioning.UnionWith(await db.Set<WorkflowInboxRecord>().Where(redaction.MentionedIn<WorkflowInboxRecord>(m => m.Payload))
                .Select(m => m.InstanceId).ToListAsync(cancellationToken));
            mentioning.UnionWith(await db.Set<WorkflowJournalRecord>().Where(redaction.MentionedInAny<WorkflowJournalRecord>(j => j.Message, j => j.Error))
                .Select(j => j.InstanceId).ToListAsync(cancellationToken));
            mentioning.UnionWith(await db.Set<WorkflowIncidentRecord>().Where(redaction.MentionedInAny<WorkflowIncidentRecord>(i => i.Message, i => i.Exception))
                .Select(i => i.InstanceId).ToListAsync(cancellationToken));
            mentioning.ExceptWith(correlatedIds);
        }

        var cancelled = new List<string>();
        foreach (var record in correlated)
        {
            var state = InstanceState.Deserialize(record.State);
            var running = record.Status == nameof(WorkflowStatus.Running) || record.SubStatus == nameof(WorkflowSubStatus.Faulted);
            var cleared = new InstanceState
            {
                CorrelationId = state.CorrelationId,
                Input = redaction.ScrubNode(state.Input) as System.Text.Json.Nodes.JsonObject ?? [],
                JournalSequence = state.JournalSequence,
                ExecutionCounts = state.ExecutionCounts,
                Cancelled = state.Cancelled || running,
                Finished = state.Finished,
            };
            record.State = cleared.Serialize();
            record.Name = redaction.Scrub(record.Name);
            record.HasPendingWork = false;
            record.BurstAttempts = 0;
            record.LeaseOwner = null;
            record.LeaseExpiresAt = 0;
            if (running)
            {
                record.Status = nameof(WorkflowStatus.Finished);
                record.SubStatus = nameof(WorkflowSubStatus.Cancelled);
                record.FinishedAt = now;
                record.UpdatedAt = now;
                cancelled.Add(record.Id);
            }
        }

        if (correlatedIds.Count > 0)
        {
            var ids = correlatedIds.ToList();
            await db.Set<WorkflowBookmarkRecord>().Where(b => ids.Contains(b.InstanceId)).ExecuteDeleteAsync(cancellationToken);
            await db.Set<WorkflowInboxRecord>().Where(m => ids.Contains(m.InstanceId)).ExecuteDeleteAsync(cancellationToken);
            await db.Set<WorkflowJournalRecord>().Where(j => ids.Contains(j.InstanceId))
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Message, (string?)null).SetProperty(j => j.Error, (string?)null), cancellationToken);
            await db.Set<WorkflowIncidentRecord>().Where(i => ids.Contains(i.InstanceId))
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Message, Redaction.Marker).SetProperty(i => i.Exception, (string?)null), cancellationToken);
        }

        if (mentioning.Count > 0)
        {
            var ids = mentioning.ToList();
            foreach (var record in await instances.Where(i => ids.Contains(i.Id)).ToListAsync(cancellationToken))
            {
                record.State = redaction.ScrubJson(record.State)!;
                record.Name = redaction.Scrub(record.Name);
                record.LeaseOwner = null;
                record.LeaseExpiresAt = 0;
            }

            foreach (var bookmark in await db.Set<WorkflowBookmarkRecord>().Where(b => ids.Contains(b.InstanceId) && b.Payload != null).ToListAsync(cancellationToken))
            {
                bookmark.Payload = redaction.ScrubJson(bookmark.Payload);
            }

            foreach (var command in await db.Set<WorkflowInboxRecord>().Where(m => ids.Contains(m.InstanceId) && m.Payload != null).ToListAsync(cancellationToken))
            {
                command.Payload = redaction.ScrubJson(command.Payload);
            }

            foreach (var entry in await db.Set<WorkflowJournalRecord>().Where(j => ids.Contains(j.InstanceId))
                         .Where(redaction.MentionedInAny<WorkflowJournalRecord>(j => j.Message, j => j.Error)).ToListAsync(cancellationToken))
            {
                entry.Message = redaction.Scrub(entry.Message);
                entry.Error = redaction.Scrub(entry.Error);
            }

            foreach (var incident in await db.Set<WorkflowIncidentRecord>().Where(i => ids.Contains(i.InstanceId))
                         .Where(redaction.MentionedInAny<WorkflowIncidentRecord>(i => i.Message, i => i.Exception)).ToListAsync(cancellationToken))
            {
                incident.Message = redaction.Scrub(incident.Message)!;
                incident.Exception = redaction.Scrub(incident.Exception);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return new WorkflowErasureResult(cancelled, [.. correlatedIds.Order(StringComparer.Ordinal)], [.. mentioning.Order(StringComparer.Ordinal)]);
    }
}
