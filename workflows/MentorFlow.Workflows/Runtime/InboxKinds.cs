namespace MentorFlow.Workflows.Runtime;

/// <summary>The kinds of command an instance's inbox (<c>wf_inbox.kind</c>) holds, as stored.</summary>
internal static class InboxKinds
{
    /// <summary>Resume one bookmark (a signal that found it, or a timer whose instance was held elsewhere).</summary>
    public const string Resume = "Resume";

    /// <summary>A signal for an instance that was mid-burst: resumes every bookmark it matches once applied.</summary>
    public const string Signal = "Signal";

    /// <summary>Cancel the instance.</summary>
    public const string Cancel = "Cancel";

    /// <summary>Retry the incident named by the command (its id in <c>name</c>).</summary>
    public const string Retry = "Retry";
}
