using System.Text.Json;
using System.Text.Json.Serialization;
using MentorFlow.Testing.Server.Workflows;

namespace MentorFlow.Testing.Server.Peers;

/// <summary>
/// One engine's run of the peers' 10-step linear flow: instances started, finished, steps executed and wall time.
/// <see cref="Engine"/> is <see cref="PeersRunResult.Ours"/> or <see cref="PeersRunResult.WorkflowCore"/>.
/// </summary>
public sealed record LinearFigures(string Engine, int Instances, int Finished, long Steps, int StepsPerInstance, TimeSpan Elapsed)
{
    public double ExecutionsPerSecond => (double)Instances * StepsPerInstance / Elapsed.TotalSeconds;

    /// <summary>Empty when every instance finished and every step ran exactly once.</summary>
    public IEnumerable<string> Failures()
    {
        if (Finished != Instances || Steps != (long)Instances * StepsPerInstance)
        {
            yield return $"{Engine}: {Finished:N0} of {Instances:N0} instances finished, {Steps:N0} of {(long)Instances * StepsPerInstance:N0} steps ran";
        }
    }
}

/// <summary>What SQLite the benchmark's process runs on: the native libraries mapped into it and the SQLitePCLRaw assemblies loaded.</summary>
public sealed record SqliteFigures(IReadOnlyList<string> NativeLibraries, IReadOnlyList<string> PclRawAssemblies, IReadOnlyList<string> PclRawVersions, string Version)
{
    /// <summary>Empty when one native SQLite and one SQLitePCLRaw version are loaded.</summary>
    public IEnumerable<string> Failures()
    {
        if (NativeLibraries.Count > 1 || PclRawVersions.Count > 1)
        {
            yield return $"more than one native SQLite or SQLitePCLRaw version is loaded in this process: {string.Join(", ", NativeLibraries)}; {string.Join(", ", PclRawAssemblies)}";
        }
    }
}

/// <summary>
/// The <c>peers</c> benchmark's run (tests/MentorFlow.Benchmarks, which alone references WorkflowCore and Hangfire):
/// the linear flow on both engines per instance count, the delayed items on our timers and on Hangfire, and the SQLite
/// loaded. <see cref="Failures"/> are the outcomes the benchmark exits 1 on; <c>--json FILE</c> writes this record
/// (<see cref="Write"/>), which <c>tests/MentorFlow.EndToEnd/PeersFiguresTests</c> reads back (<see cref="Read"/>).
/// </summary>
public sealed record PeersRunResult(IReadOnlyList<LinearFigures> Linear, TimerFigures? OurTimers, TimerFigures? HangfireTimers, SqliteFigures? Sqlite)
{
    public const string Ours = "MentorFlow";

    public const string WorkflowCore = "WorkflowCore";

    // NaN lags (no item fired) must survive the round trip.
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// Wrong outcomes: an instance or step missing on either engine, one of our timers lost or fired twice, two SQLites
    /// in the process. Hangfire's own losses are a peer's figure, not a failure of the run.
    /// </summary>
    public IReadOnlyList<string> Failures =>
    [
        .. Linear.SelectMany(l => l.Failures()),
        .. OurTimers is { } timers && (timers.Duplicates > 0 || timers.Missing > 0)
            ? [$"{Ours} timers: {timers.Fired:N0} of {timers.Count:N0} fired, {timers.Duplicates:N0} twice, {timers.Missing:N0} missing"]
            : Array.Empty<string>(),
        .. Sqlite?.Failures() ?? [],
    ];

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static PeersRunResult Read(string path) =>
        JsonSerializer.Deserialize<PeersRunResult>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} holds no peers result");
}
