namespace MentorFlow.Workflows.Runtime;

/// <summary>Operations the hosted services (and tests) drive: recovery and timers.</summary>
public interface IWorkflowEngineMaintenance
{
    /// <summary>Runs instances whose executor died (expired lease with pending work) and queued commands nobody is handling.</summary>
    Task<int> RecoverAsync(CancellationToken cancellationToken = default);

    /// <summary>Fires every timer due at or before the clock's now; returns how many resumed.</summary>
    Task<int> FireDueTimersAsync(CancellationToken cancellationToken = default);

    /// <summary>Fires one timer if it is (still) due; exactly one replica's firing resumes it.</summary>
    Task<bool> FireTimerAsync(string bookmarkId, CancellationToken cancellationToken = default);

    /// <summary>Timer bookmarks due before <paramref name="until"/> (for the scheduler to load).</summary>
    Task<IReadOnlyList<(string Id, string InstanceId, DateTimeOffset DueAt)>> ListTimersDueBeforeAsync(DateTimeOffset until, int max, CancellationToken cancellationToken = default);
}
