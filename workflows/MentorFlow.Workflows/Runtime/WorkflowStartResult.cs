namespace MentorFlow.Workflows.Runtime;

/// <summary>What <see cref="IWorkflowRuntime.StartAsync"/> returns once the first burst has committed.</summary>
public sealed record WorkflowStartResult(string InstanceId, WorkflowStatus Status, WorkflowSubStatus SubStatus);
