using System.Text.Json.Nodes;
using MentorFlow.Workflows.Descriptors;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Workflows.Definitions;

/// <summary>
/// Descriptors of the flows usable as activities, and the checks a flow that uses flows gets when it is saved and
/// published: each flow it uses as an activity exists, is published and is usable as an activity, and no chain of
/// flows it starts (definition activities, Execute or Dispatch Workflow with a literal definition id) comes back to it.
/// </summary>
internal sealed class WorkflowDefinitionActivities<TContext>(IDbContextFactory<TContext> dbFactory, IActivityRegistry registry)
    : IWorkflowDefinitionActivities
    where TContext : DbContext
{
    /// <summary>At most this many versions are described (newest first); at most this many flows are followed when looking for a cycle.</summary>
    internal const int MaxVersions = 2_000;
    internal const int MaxFlowsFollowed = 200;

    public async Task<IReadOnlyList<ActivityDescriptor>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<WorkflowDefinitionRecord>().AsNoTracking()
            .Where(d => d.Json.Contains("usableAsActivity") && d.Name != null)
            .OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id)
            .Take(MaxVersions)
            .ToListAsync(cancellationToken);
        var descriptors = new List<ActivityDescriptor>();
        foreach (var row in rows.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Version))
        {
            if (JsonNode.Parse(row.Json) is JsonObject model && DefinitionActivities.IsUsableAsActivity(model))
            {
                descriptors.Add(DefinitionActivities.Describe(new DefinitionActivityVersion(row.Id, row.DefinitionId, row.Name, row.Description, row.Version, row.IsPublished, model)));
            }
        }

        return descriptors;
    }

    public async Task<IReadOnlyList<string>> ConsumersAsync(string definitionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var consumers = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { definitionId };
        var pending = new Queue<string>([definitionId]);
        while (pending.TryDequeue(out var used) && seen.Count <= MaxFlowsFollowed)
        {
            // Only versions naming the flow can use it; each is read to make sure a node uses it as an activity.
            var candidates = await db.Set<WorkflowDefinitionRecord>().AsNoTracking()
                .Where(d => d.IsLatest && d.Json.Contains(used) && d.DefinitionId != used)
                .OrderBy(d => d.DefinitionId)
                .Take(MaxFlowsFollowed)
                .ToListAsync(cancellationToken);
            foreach (var candidate in candidates.Where(c => !seen.Contains(c.DefinitionId)))
            {
                if (JsonNode.Parse(candidate.Json) is JsonObject model && Uses(candidate, model, used))
                {
                    seen.Add(candidate.DefinitionId);
                    consumers.Add(candidate.DefinitionId);
                    pending.Enqueue(candidate.DefinitionId);
                }
            }
        }

        return consumers;
    }

    public async Task<IReadOnlyList<WorkflowDefinitionSummary>> PublishedVersionsAsync(IReadOnlyCollection<string> definitionIds, CancellationToken cancellationToken = default)
    {
        var ids = definitionIds.Distinct(StringComparer.Ordinal).Take(MaxVersions).ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<WorkflowDefinitionRecord>().AsNoTracking()
            .Where(d => d.IsPublished && ids.Contains(d.DefinitionId))
            .Select(d => new WorkflowDefinitionSummary(d.Id, d.DefinitionId, d.Name, d.Description, d.Version, d.IsLatest, d.IsPublished, d.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    private bool Uses(WorkflowDefinitionRecord record, JsonObject model, string definitionId)
    {
        try
        {
            var flowchart = DefinitionReader.ToFlowchart(record.Id, record.DefinitionId, record.Version, model, registry);
            return DefinitionActivities.References(flowchart).Any(r => r.IsDefinitionActivity && r.DefinitionId == definitionId);
        }
        catch (Exception exception) when (exception is WorkflowDefinitionFormatException or InvalidOperationException or InvalidCastException)
        {
            return false;
        }
    }

    /// <summary>
    /// The problems of the flows <paramref name="model"/> starts, and the descriptors of the flows it uses as
    /// activities (for validating the nodes that use them).
    /// </summary>
    public async Task<(IReadOnlyList<ValidationError> Errors, IReadOnlyList<ActivityDescriptor> Descriptors)> CheckAsync(
        TContext db, string definitionId, JsonObject model, CancellationToken cancellationToken)
    {
        FlowchartDefinition flowchart;
        try
        {
            flowchart = DefinitionReader.ToFlowchart("validation", definitionId, 0, model, registry);
        }
        catch (Exception exception) when (exception is WorkflowDefinitionFormatException or InvalidOperationException or InvalidCastException)
        {
            return ([], []);
        }

        var errors = new List<ValidationError>();
        var descriptors = new List<ActivityDescriptor>();
        var selfName = DefinitionReader.Str(model, "name") is { Length: > 0 } n ? n : definitionId;
        var followed = 0;
        foreach (var reference in DefinitionActivities.References(flowchart))
        {
            var child = await ResolveAsync(db, reference, cancellationToken);
            if (reference.IsDefinitionActivity)
            {
                if (child is null)
                {
                    errors.Add(new ValidationError(reference.ActivityId, "workflowDefinitionId", $"The workflow '{reference.DefinitionId}' this activity runs does not exist."));
                    continue;
                }

                if (child.Version is null)
                {
                    errors.Add(new ValidationError(reference.ActivityId, "workflowDefinitionId", $"The workflow '{child.Name}' this activity runs is not published; publish it first."));
                    continue;
                }

                if (!DefinitionActivities.IsUsableAsActivity(child.Version.Model))
                {
                    errors.Add(new ValidationError(reference.ActivityId, "workflowDefinitionId",
                        $"The workflow '{child.Name}' (version {child.Version.Version}) is not usable as an activity; tick 'Usable as activity' in its settings and publish it."));
                    continue;
                }

                descriptors.Add(DefinitionActivities.Describe(child.Version));
            }

            if (child?.Version is null)
            {
                continue;
            }

            if (string.Equals(child.Version.DefinitionId, definitionId, StringComparison.Ordinal))
            {
                // A flow that starts itself is refused by the validator already (Execute/Dispatch Workflow).
                if (reference.IsDefinitionActivity)
                {
                    errors.Add(new ValidationError(reference.ActivityId, "workflowDefinitionId", $"The flow uses itself as an activity: {selfName} → {selfName}; it would never end."));
                }

                continue;
            }

            var chain = await FindChainBackAsync(db, definitionId, child, new HashSet<string>(StringComparer.Ordinal), () => ++followed, cancellationToken);
            if (chain is not null)
            {
                errors.Add(new ValidationError(reference.ActivityId, "workflowDefinitionId",
                    $"The flows call each other in a cycle: {selfName} → {string.Join(" → ", chain)} → {selfName}; a flow cannot run itself, directly or through others."));
            }
        }

        return (errors, descriptors);
    }

    /// <summary>The names of the flows from <paramref name="child"/> on that lead back to <paramref name="definitionId"/>, or null.</summary>
    private async Task<List<string>?> FindChainBackAsync(TContext db, string definitionId, ResolvedChild child, HashSet<string> visited, Func<int> follow, CancellationToken cancellationToken)
    {
        var version = child.Version!;
        if (!visited.Add(version.Id) || follow() > MaxFlowsFollowed)
        {
            return null;
        }

        FlowchartDefinition flowchart;
        try
        {
            flowchart = DefinitionReader.ToFlowchart(version.Id, version.DefinitionId, version.Version, version.Model, registry);
        }
        catch (Exception exception) when (exception is WorkflowDefinitionFormatException or InvalidOperationException or InvalidCastException)
        {
            return null;
        }

        foreach (var reference in DefinitionActivities.References(flowchart))
        {
            if (string.Equals(reference.DefinitionId, definitionId, StringComparison.Ordinal))
            {
                return [child.Name];
            }

            if (await ResolveAsync(db, reference, cancellationToken) is { Version: not null } next
                && await FindChainBackAsync(db, definitionId, next, visited, follow, cancellationToken) is { } rest)
            {
                return [child.Name, .. rest];
            }
        }

        return null;
    }

    /// <summary>The flow a reference names and the version it would run (null when it has no published version); null when the flow does not exist.</summary>
    private static async Task<ResolvedChild?> ResolveAsync(TContext db, DefinitionActivityReference reference, CancellationToken cancellationToken)
    {
        var set = db.Set<WorkflowDefinitionRecord>().AsNoTracking();
        var versions = await set.Where(d => d.DefinitionId == reference.DefinitionId)
            .Select(d => new DefinitionVersionRow(d.Id, d.Version, d.IsPublished, d.Name))
            .ToListAsync(cancellationToken);
        if (versions.Count == 0)
        {
            return null;
        }

        var name = (versions.FirstOrDefault(v => v.IsPublished) ?? versions.MaxBy(v => v.Version))!.Name ?? reference.DefinitionId;
        if (DefinitionActivities.Choose(versions, reference) is not { } chosen)
        {
            return new ResolvedChild(name, null);
        }

        var row = await set.FirstAsync(d => d.Id == chosen.Id, cancellationToken);
        var model = JsonNode.Parse(row.Json) as JsonObject ?? [];
        return new ResolvedChild(name, new DefinitionActivityVersion(row.Id, row.DefinitionId, row.Name, row.Description, row.Version, row.IsPublished, model));
    }

    private sealed record ResolvedChild(string Name, DefinitionActivityVersion? Version);
}
