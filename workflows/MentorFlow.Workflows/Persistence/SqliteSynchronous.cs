namespace MentorFlow.Workflows.Persistence;

/// <summary>How SQLite (in WAL mode) waits for the disk at commit.</summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// <c>PRAGMA synchronous=NORMAL</c>: no fsync per commit. A process crash loses nothing committed, but a power loss
    /// may roll back the last commits, e.g. a mail's "sent" mark, so the mail is queued and sent again.
    /// </summary>
    Normal,

    /// <summary><c>PRAGMA synchronous=FULL</c>: every commit is on disk (the WAL is synced) before it returns.</summary>
    Full,
}
