namespace MentorFlow.Workflows.Runtime;

/// <summary>Elsa's <c>WorkflowStatus</c>.</summary>
public enum WorkflowStatus
{
    Running,
    Finished,
}
