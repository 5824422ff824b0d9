using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Workflows.Runtime;

/// <summary>Loads a claimed instance into memory: its state and the flowchart of the version it runs.</summary>
internal sealed class InstanceLoader<TContext>(IDbContextFactory<TContext> dbFactory, FlowchartCache cache)
    where TContext : DbContext
{
    public async Task<HeldInstance?> LoadAsync(string instanceId, CancellationToken cancellationToken)
    {
        WorkflowInstanceRecord? record;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            record = await db.Set<WorkflowInstanceRecord>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        }

        return record is null ? null : await ToHeldAsync(record, cancellationToken);
    }

    /// <summary>The row as of the lease held by <paramref name="token"/>; null when that lease is gone.</summary>
    public async Task<HeldInstance?> LoadLeasedAsync(string instanceId, string token, CancellationToken cancellationToken)
    {
        WorkflowInstanceRecord? record;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            record = await db.Set<WorkflowInstanceRecord>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId && i.LeaseOwner == token, cancellationToken);
        }

        return record is null ? null : await ToHeldAsync(record, cancellationToken);
    }

    public async Task<HeldInstance> ToHeldAsync(WorkflowInstanceRecord record, CancellationToken cancellationToken)
    {
        var flowchart = cache.TryGet(record.DefinitionVersionId);
        if (flowchart is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var definition = await db.Set<WorkflowDefinitionRecord>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == record.DefinitionVersionId, cancellationToken);
            flowchart = definition is null ? null : cache.Get(definition.Id, definition.DefinitionId, definition.Version, definition.Json);
        }

        return new HeldInstance
        {
            Record = record,
            State = InstanceState.Deserialize(record.State),
            Flowchart = flowchart,
            Status = Enum.Parse<WorkflowStatus>(record.Status),
            SubStatus = Enum.Parse<WorkflowSubStatus>(record.SubStatus),
            Attempts = record.BurstAttempts,
        };
    }
}
