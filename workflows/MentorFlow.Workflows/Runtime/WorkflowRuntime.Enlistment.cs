using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Workflows.Runtime;

/// <summary>Starts and signals enlisted in a caller's unit of work (<see cref="IWorkflowEnlistment"/>).</summary>
internal sealed partial class WorkflowRuntime<TContext> : IWorkflowEnlistment
{
    /// <summary>
    /// A new instance of <paramref name="definition"/> with its input, initial variables and start activity queued.
    /// With <paramref name="leaseOwner"/> the caller holds it (and runs its first burst); without it the instance is
    /// free for the first executor that claims it. Throws <see cref="WorkflowStateTooLargeException"/> before anything
    /// is written when the state is over <c>Workflows:MaxStateBytes</c>.
    /// </summary>
    private (WorkflowInstanceRecord Record, InstanceState State, FlowchartDefinition Flowchart) NewInstance(
        WorkflowDefinitionRecord definition, IReadOnlyDictionary<string, object?>? input, string? correlationId, string? leaseOwner)
    {
        var flowchart = cache.Get(definition.Id, definition.DefinitionId, definition.Version, definition.Json);
        var state = new InstanceState { CorrelationId = correlationId };
        if (input is not null)
        {
            foreach (var (key, value) in input)
            {
                state.Input[key] = ValueConversion.ToNode(value);
            }
        }

        foreach (var variable in flowchart.Variables)
        {
            state.Variables[variable.Name] = InitialValue(variable);
        }

        if (flowchart.StartActivity is { } start)
        {
            state.Queue.Add(new WorkItem { ActivityId = start.Id });
        }

        var now = clock.GetUtcNow();
        var record = new WorkflowInstanceRecord
        {
            Id = NewId(),
            DefinitionId = definition.DefinitionId,
            DefinitionVersionId = definition.Id,
            Version = definition.Version,
            Name = definition.Name,
            CorrelationId = correlationId,
            Status = nameof(WorkflowStatus.Running),
            SubStatus = nameof(WorkflowSubStatus.Pending),
            HasPendingWork = true,
            LeaseOwner = leaseOwner,
            LeaseExpiresAt = leaseOwner is null ? 0 : now.ToUnixTimeMilliseconds() + _leaseMs,
            BurstAttempts = leaseOwner is null ? 0 : 1,
            State = state.Serialize(_options.MaxStateBytes),
            CreatedAt = now,
            UpdatedAt = now,
        };
        return (record, state, flowchart);
    }

    async Task<EnlistedWorkflowWork> IWorkflowEnlistment.StartAsync(
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
        var (record, _, _) = NewInstance(definition, input, correlationId, leaseOwner: null);
        db.Add(record);
        return new EnlistedWorkflowWork([record.Id]);
    }

    async Task<EnlistedWorkflowWork> IWorkflowEnlistment.SignalAsync(
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
            db.Add(NewInboxRecord(hit.InstanceId, KindResume, hit.Id, name, correlationId, payloadJson));
            instances.Add(hit.InstanceId);
        }

        if (hits.Count == 0 && correlationId is not null)
        {
            // The instance may be mid-burst and about to create the bookmark: queue the signal for it.
            var now = NowMs;
            var executing = await db.Set<WorkflowInstanceRecord>().AsNoTracking()
                .Where(i => i.CorrelationId == correlationId && i.Status == nameof(WorkflowStatus.Running) && i.LeaseOwner != null && i.LeaseExpiresAt >= now)
                .Select(i => i.Id).ToListAsync(cancellationToken);
            foreach (var instanceId in executing)
            {
                db.Add(NewInboxRecord(instanceId, KindSignal, null, name, correlationId, payloadJson));
                instances.Add(instanceId);
            }
        }

        return new EnlistedWorkflowWork([.. instances.Distinct(StringComparer.Ordinal)]);
    }

    async Task IWorkflowEnlistment.RunAsync(EnlistedWorkflowWork work, CancellationToken cancellationToken)
    {
        List<Exception>? failures = null;
        foreach (var instanceId in work.InstanceIds)
        {
            try
            {
                await TryDrainAsync(instanceId, cancellationToken);
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

    private WorkflowInboxRecord NewInboxRecord(string instanceId, string kind, string? bookmarkId, string? name, string? correlationId, string? payload) => new()
    {
        Id = NewId(),
        InstanceId = instanceId,
        Kind = kind,
        BookmarkId = bookmarkId,
        Name = name,
        CorrelationId = correlationId,
        Payload = payload,
        Sequence = NowMs * 1000 + (Interlocked.Increment(ref _inboxCounter) % 1000),
        CreatedAt = clock.GetUtcNow(),
    };
}
