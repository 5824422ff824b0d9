using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Workflows.Runtime;

/// <summary>Starts and signals enlisted in a caller's unit of work (<see cref="IWorkflowEnlistment"/>).</summary>
internal sealed class WorkflowEnlistment<TContext>(
    WorkflowStarter<TContext> starter,
    WorkflowInbox<TContext> inbox,
    WorkflowExecutor<TContext> executor,
    TimeProvider clock) : IWorkflowEnlistment
    where TContext : DbContext
{
    public async Task<EnlistedWorkflowWork> StartAsync(
        DbContext db,
        string definitionId,
        IReadOnlyDictionary<string, object?>? input,
        string? correlationId,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(definitionId);
        var definition = await WorkflowDefinitionService<TContext>
            .QueryVersion(db.Set<WorkflowDefinitionRecord>().AsNoTracking(), definitionId, VersionOptions.Published)
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new WorkflowDefinitionNotFoundException($"No {VersionOptions.Published} version of workflow definition '{definitionId}' exists.");
        var (record, _, _) = starter.NewInstance(definition, input, correlationId, leaseOwner: null);
        db.Add(record);
        return new EnlistedWorkflowWork([record.Id]);
    }

    public async Task<EnlistedWorkflowWork> SignalAsync(
        DbContext db,
        string name,
        string? correlationId,
        object? payload,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var payloadJson = ValueConversion.ToNode(payload)?.ToJsonString();
        var bookmarks = db.Set<WorkflowBookmarkRecord>().AsNoTracking().Where(b => b.Name == name && b.DueAt == null);
        if (correlationId is not null)
        {
            bookmarks = bookmarks.Where(b => b.CorrelationId == correlationId);
        }

        // A bookmark already queued for resumption (by another signal, committed or enlisted here) is resumed once.
        var hits = await bookmarks
            .Where(b => !db.Set<WorkflowInboxRecord>().Any(m => m.BookmarkId == b.Id))
            .Select(b => new { b.Id, b.InstanceId })
            .ToListAsync(cancellationToken);
        var enlisted = db.ChangeTracker.Entries<WorkflowInboxRecord>()
            .Where(e => e.State == EntityState.Added && e.Entity.BookmarkId is not null)
            .Select(e => e.Entity.BookmarkId!)
            .ToHashSet(StringComparer.Ordinal);
        var instances = new List<string>();
        foreach (var hit in hits.Where(h => enlisted.Add(h.Id)))
        {
            db.Add(inbox.NewRecord(hit.InstanceId, InboxKinds.Resume, hit.Id, name, correlationId, payloadJson));
            instances.Add(hit.InstanceId);
        }

        if (hits.Count == 0 && correlationId is not null)
        {
            // The instance may be mid-burst and about to create the bookmark: queue the signal for it.
            var now = clock.NowMs();
            var executing = await db.Set<WorkflowInstanceRecord>().AsNoTracking()
                .Where(i => i.CorrelationId == correlationId && i.Status == nameof(WorkflowStatus.Running) && i.LeaseOwner != null && i.LeaseExpiresAt >= now)
                .Select(i => i.Id).ToListAsync(cancellationToken);
            foreach (var instanceId in executing)
            {
                db.Add(inbox.NewRecord(instanceId, InboxKinds.Signal, null, name, correlationId, payloadJson));
                instances.Add(instanceId);
            }
        }

        return new EnlistedWorkflowWork([.. instances.Distinct(StringComparer.Ordinal)]);
    }

    public async Task RunAsync(EnlistedWorkflowWork work, CancellationToken cancellationToken)
    {
        List<Exception>? failures = null;
        foreach (var instanceId in work.InstanceIds)
        {
            try
            {
                await executor.TryDrainAsync(instanceId, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The others still run; this one stays committed and queued, so recovery runs it.
                (failures ??= []).Add(exception);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException("Some enlisted workflow instances could not be run now; recovery runs them.", failures);
        }
    }
}
