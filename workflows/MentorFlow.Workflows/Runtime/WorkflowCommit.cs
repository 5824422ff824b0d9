namespace MentorFlow.Workflows.Runtime;

/// <summary>A committed burst: told to every <see cref="IWorkflowCommitListener"/> after the transaction commits.</summary>
public sealed record WorkflowCommit(
    string InstanceId,
    string DefinitionId,
    WorkflowStatus Status,
    WorkflowSubStatus SubStatus,
    IReadOnlyList<object> EnlistedEntities)
{
    /// <summary>The instance waiting for this one (Execute Workflow), when it has ended and one waits.</summary>
    public string? ParentInstanceId { get; init; }

    /// <summary>What the burst's activities handed over with <c>ActivityExecutionContext.AfterCommit</c> (e.g. an HTTP response).</summary>
    public IReadOnlyList<object> Notes { get; init; } = [];
}
