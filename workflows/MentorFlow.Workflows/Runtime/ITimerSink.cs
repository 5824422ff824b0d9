namespace MentorFlow.Workflows.Runtime;

/// <summary>Receives timer bookmarks committed or removed by this replica (the Quartz scheduler).</summary>
internal interface ITimerSink
{
    void Scheduled(string bookmarkId, string instanceId, DateTimeOffset dueAt);

    void Removed(string bookmarkId);
}
