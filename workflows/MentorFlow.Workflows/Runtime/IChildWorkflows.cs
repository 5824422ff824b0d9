using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Persistence;

namespace MentorFlow.Workflows.Runtime;

/// <summary>Starts a child instance from an activity (see <see cref="ChildWorkflows{TContext}"/>).</summary>
internal interface IChildWorkflows
{
    /// <summary>
    /// Adds a new instance of the published version of <paramref name="definitionId"/> to the parent's burst; with
    /// <paramref name="wait"/> the parent activity gets a bookmark the child resumes when it ends.
    /// </summary>
    Task<ChildInstance> CreateAsync(ActivityExecutionContext parent, string definitionId, IReadOnlyDictionary<string, object?>? input, string? correlationId, bool wait);

    /// <summary>
    /// The version a node using a flow as an activity runs: the one it pins (by version id, else number) while the
    /// flow has a published version; the published one when the pinned version no longer exists. Throws
    /// <see cref="ActivityInputException"/> naming the flow when it is gone or has no published version (retracted).
    /// </summary>
    Task<WorkflowDefinitionRecord> FindPinnedAsync(ActivityExecutionContext parent, string definitionId, string? versionId, int version);

    /// <summary>Adds a new instance of <paramref name="definition"/> (that exact version) to the parent's burst; see the other overload.</summary>
    ChildInstance Create(ActivityExecutionContext parent, WorkflowDefinitionRecord definition, IReadOnlyDictionary<string, object?>? input, string? correlationId, bool wait);
}

internal sealed record ChildInstance(string InstanceId, string DefinitionId, int Version);

internal static class ChildWorkflowNames
{
    public const string CompletedBookmark = "WorkflowCompleted";
}
