using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Hangfire;
using Hangfire.Storage.SQLite;
using MentorFlow.Testing.Server.Peers;
using MentorFlow.Testing.Server.Workflows;
using MentorFlow.Workflows;
using MentorFlow.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowCore.Interface;
using WorkflowCore.Models;
using WorkflowCore.Models.LifeCycleEvents;
using static MentorFlow.Benchmarks.WorkflowBenchmark;
using static MentorFlow.Testing.Server.Workflows.WorkflowFlowModels;

namespace MentorFlow.Benchmarks;

/// <summary>
/// MentorFlow beside its peers, in one run and on the same machine: the same 10-step linear flow on our engine (in
/// memory, the executor alone as <c>workflows --part memory</c>) and on WorkflowCore (in-memory persistence), and the
/// same delayed items on our timers (<c>workflows --part timers</c>) and on Hangfire (SQLite storage). Exit code 1 on a
/// wrong outcome (<see cref="PeersRunResult.Failures"/>); <c>--json FILE</c> writes the run's <see cref="PeersRunResult"/>.
/// </summary>
public static class PeersBenchmark
{
    private const int Steps = 10;

    /// <summary>The options <see cref="RunAsync"/> reads; the runner refuses any other.</summary>
    public static IReadOnlyList<string> Options { get; } = ["--smoke", "--part", "--instances", "--timers", "--spread", "--lead-ms", "--json", "--wfc-poll-ms", "--wfc-idle-ms", "--wfc-concurrency", "--hangfire-poll-ms", "--hangfire-queue-poll-ms", "--hangfire-workers"];

    public static async Task RunAsync(string[] args)
    {
        var smoke = args.Contains("--smoke");
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int IntArg(string name, int fallback) => Arg(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var part = Arg("--part");
        var instances = Arg("--instances") is { } list
            ? list.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray()
            : smoke ? [200] : [1_000, 10_000];
        var workflowCore = new WorkflowCoreSettings(
            TimeSpan.FromMilliseconds(IntArg("--wfc-poll-ms", 100)),
            TimeSpan.FromMilliseconds(IntArg("--wfc-idle-ms", 1)),
            IntArg("--wfc-concurrency", Math.Max(Environment.ProcessorCount, 4)));
        var timers = IntArg("--timers", smoke ? 200 : 10_000);
        var spread = TimeSpan.FromSeconds(IntArg("--spread", smoke ? 3 : (int)Math.Ceiling(60.0 * timers / 10_000)));
        var hangfire = new HangfireSettings(
            TimeSpan.FromMilliseconds(IntArg("--hangfire-poll-ms", 1_000)),
            TimeSpan.FromMilliseconds(IntArg("--hangfire-queue-poll-ms", 1_000)),
            IntArg("--hangfire-workers", 5));

        var rows = new List<Row>();
        var linear = new List<LinearFigures>();
        TimerFigures? ourTimers = null, theirTimers = null;
        if (part is null or "workflows")
        {
            Console.WriteLine($"WorkflowCore: in-memory persistence, poll interval {workflowCore.PollInterval.TotalMilliseconds} ms, idle time {workflowCore.IdleTime.TotalMilliseconds} ms, {workflowCore.MaxConcurrentWorkflows} concurrent workflows; MentorFlow: {Environment.ProcessorCount} instances at once");
            foreach (var count in instances)
            {
                var ours = await OursLinearAsync(count);
                var theirs = await WorkflowCoreLinearAsync(count, workflowCore);
                linear.AddRange([ours, theirs]);
                rows.Add(new Row($"10-step flow, {F(count)} instances: wall time first start → last completion", $"{F(ours.Elapsed.TotalSeconds, "N2")} s", $"{F(theirs.Elapsed.TotalSeconds, "N2")} s", Ratio(ours.Elapsed.TotalSeconds, theirs.Elapsed.TotalSeconds), ""));
                var ourRate = ours.ExecutionsPerSecond;
                var theirRate = theirs.ExecutionsPerSecond;
                rows.Add(new Row($"10-step flow, {F(count)} instances: executions/s", F(ourRate), F(theirRate), Ratio(ourRate, theirRate), count == instances.Max() ? ">= 5x" : ""));
            }
        }

        if (part is null or "timers")
        {
            Console.WriteLine($"Hangfire: SQLite storage, SchedulePollingInterval {hangfire.SchedulePollingInterval.TotalMilliseconds} ms, QueuePollInterval {hangfire.QueuePollInterval.TotalMilliseconds} ms, {hangfire.WorkerCount} workers");
            var lead = Arg("--lead-ms") is { } leadMs ? TimeSpan.FromMilliseconds(int.Parse(leadMs, CultureInfo.InvariantCulture)) : smoke ? WorkflowMeasures.SmokeLead : WorkflowMeasures.TimerLead;
            var ours = ourTimers = await WorkflowMeasures.MeasureTimersAsync(new WorkflowEngineSettings(), timers, spread, lead);
            var theirs = theirTimers = await HangfireTimersAsync(timers, spread, lead, hangfire);
            var what = $"{F(timers)} delayed items due within {F(spread.TotalSeconds)} s";
            rows.Add(new Row($"{what}: fire lag p50", $"{F(ours.P50)} ms", $"{F(theirs.P50)} ms", Ratio(ours.P50, theirs.P50), ""));
            rows.Add(new Row($"{what}: fire lag p99", $"{F(ours.P99)} ms", $"{F(theirs.P99)} ms", Ratio(ours.P99, theirs.P99), "<= 1x"));
            rows.Add(new Row($"{what}: fire lag max", $"{F(ours.Max)} ms", $"{F(theirs.Max)} ms", Ratio(ours.Max, theirs.Max), ""));
            rows.Add(new Row($"{what}: fired / duplicates / missing", $"{F(ours.Fired)} / {F(ours.Duplicates)} / {F(ours.Missing)}", $"{F(theirs.Fired)} / {F(theirs.Duplicates)} / {F(theirs.Missing)}", "", "0 dup, 0 missing"));
            rows.Add(new Row($"{what}: fired early (lag < 0)", F(ours.Early), F(theirs.Early), "", "0"));
        }

        Console.WriteLine();
        Console.WriteLine($"| {"measure",-72} | {"MentorFlow",-20} | {"peer",-20} | {"ours / theirs",-13} | {"target",-16} |");
        Console.WriteLine($"|{new string('-', 74)}|{new string('-', 22)}|{new string('-', 22)}|{new string('-', 15)}|{new string('-', 18)}|");
        foreach (var row in rows)
        {
            Console.WriteLine($"| {row.Measure,-72} | {row.Ours,-20} | {row.Theirs,-20} | {row.Ratio,-13} | {row.Target,-16} |");
        }

        Console.WriteLine();
        var result = new PeersRunResult(linear, ourTimers, theirTimers, NativeSqlite.Report());
        if (Arg("--json") is { } json)
        {
            result.Write(json);
        }

        BenchmarkOutcomes.Report(result.Failures);
    }

    private sealed record Row(string Measure, string Ours, string Theirs, string Ratio, string Target);

    private static string Ratio(double ours, double theirs) => theirs == 0 || double.IsNaN(ours) || double.IsNaN(theirs) ? "n/a" : F(ours / theirs, "N2") + "x";

    // ------------------------------------------------------------------ 10-step flow

    /// <summary>Ten <see cref="PeerStep"/> nodes in a line, the flow both engines run.</summary>
    private static JsonObject LinearFlow() => new()
    {
        ["name"] = "linear",
        ["root"] = Root(
            Enumerable.Range(1, Steps).Select(i => Node("s" + i.ToString(CultureInfo.InvariantCulture), "Bench.PeerStep")),
            Enumerable.Range(1, Steps - 1).Select(i => ("s" + i.ToString(CultureInfo.InvariantCulture), "Done", "s" + (i + 1).ToString(CultureInfo.InvariantCulture)))),
    };

    private static async Task<LinearFigures> OursLinearAsync(int count)
    {
        await using var bench = await WorkflowBenchHost.StartAsync(new WorkflowEngineSettings(), background: false, configure: s => s.AddActivity<PeerStep>());
        var definition = bench.ToFlowchart(LinearFlow());
        for (var i = 0; i < 20; i++)
        {
            await bench.RunInMemoryAsync(definition, "warm" + i.ToString(CultureInfo.InvariantCulture), "s1");
        }

        var finished = 0;
        Interlocked.Exchange(ref StepCounter.Value, 0);
        var watch = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, ct) =>
        {
            var run = await bench.RunInMemoryAsync(definition, "i" + i.ToString(CultureInfo.InvariantCulture), "s1", ct);
            if (run.Finished)
            {
                Interlocked.Increment(ref finished);
            }
        });
        watch.Stop();
        return Figures(PeersRunResult.Ours, count, finished, watch.Elapsed);
    }

    private static async Task<LinearFigures> WorkflowCoreLinearAsync(int count, WorkflowCoreSettings settings)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddWorkflow(o =>
        {
            o.UsePollInterval(settings.PollInterval);
            o.UseIdleTime(settings.IdleTime);
            o.UseMaxConcurrentWorkflows(settings.MaxConcurrentWorkflows);
        });
        await using var provider = services.BuildServiceProvider();
        var host = provider.GetRequiredService<IWorkflowHost>();
        host.RegisterWorkflow<LinearWorkflow, LinearData>();
        var completed = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = 0;
        host.OnLifeCycleEvent += e =>
        {
            if (e is WorkflowCompleted && Interlocked.Increment(ref completed) == Volatile.Read(ref target))
            {
                all.TrySetResult();
            }
        };
        await host.StartAsync(CancellationToken.None);
        try
        {
            Volatile.Write(ref target, 20);
            for (var i = 0; i < 20; i++)
            {
                await host.StartWorkflow<LinearData>(LinearWorkflow.Name);
            }

            await all.Task.WaitAsync(TimeSpan.FromMinutes(1));
            all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Exchange(ref StepCounter.Value, 0);
            Volatile.Write(ref target, 20 + count);
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                await host.StartWorkflow<LinearData>(LinearWorkflow.Name);
            }

            var done = await Task.WhenAny(all.Task, Task.Delay(TimeSpan.FromMinutes(10)));
            watch.Stop();
            return Figures(PeersRunResult.WorkflowCore, count, done == all.Task ? count : Volatile.Read(ref completed) - 20, watch.Elapsed);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The run with the steps counted; every instance must have run its 10 steps (<see cref="LinearFigures.Failures"/>).</summary>
    private static LinearFigures Figures(string engine, int count, int finished, TimeSpan elapsed) =>
        new(engine, count, finished, Interlocked.Read(ref StepCounter.Value), Steps, elapsed);

    private sealed record WorkflowCoreSettings(TimeSpan PollInterval, TimeSpan IdleTime, int MaxConcurrentWorkflows);

    /// <summary>Counts the steps both engines execute (the whole work of a step).</summary>
    internal static class StepCounter
    {
        public static long Value;
    }

    /// <summary>One step of the linear flow on our engine.</summary>
    [Activity("Bench", "Benchmark", "One step of the peers' linear flow.")]
    internal sealed class PeerStep : MentorFlow.Workflows.Activities.Activity
    {
        protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
        {
            Interlocked.Increment(ref StepCounter.Value);
            context.Complete();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>One step of the linear flow on WorkflowCore.</summary>
    public sealed class LinearStep : WorkflowCore.Models.StepBody
    {
        public override ExecutionResult Run(IStepExecutionContext context)
        {
            Interlocked.Increment(ref StepCounter.Value);
            return ExecutionResult.Next();
        }
    }

    public sealed class LinearData;

    public sealed class LinearWorkflow : IWorkflow<LinearData>
    {
        public const string Name = "linear";

        public string Id => Name;

        public int Version => 1;

        public void Build(IWorkflowBuilder<LinearData> builder)
        {
            var step = builder.StartWith<LinearStep>();
            for (var i = 1; i < Steps; i++)
            {
                step = step.Then<LinearStep>();
            }
        }
    }

    // ------------------------------------------------------------------ delayed items on Hangfire

    private sealed record HangfireSettings(TimeSpan SchedulePollingInterval, TimeSpan QueuePollInterval, int WorkerCount);

    /// <summary>
    /// Schedules <paramref name="count"/> jobs with <c>BackgroundJob.Schedule</c> (its client) due evenly within
    /// <paramref name="window"/> into a fresh SQLite file, then runs a server until each has fired (or 3 min past the
    /// last due time). The lead is stretched when scheduling itself needs longer, so no job is due before the server runs.
    /// </summary>
    private static async Task<TimerFigures> HangfireTimersAsync(int count, TimeSpan window, TimeSpan lead, HangfireSettings settings)
    {
        var file = Path.Combine(Path.GetTempPath(), "mf-bench-hangfire-" + Guid.NewGuid().ToString("N") + ".db");
        GlobalConfiguration.Configuration.SetDataCompatibilityLevel(CompatibilityLevel.Version_180);
        var storage = new SQLiteStorage(file, new SQLiteStorageOptions { QueuePollInterval = settings.QueuePollInterval });
        try
        {
            var client = new BackgroundJobClient(storage);
            var clock = TimeProvider.System;

            // Calibrate: the time one Schedule call takes here decides how far ahead the window must start.
            var calibration = Stopwatch.StartNew();
            for (var i = 0; i < 50; i++)
            {
                client.Schedule(() => HangfireProbe.Fire(-1, 0), clock.GetUtcNow().AddDays(1));
            }

            var perJob = calibration.Elapsed / 50;
            var needed = (perJob * count * 1.5) + TimeSpan.FromSeconds(2);
            var windowStart = clock.GetUtcNow() + (needed > lead ? needed : lead);
            HangfireProbe.Lags.Clear();
            var scheduling = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var due = windowStart + (window * i / count);
                var id = i;
                var dueMs = due.ToUnixTimeMilliseconds();
                client.Schedule(() => HangfireProbe.Fire(id, dueMs), due);
            }

            scheduling.Stop();
            var late = clock.GetUtcNow() > windowStart ? " (finished after the first due time)" : "";
            Console.WriteLine($"Hangfire: {F(count)} jobs scheduled in {F(scheduling.Elapsed.TotalSeconds, "N1")} s{late}");
            using var server = new BackgroundJobServer(
                new BackgroundJobServerOptions
                {
                    SchedulePollingInterval = settings.SchedulePollingInterval,
                    WorkerCount = settings.WorkerCount,
                    ServerCheckInterval = TimeSpan.FromMinutes(1),
                },
                storage);
            var deadline = windowStart + window + TimeSpan.FromMinutes(3);
            while (HangfireProbe.Lags.Count < count && clock.GetUtcNow() < deadline)
            {
                await Task.Delay(250);
            }

            await Task.Delay(1000);
            return TimerFigures.From(count, window, HangfireProbe.Lags.Values.Select(l => (IReadOnlyList<double>)l).ToList());
        }
        finally
        {
            storage.Dispose();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>The job Hangfire runs: records its lag against the due time it was scheduled for.</summary>
    public static class HangfireProbe
    {
        internal static ConcurrentDictionary<int, List<double>> Lags { get; } = new();

        public static void Fire(int id, long dueUnixMs)
        {
            if (id < 0)
            {
                return;
            }

            var lag = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() - dueUnixMs;
            var list = Lags.GetOrAdd(id, _ => []);
            lock (list)
            {
                list.Add(lag);
            }
        }
    }
}
