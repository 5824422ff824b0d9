namespace MentorFlow.Testing.Server.Workflows;

/// <summary>The parts of <see cref="WorkflowMeasures.RunAsync"/>.</summary>
public enum WorkflowPart
{
    Memory,
    Persisted,
    Timers,
    History,
}

/// <summary>What <see cref="WorkflowMeasures.RunAsync"/> runs, and at which size: <see cref="Full"/> or <see cref="Smoke"/>.</summary>
public sealed record WorkflowRunOptions
{
    /// <summary>The full run: 200,000 in-memory executions, 1,000 instances, 10,000 timers within 60 s, 100,000 instances of history.</summary>
    public static WorkflowRunOptions Full { get; } = new();

    /// <summary>Every part in seconds: 200 timers due within 5 s, the first 3 s after the start.</summary>
    public static WorkflowRunOptions Smoke { get; } = new()
    {
        MemoryExecutions = 2_000,
        PersistedInstances = 50,
        Timers = 200,
        TimerWindow = TimeSpan.FromSeconds(5),
        TimerLead = WorkflowMeasures.SmokeLead,
        HistoryInstances = 5_000,
        HistoryVersions = 20,
        HistorySamples = 30,
    };

    /// <summary>The parts to run, in this order; all by default.</summary>
    public IReadOnlyList<WorkflowPart> Parts { get; init; } = Enum.GetValues<WorkflowPart>();

    public WorkflowEngineSettings Engine { get; init; } = new();

    /// <summary>Activity executions of the in-memory loop (two per item).</summary>
    public int MemoryExecutions { get; init; } = 200_000;

    /// <summary>Instances of the 10-activity flow started by one caller, and as many again by four.</summary>
    public int PersistedInstances { get; init; } = 1_000;

    public int Timers { get; init; } = 10_000;

    /// <summary>The timers are due evenly within this window.</summary>
    public TimeSpan TimerWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>From the start of the timer part to the first due time (the schedule is seeded meanwhile).</summary>
    public TimeSpan TimerLead { get; init; } = WorkflowMeasures.TimerLead;

    /// <summary>Instances written straight into the tables before start latency is measured (one in ten waiting).</summary>
    public int HistoryInstances { get; init; } = 100_000;

    /// <summary>Versions of the history flow published before start latency is measured.</summary>
    public int HistoryVersions { get; init; } = 200;

    /// <summary>Starts measured on each database (after 10 to warm up).</summary>
    public int HistorySamples { get; init; } = 200;
}

/// <summary>The in-memory loop: the executor alone, no store.</summary>
public sealed record InMemoryFigures(int Requested, int Executions, bool Finished, TimeSpan Elapsed)
{
    public double ExecutionsPerSecond => Executions / Elapsed.TotalSeconds;
}

/// <summary>
/// The 10-activity flow on SQLite: <see cref="Instances"/> started by one caller, then as many by four at once (after
/// one to warm up); how many of the starts ran to their end, and how many finished instances the engine then lists.
/// </summary>
public sealed record PersistedFigures(int Instances, TimeSpan Sequential, TimeSpan Parallel, int StartsFinished, long InstancesListedFinished)
{
    public const int Activities = 10;

    public double SequentialPerSecond => Instances / Sequential.TotalSeconds;
    public double ParallelPerSecond => Instances / Parallel.TotalSeconds;
}

/// <summary>Fire lags (actual − due, ms) of a timer run, exactly-once counts included.</summary>
public sealed record TimerFigures(int Count, TimeSpan Window, double P50, double P99, double Max, double Min, int Fired, int Duplicates, int Early)
{
    public int Missing => Count - Fired;

    /// <summary>Figures from the lags recorded per item (one list per item that fired; two entries = a duplicate).</summary>
    public static TimerFigures From(int count, TimeSpan window, IReadOnlyCollection<IReadOnlyList<double>> perItem)
    {
        ArgumentNullException.ThrowIfNull(perItem);
        var lags = perItem.SelectMany(l => l).Order().ToArray();
        double At(double q) => lags.Length == 0 ? double.NaN : lags[Math.Min(lags.Length - 1, (int)(lags.Length * q))];
        return new TimerFigures(count, window, At(0.5), At(0.99), lags.Length == 0 ? double.NaN : lags[^1], lags.Length == 0 ? double.NaN : lags[0],
            perItem.Count, perItem.Count(l => l.Count > 1), lags.Count(l => l < 0));
    }
}

/// <summary>
/// What the history seeding wrote (straight into the tables) and what the engine then lists of it, and the median
/// start-to-first-wait of the history flow on an empty database and on the seeded one.
/// </summary>
public sealed record HistoryFigures(
    int Instances, int Versions, int Samples, HistoryRows Seeded, long ListedSeeded, long ListedSeededWaiting,
    int SamplesWaiting, double EmptyMedianMs, double LoadedMedianMs)
{
    /// <summary>Instances the seeding writes waiting on <c>Reply</c> (one in ten, the first included).</summary>
    public int ExpectedWaiting => (Instances + 9) / 10;

    public double Change => (LoadedMedianMs - EmptyMedianMs) / EmptyMedianMs;
}

/// <summary>Rows in the engine's tables.</summary>
public sealed record HistoryRows(long Instances, long Journal, long Bookmarks);

/// <summary>One run of <see cref="WorkflowMeasures.RunAsync"/>: each part that ran, and what it got wrong.</summary>
public sealed record WorkflowRunResult(InMemoryFigures? Memory, PersistedFigures? Persisted, TimerFigures? Timers, HistoryFigures? History)
{
    /// <summary>Outcomes that are wrong whatever the speed (timing targets are the benchmark's to judge, not these).</summary>
    public IReadOnlyList<string> Failures
    {
        get
        {
            var failures = new List<string>();
            if (Memory is { } memory && (!memory.Finished || memory.Executions < memory.Requested))
            {
                failures.Add($"in memory: {memory.Executions} executions of {memory.Requested}, finished: {memory.Finished}");
            }

            if (Persisted is { } persisted && (persisted.StartsFinished != 2 * persisted.Instances || persisted.InstancesListedFinished != (2 * persisted.Instances) + 1))
            {
                failures.Add($"persisted: {persisted.StartsFinished} of {2 * persisted.Instances} starts finished, {persisted.InstancesListedFinished} finished instances listed (expected {(2 * persisted.Instances) + 1})");
            }

            if (Timers is { } timers && (timers.Duplicates > 0 || timers.Missing != 0 || timers.Min <= -1))
            {
                failures.Add($"timers: {timers.Fired} of {timers.Count} fired, {timers.Duplicates} twice, earliest lag {timers.Min:N1} ms");
            }

            if (History is { } history)
            {
                var expected = new HistoryRows(history.Instances, history.Instances, history.ExpectedWaiting);
                if (history.Seeded != expected || history.ListedSeeded != history.Instances || history.ListedSeededWaiting != history.ExpectedWaiting)
                {
                    failures.Add($"history: seeded {history.Seeded} (expected {expected}); the engine lists {history.ListedSeeded} seeded instances, {history.ListedSeededWaiting} waiting");
                }

                if (history.SamplesWaiting != 2 * history.Samples)
                {
                    failures.Add($"history: {history.SamplesWaiting} of {2 * history.Samples} measured starts waited on Reply");
                }
            }

            return failures;
        }
    }
}
