using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// Flows that start flows (Elsa's Execute Workflow and Dispatch Workflow). The child's instance row is enlisted in the
/// parent's burst, so it exists exactly when the parent's step is committed; after the commit the child runs at once
/// (or recovery runs it). A child a parent waits for carries the parent's bookmark: its final commit queues the
/// parent's resume in the same transaction, and the parent then runs.
/// </summary>
internal sealed class ChildWorkflows<TContext>(
    IDbContextFactory<TContext> dbFactory,
    WorkflowStarter<TContext> starter,
    WorkflowExecutor<TContext> executor,
    IOptions<WorkflowEngineOptions> options) : IChildWorkflows, IWorkflowCommitListener
    where TContext : DbContext
{
    public async Task<ChildInstance> CreateAsync(ActivityExecutionContext parent, string definitionId, IReadOnlyDictionary<string, object?>? input, string? correlationId, bool wait)
    {
        CheckDepth(parent);
        WorkflowDefinitionRecord? definition;
        await using (var db = await dbFactory.CreateDbContextAsync(parent.CancellationToken))
        {
            definition = await WorkflowDefinitionService<TContext>
                .QueryVersion(db.Set<WorkflowDefinitionRecord>().AsNoTracking(), definitionId, VersionOptions.Published)
                .FirstOrDefaultAsync(parent.CancellationToken);
        }

        if (definition is null)
        {
            throw new ActivityInputException(parent.ActivityId, "workflowDefinitionId", $"workflow definition '{definitionId}' has no published version.");
        }

        return Create(parent, definition, input, correlationId, wait);
    }

    public async Task<WorkflowDefinitionRecord> FindPinnedAsync(ActivityExecutionContext parent, string definitionId, string? versionId, int version)
    {
        CheckDepth(parent);
        await using var db = await dbFactory.CreateDbContextAsync(parent.CancellationToken);
        var set = db.Set<WorkflowDefinitionRecord>().AsNoTracking();
        var versions = await set.Where(d => d.DefinitionId == definitionId)
            .Select(d => new DefinitionVersionRow(d.Id, d.Version, d.IsPublished, d.Name))
            .ToListAsync(parent.CancellationToken);
        var chosen = DefinitionActivities.Choose(versions, new DefinitionActivityReference(parent.ActivityId, definitionId, versionId, version));
        if (chosen is null)
        {
            var name = versions.MaxBy(v => v.Version)?.Name;
            throw new ActivityInputException(parent.ActivityId, "workflowDefinitionId", versions.Count == 0
                ? $"the workflow '{definitionId}' this activity runs no longer exists."
                : $"the workflow '{name ?? definitionId}' ({definitionId}) this activity runs has no published version (it was retracted); publish it again, then retry the incident.");
        }

        return await set.FirstAsync(d => d.Id == chosen.Id, parent.CancellationToken);
    }

    public ChildInstance Create(ActivityExecutionContext parent, WorkflowDefinitionRecord definition, IReadOnlyDictionary<string, object?>? input, string? correlationId, bool wait)
    {
        var depth = CheckDepth(parent);
        var (record, state, _) = starter.NewInstance(definition, input, correlationId, leaseOwner: null);
        state.Depth = depth;
        if (wait)
        {
            var bookmark = parent.CreateBookmark(ChildWorkflowNames.CompletedBookmark, correlationId: record.Id);
            state.Parent = new ParentLink { InstanceId = parent.WorkflowInstanceId, BookmarkId = bookmark.Id };
        }

        record.State = state.Serialize(options.Value.MaxStateBytes);
        parent.Enlist(record);
        return new ChildInstance(record.Id, definition.DefinitionId, definition.Version);
    }

    /// <summary>The depth of a child of <paramref name="parent"/>; refused over <c>Workflows:MaxWorkflowNesting</c>.</summary>
    private int CheckDepth(ActivityExecutionContext parent)
    {
        var depth = parent.Burst.State.Depth + 1;
        if (depth > options.Value.MaxWorkflowNesting)
        {
            throw new ActivityInputException(parent.ActivityId, "workflowDefinitionId",
                $"flows are already nested {parent.Burst.State.Depth} deep; Workflows:MaxWorkflowNesting ({options.Value.MaxWorkflowNesting}) allows no deeper child (does the flow run itself?).");
        }

        return depth;
    }

    public async ValueTask OnCommittedAsync(WorkflowCommit commit, CancellationToken cancellationToken)
    {
        foreach (var child in commit.EnlistedEntities.OfType<WorkflowInstanceRecord>())
        {
            await executor.TryDrainAsync(child.Id, cancellationToken);
        }

        if (commit.ParentInstanceId is { } parent)
        {
            await executor.TryDrainAsync(parent, cancellationToken);
        }
    }
}
