using System.Text.Json;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Workflows.Runtime;

/// <summary>Reads instances for the APIs: one with its state, journal and incidents, or a filtered page of summaries.</summary>
internal sealed class InstanceQueries<TContext>(IDbContextFactory<TContext> dbFactory)
    where TContext : DbContext
{
    public async Task<WorkflowInstanceDetails?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = await db.Set<WorkflowInstanceRecord>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var state = InstanceState.Deserialize(record.State);
        var journal = await db.Set<WorkflowJournalRecord>().AsNoTracking().Where(j => j.InstanceId == instanceId)
            .OrderBy(j => j.Sequence).ToListAsync(cancellationToken);
        var incidents = await db.Set<WorkflowIncidentRecord>().AsNoTracking().Where(i => i.InstanceId == instanceId)
            .OrderBy(i => i.Timestamp).ToListAsync(cancellationToken);
        return new WorkflowInstanceDetails(
            ToSummary(record),
            state.Input,
            state.Output,
            state.Variables,
            [.. state.Bookmarks.Select(b => b.ToInfo())],
            [.. journal.Select(j => new JournalEntry(j.Sequence, j.ActivityId, j.ActivityType, j.ActivityTypeVersion, j.ActivityName, j.EventName,
                j.StartedAt, j.CompletedAt, j.Outcomes is null ? [] : JsonSerializer.Deserialize<string[]>(j.Outcomes) ?? [], j.Message, j.Error))],
            [.. incidents.Select(i => new WorkflowIncident(i.Id, i.ActivityId, i.ActivityType, i.Message, i.Exception, i.Timestamp, i.ResolvedAt))]);
    }

    public async Task<PagedResult<WorkflowInstanceSummary>> ListInstancesAsync(InstanceQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var q = db.Set<WorkflowInstanceRecord>().AsNoTracking();
        if (query.DefinitionId is { Length: > 0 } definitionId)
        {
            q = q.Where(i => i.DefinitionId == definitionId);
        }

        if (query.DefinitionVersionId is { Length: > 0 } versionId)
        {
            q = q.Where(i => i.DefinitionVersionId == versionId);
        }

        if (query.CorrelationId is { Length: > 0 } correlationId)
        {
            q = q.Where(i => i.CorrelationId == correlationId);
        }

        if (query.SearchTerm is { Length: > 0 } term)
        {
            q = q.Where(i => i.Id.Contains(term) || (i.Name != null && i.Name.Contains(term)) || (i.CorrelationId != null && i.CorrelationId.Contains(term)));
        }

        if (query.Statuses is { Count: > 0 } statuses)
        {
            var names = statuses.Select(s => s.ToString()).ToList();
            q = q.Where(i => names.Contains(i.Status));
        }

        if (query.SubStatuses is { Count: > 0 } subStatuses)
        {
            var names = subStatuses.Select(s => s.ToString()).ToList();
            q = q.Where(i => names.Contains(i.SubStatus));
        }

        if (query.HasIncidents is { } hasIncidents)
        {
            q = hasIncidents ? q.Where(i => i.IncidentCount > 0) : q.Where(i => i.IncidentCount == 0);
        }

        var total = await q.LongCountAsync(cancellationToken);
        q = query.Descending ? q.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id) : q.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id);
        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        var rows = await q.Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize)
            .Select(i => new WorkflowInstanceRecord
            {
                Id = i.Id,
                DefinitionId = i.DefinitionId,
                DefinitionVersionId = i.DefinitionVersionId,
                Version = i.Version,
                Name = i.Name,
                CorrelationId = i.CorrelationId,
                Status = i.Status,
                SubStatus = i.SubStatus,
                IncidentCount = i.IncidentCount,
                CreatedAt = i.CreatedAt,
                UpdatedAt = i.UpdatedAt,
                FinishedAt = i.FinishedAt,
                State = "",
            })
            .ToListAsync(cancellationToken);
        return new PagedResult<WorkflowInstanceSummary>([.. rows.Select(ToSummary)], total);
    }

    private static WorkflowInstanceSummary ToSummary(WorkflowInstanceRecord r) => new(
        r.Id, r.DefinitionId, r.DefinitionVersionId, r.Version, r.Name, r.CorrelationId,
        Enum.Parse<WorkflowStatus>(r.Status), Enum.Parse<WorkflowSubStatus>(r.SubStatus), r.IncidentCount,
        r.CreatedAt, r.UpdatedAt, r.FinishedAt);
}
