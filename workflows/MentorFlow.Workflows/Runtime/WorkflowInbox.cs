using System.Text.Json.Nodes;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

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
    /// <remarks>
    /// One <c>INSERT … ON CONFLICT DO NOTHING</c> (SQLite and PostgreSQL alike): a resume queued twice is a normal
    /// outcome when replicas, timers and recovery meet on one bookmark, so it is answered by the row count, not by a
    /// failed statement the database provider would log as an error.
    /// </remarks>
    public async Task<bool> TryEnqueueAsync(string instanceId, string kind, string? bookmarkId, string? name, string? correlationId, string? payload, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = NewRecord(instanceId, kind, bookmarkId, name, correlationId, payload);
        // Null values are sent as SQL NULL of the column's type (the raw-SQL builder maps a null value itself).
        object?[] values = [record.Id, record.InstanceId, record.Kind, record.BookmarkId, record.Name, record.CorrelationId, record.Payload, record.Sequence, record.CreatedAt.ToUnixTimeMilliseconds()];
        var inserted = await db.Database.ExecuteSqlRawAsync(InsertStatement(db), values!, cancellationToken);
        return inserted == 1;
    }

    private string? _insertStatement;

    /// <summary>The insert, with the table and column names the engine's model maps (so it cannot drift from it).</summary>
    private string InsertStatement(DbContext db) => _insertStatement ??= BuildInsertStatement(db);

    private static string BuildInsertStatement(DbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(WorkflowInboxRecord)) ?? throw new InvalidOperationException("The engine's model has no inbox table.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => "\"" + entity.FindProperty(property)!.GetColumnName(table) + "\"";
        string[] columns =
        [
            Column(nameof(WorkflowInboxRecord.Id)), Column(nameof(WorkflowInboxRecord.InstanceId)), Column(nameof(WorkflowInboxRecord.Kind)),
            Column(nameof(WorkflowInboxRecord.BookmarkId)), Column(nameof(WorkflowInboxRecord.Name)), Column(nameof(WorkflowInboxRecord.CorrelationId)),
            Column(nameof(WorkflowInboxRecord.Payload)), Column(nameof(WorkflowInboxRecord.Sequence)), Column(nameof(WorkflowInboxRecord.CreatedAt)),
        ];
        var tableName = (entity.GetSchema() is { } schema ? "\"" + schema + "\"." : "") + "\"" + entity.GetTableName() + "\"";
        var values = string.Join(", ", columns.Select((_, i) => "{" + i + "}"));
        return $"INSERT INTO {tableName} ({string.Join(", ", columns)}) VALUES ({values}) ON CONFLICT DO NOTHING";
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
