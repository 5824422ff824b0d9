namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// The instances that starts and signals enlisted in a caller's unit of work are for: run them with
/// <see cref="IWorkflowEnlistment.RunAsync"/> once that unit of work has committed.
/// </summary>
public sealed record EnlistedWorkflowWork(IReadOnlyList<string> InstanceIds)
{
    public static readonly EnlistedWorkflowWork None = new([]);

    public EnlistedWorkflowWork Add(EnlistedWorkflowWork other) =>
        other.InstanceIds.Count == 0 ? this : new([.. InstanceIds.Concat(other.InstanceIds).Distinct(StringComparer.Ordinal)]);
}
