namespace MentorFlow.Workflows.Runtime;

public static class JournalEvents
{
    /// <summary>A nested flowchart started (it completes when its activities are done).</summary>
    public const string Started = "Started";

    /// <summary>The activity ran and completed.</summary>
    public const string Completed = "Completed";

    /// <summary>The activity ran and now waits on bookmarks.</summary>
    public const string Suspended = "Suspended";

    /// <summary>The activity was resumed from a bookmark and completed.</summary>
    public const string Resumed = "Resumed";

    public const string Faulted = "Faulted";
    public const string Cancelled = "Canceled";
}
