namespace MentorFlow.Workflows.Runtime;

/// <summary>Elsa's <c>WorkflowSubStatus</c>.</summary>
public enum WorkflowSubStatus
{
    Pending,
    Executing,
    Suspended,
    Finished,
    Cancelled,
    Faulted,
}
