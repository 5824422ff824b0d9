namespace MentorFlow.Workflows.Runtime;

/// <summary>Journal event names (Elsa's execution log event names).</summary>
/// <summary>Workflow input names with a meaning to MentorFlow.</summary>
public static class WorkflowInputKeys
{
    /// <summary>
    /// Set (<c>true</c>) on runs started from the designer: activities with outside effects route them to the
    /// sandbox (e.g. Graph mail and invites go to the embedded Graph sandbox even in Tenant mode).
    /// </summary>
    public const string TestRun = "mentorflowTestRun";
}
