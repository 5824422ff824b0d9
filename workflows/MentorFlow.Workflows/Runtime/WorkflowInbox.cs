using System.Text.Json.Nodes;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// An instance's inbox (<c>wf_inbox</c>): commands (<see cref="InboxKinds"/>) written durably before they are applied by
/// whoever holds the instance's lease, in order; unique per bookmark, so a bookmark is resumed once however many
/// replicas queue it. The row is deleted in the transaction of the burst that applies it.
/// </summary>
internal sealed class WorkflowInbox<TContext>(IDbContextFactory<TContext> dbFactory, TimeProvider clock)
    where TContext : DbContext
{
    private long _counter;

    /// <summary>A new command row, ordered after every row this process wrote before it.</summary>
    public WorkflowInboxRecord NewRecord(string instanceId, string kind, string? bookmarkId, string? name, string? correlationId, string? payload) => new()
    {
        Id = clock.NewId(),
        InstanceId = instanceId,
        Kind = kind,
        BookmarkId = bookmarkId,
        Name = name,
        CorrelationId = correlationId,
        Payload = payload,
        Sequence = clock.NowMs() * 1000 + (Interlocked.Increment(ref _counter) % 1000),
        CreatedAt = clock.GetUtcNow(),
    };

    /// <summary>Queues a command; false when the bookmark's resume is queued already (by another replica or signal).</summary>
    public async Task<bool> TryEnqueueAsync(string instanceId, string kind, string? bookmarkId, string? name, string? correlationId, string? payload, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Add(NewRecord(instanceId, kind, bookmarkId, name, correlationId, payload));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another replica already queued the resume of this bookmark: it is handled once.
            return false;
        }
    }

    /// <summary>The oldest queued command; for a faulted instance only a cancel or a retry (the rest waits for the retry).</summary>
    public async Task<WorkflowInboxRecord?> NextAsync(string instanceId, bool faulted, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var inbox = db.Set<WorkflowInboxRecord>().AsNoTracking().Where(m => m.InstanceId == instanceId);
        if (faulted)
        {
            inbox = inbox.Where(m => m.Kind == InboxKinds.Cancel || m.Kind == InboxKinds.Retry);
        }

        return await inbox.OrderBy(m => m.Sequence).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Drops every queued command of an instance (it ended or its definition is gone).</summary>
    public async Task DeleteAllAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Set<WorkflowInboxRecord>().Where(m => m.InstanceId == instanceId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// Applies a command to the held state (queues the resumes, marks the cancel, clears the fault of a retried
    /// incident); returns the incident a retry resolved.
    /// </summary>
    public static string? Apply(WorkflowInboxRecord command, InstanceState state)
    {
        switch (command.Kind)
        {
            case InboxKinds.Resume:
                if (state.Bookmarks.Find(b => b.Id == command.BookmarkId) is { } bookmark)
                {
                    state.Queue.Add(new WorkItem { ActivityId = bookmark.ActivityId, Resume = true, BookmarkId = bookmark.Id, Payload = ParsePayload(command.Payload) });
                }

                return null;
            case InboxKinds.Signal:
                foreach (var match in state.Bookmarks.Where(b => b.DueAt is null && b.Name == command.Name
                             && (command.CorrelationId is null || b.CorrelationId == command.CorrelationId)).ToList())
                {
                    state.Queue.Add(new WorkItem { ActivityId = match.ActivityId, Resume = true, BookmarkId = match.Id, Payload = ParsePayload(command.Payload) });
                }

                return null;
            case InboxKinds.Cancel:
                state.Cancelled = true;
                state.Queue.Clear();
                return null;
            case InboxKinds.Retry:
                if (state.Fault is not null && state.Fault.IncidentId == command.Name)
                {
                    state.Fault = null;
                    return command.Name;
                }

                return null;
            default:
                return null;
        }
    }

    private static JsonNode? ParsePayload(string? payload) => payload is null ? null : JsonNode.Parse(payload);
}
