namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// Tells this replica's timer scheduler, once it is attached as <see cref="Sink"/>, about timers committed or removed
/// here, so a new timer is scheduled at once instead of at the next sweep.
/// </summary>
internal sealed class TimerNotifications
{
    public ITimerSink? Sink { get; set; }

    public void Removed(IEnumerable<string> bookmarkIds)
    {
        if (Sink is not { } sink)
        {
            return;
        }

        foreach (var id in bookmarkIds)
        {
            sink.Removed(id);
        }
    }

    /// <summary>After a burst's commit: its removed bookmarks unscheduled, its new timers scheduled (unless it ended).</summary>
    public void Committed(string instanceId, BurstContext burst, bool ended)
    {
        if (Sink is not { } sink)
        {
            return;
        }

        foreach (var id in burst.RemovedBookmarkIds)
        {
            sink.Removed(id);
        }

        if (ended)
        {
            return;
        }

        foreach (var bookmark in burst.AddedBookmarks)
        {
            if (bookmark.DueAt is { } due)
            {
                sink.Scheduled(bookmark.Id, instanceId, due);
            }
        }
    }
}
