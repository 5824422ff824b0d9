using MentorFlow.Workflows.Activities;

namespace MentorFlow.Workflows.Runtime;

/// <summary>Starts a child instance from an activity (see <see cref="ChildWorkflows{TContext}"/>).</summary>
internal interface IChildWorkflows
{
    /// <summary>
    /// Adds a new instance of the published version of <paramref name="definitionId"/> to the parent's burst; with
    /// <paramref name="wait"/> the parent activity gets a bookmark the child resumes when it ends.
    /// </summary>
    Task<ChildInstance> CreateAsync(ActivityExecutionContext parent, string definitionId, IReadOnlyDictionary<string, object?>? input, string? correlationId, bool wait);
}

internal sealed record ChildInstance(string InstanceId, string DefinitionId, int Version);

internal static class ChildWorkflowNames
{
    public const string CompletedBookmark = "WorkflowCompleted";
}
