using System.Globalization;
using MentorFlow.Testing.Server.Workflows;
using MentorFlow.Workflows.Persistence;

namespace MentorFlow.Benchmarks;

/// <summary>
/// The workflow engine's figures (<see cref="WorkflowMeasures"/>): in-memory executor throughput, persisted throughput
/// on SQLite, 10,000 timers due in one minute (fire lag and exactly-once), and start-to-first-wait latency with a large
/// history. <c>--smoke</c> runs every part in seconds with small counts; <c>--part memory|persisted|timers|history</c>
/// runs one. Exit code 1 when an outcome is wrong (an execution, instance or seeded row missing, a timer lost or fired twice).
/// </summary>
public static class WorkflowBenchmark
{
    /// <summary>The options <see cref="RunAsync"/> reads; the runner refuses any other.</summary>
    public static IReadOnlyList<string> Options { get; } = ["--smoke", "--part", "--sqlite-synchronous", "--timer-threads", "--timers"];

    public static async Task RunAsync(string[] args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var smoke = args.Contains("--smoke");
        var options = smoke ? WorkflowRunOptions.Smoke : WorkflowRunOptions.Full;
        options = options with
        {
            Engine = new WorkflowEngineSettings
            {
                TimerThreads = Arg("--timer-threads") is { } threads ? int.Parse(threads, CultureInfo.InvariantCulture) : 4,
                Synchronous = Arg("--sqlite-synchronous") is { } synchronous ? Enum.Parse<SqliteSynchronous>(synchronous, ignoreCase: true) : SqliteSynchronous.Full,
            },
            Parts = Arg("--part") is { } part ? [Enum.Parse<WorkflowPart>(part, ignoreCase: true)] : options.Parts,
        };
        if (Arg("--timers") is { } timers)
        {
            var count = int.Parse(timers, CultureInfo.InvariantCulture);
            options = options with { Timers = count, TimerWindow = smoke ? options.TimerWindow : TimeSpan.FromSeconds(60.0 * count / 10_000) };
        }

        var result = await WorkflowMeasures.RunAsync(options);
        var rows = Rows(result, options.Engine.Synchronous).ToList();
        Console.WriteLine();
        Console.WriteLine($"| {"measure",-58} | {"value",-22} | {"target",-18} |");
        Console.WriteLine($"|{new string('-', 60)}|{new string('-', 24)}|{new string('-', 20)}|");
        foreach (var (measure, value, target) in rows)
        {
            Console.WriteLine($"| {measure,-58} | {value,-22} | {target,-18} |");
        }

        BenchmarkOutcomes.Report(result.Failures);
    }

    internal static string F(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);

    private static IEnumerable<(string Measure, string Value, string Target)> Rows(WorkflowRunResult result, SqliteSynchronous synchronous)
    {
        if (result.Memory is { } memory)
        {
            yield return ($"in-memory executor: {F(memory.Executions)} activity executions", $"{F(memory.ExecutionsPerSecond)} exec/s", ">= 2,000 exec/s");
        }

        if (result.Persisted is { } persisted)
        {
            const int activities = PersistedFigures.Activities;
            yield return ($"SQLite (synchronous={synchronous}): {activities}-activity flow, {F(persisted.Instances)} instances, 1 caller", $"{F(persisted.SequentialPerSecond, "N1")} inst/s = {F(persisted.SequentialPerSecond * activities)} exec/s", ">= 500 exec/s");
            yield return ($"SQLite (synchronous={synchronous}): {activities}-activity flow, {F(persisted.Instances)} instances, 4 callers", $"{F(persisted.ParallelPerSecond, "N1")} inst/s = {F(persisted.ParallelPerSecond * activities)} exec/s", ">= 500 exec/s");
        }

        if (result.Timers is { } timers)
        {
            yield return ($"timers: {F(timers.Count)} due within {F(timers.Window.TotalSeconds)} s, fire lag p50 / p99 / max", $"{F(timers.P50)} / {F(timers.P99)} / {F(timers.Max)} ms", "p99 < 1,000 ms");
            yield return ("timers: fired / duplicates / missing", $"{F(timers.Fired)} / {F(timers.Duplicates)} / {F(timers.Missing)}", $"{F(timers.Count)} / 0 / 0");
        }

        if (result.History is { } history)
        {
            var change = history.Change * 100;
            yield return ("start-to-first-wait, empty database (median)", $"{F(history.EmptyMedianMs, "N2")} ms", "");
            yield return ($"start-to-first-wait, {F(history.Instances)} instances + {F(history.Versions)} versions", $"{F(history.LoadedMedianMs, "N2")} ms ({(change >= 0 ? "+" : "")}{F(change)}%)", "within 20% of empty");
        }
    }
}
