namespace MentorFlow.Testing.Server.Crash;

/// <summary>Which database the children share.</summary>
public enum CrashProvider
{
    /// <summary>One SQLite file, one child process.</summary>
    Sqlite,

    /// <summary>One PostgreSQL database, two child processes (replicas) on it.</summary>
    Postgres,
}

/// <summary>What the crash harness runs: the provider, how many kills, the seed, and the size of the programme.</summary>
public sealed record CrashOptions
{
    public CrashProvider Provider { get; init; } = CrashProvider.Sqlite;

    /// <summary>SIGKILLs spread over the scenario's steps (each at a random delay into its step).</summary>
    public int Kills { get; init; } = 30;

    /// <summary>Seed of the kill plan (which step, how long into it, which replica).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Mentors (capacity 3 each); the programme has three mentees per mentor.</summary>
    public int Mentors { get; init; } = 4;

    /// <summary>Longest delay of a kill after its step starts (or after the child it kills became ready).</summary>
    public TimeSpan MaxKillDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>PostgreSQL admin connection string (a throwaway database is created on it and dropped after).</summary>
    public string? PostgresAdmin { get; init; }

    /// <summary>Child processes on the one database: 1 on SQLite, 2 on PostgreSQL.</summary>
    public int Replicas => Provider == CrashProvider.Postgres ? 2 : 1;

    /// <summary>The longest the whole run may take before it stops as a failure.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);
}
