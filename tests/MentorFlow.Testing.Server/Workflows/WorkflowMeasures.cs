using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Persistence;
using MentorFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Testing.Server.Workflows;

/// <summary>
/// The workflow engine's figures, each part on hosts of its own (<see cref="WorkflowBenchHost"/>): in-memory executor
/// throughput, persisted throughput on SQLite, timers due within a window (fire lag, exactly once) and start-to-first-wait
/// latency with a large history. Used by the <c>workflows</c> and <c>peers</c> benchmarks, and at smoke size by
/// <c>tests/MentorFlow.EndToEnd/WorkflowFiguresTests</c>.
/// </summary>
public static class WorkflowMeasures
{
    /// <summary>Time between the start of the timer part and the first due time (10,000 rows are seeded meanwhile).</summary>
    public static readonly TimeSpan TimerLead = TimeSpan.FromSeconds(20);

    /// <summary>The lead of a smoke run: 200 rows seed in well under a second.</summary>
    public static readonly TimeSpan SmokeLead = TimeSpan.FromSeconds(3);

    /// <summary>Runs <see cref="WorkflowRunOptions.Parts"/> in turn.</summary>
    public static async Task<WorkflowRunResult> RunAsync(WorkflowRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Engine;
        var parts = options.Parts;
        return new WorkflowRunResult(
            parts.Contains(WorkflowPart.Memory) ? await InMemoryThroughputAsync(settings, options.MemoryExecutions) : null,
            parts.Contains(WorkflowPart.Persisted) ? await PersistedThroughputAsync(settings, options.PersistedInstances) : null,
            parts.Contains(WorkflowPart.Timers) ? await MeasureTimersAsync(settings, options.Timers, options.TimerWindow, options.TimerLead) : null,
            parts.Contains(WorkflowPart.History) ? await HistoryAsync(settings, options.HistoryInstances, options.HistoryVersions, options.HistorySamples) : null);
    }

    /// <summary>The loop of <see cref="WorkflowFlowModels.Loop"/> in memory, <paramref name="executions"/> / 2 items.</summary>
    public static async Task<InMemoryFigures> InMemoryThroughputAsync(WorkflowEngineSettings settings, int executions)
    {
        await using var bench = await WorkflowBenchHost.StartAsync(settings, background: false);
        var flow = bench.ToFlowchart(WorkflowFlowModels.Loop(executions / 2));
        var watch = Stopwatch.StartNew();
        var run = await bench.RunInMemoryAsync(flow, "memory", "start");
        watch.Stop();
        return new InMemoryFigures(executions, run.Executions, run.Finished, watch.Elapsed);
    }

    /// <summary>The 10-activity flow (<see cref="WorkflowFlowModels.TenActivities"/>) started <paramref name="instances"/> times by one caller, then by four.</summary>
    public static async Task<PersistedFigures> PersistedThroughputAsync(WorkflowEngineSettings settings, int instances)
    {
        await using var bench = await WorkflowBenchHost.StartAsync(settings, background: false);
        await bench.PublishAsync(WorkflowFlowModels.TenActivities());
        await bench.Runtime.StartAsync("ten");

        var finished = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < instances; i++)
        {
            var result = await bench.Runtime.StartAsync("ten");
            finished += result.SubStatus == WorkflowSubStatus.Finished ? 1 : 0;
        }

        watch.Stop();
        var sequential = watch.Elapsed;

        watch.Restart();
        await Parallel.ForAsync(0, instances, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, ct) =>
        {
            var result = await bench.Runtime.StartAsync("ten", cancellationToken: ct);
            if (result.SubStatus == WorkflowSubStatus.Finished)
            {
                Interlocked.Increment(ref finished);
            }
        });
        watch.Stop();
        var listed = await bench.CountInstancesAsync(new InstanceQuery { DefinitionId = "ten", SubStatuses = [WorkflowSubStatus.Finished] });
        return new PersistedFigures(instances, sequential, watch.Elapsed, finished, listed);
    }

    /// <summary>
    /// Seeds <paramref name="count"/> instances waiting on a timer due evenly within <paramref name="window"/>, the first
    /// <paramref name="lead"/> from now, starts a host that rebuilds its schedule from the database and measures each fire.
    /// </summary>
    public static async Task<TimerFigures> MeasureTimersAsync(WorkflowEngineSettings settings, int count, TimeSpan window, TimeSpan lead)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // One real instance waits on a timer; its persisted rows are cloned N times with due times spread over the
        // window (what N engine starts would have written), then a fresh host rebuilds its schedule from the
        // database and fires them. Creation speed is measured apart (persisted throughput).
        var clock = settings.Clock;
        var file = Path.Combine(Path.GetTempPath(), "mf-bench-timers-" + Guid.NewGuid().ToString("N") + ".db");
        WorkflowInstanceRecord template;
        WorkflowBookmarkRecord templateBookmark;
        await using (var creator = await WorkflowBenchHost.StartAsync(settings, background: false, file: file, keepFile: true))
        {
            await creator.PublishAsync(WorkflowFlowModels.Timer());
            var far = clock.GetUtcNow().AddDays(1).ToString("O", CultureInfo.InvariantCulture);
            var started = await creator.Runtime.StartAsync("timer", new Dictionary<string, object?> { ["At"] = far });
            await using var db = creator.CreateContext();
            template = await db.Set<WorkflowInstanceRecord>().AsNoTracking().SingleAsync(i => i.Id == started.InstanceId);
            templateBookmark = await db.Set<WorkflowBookmarkRecord>().AsNoTracking().SingleAsync(b => b.InstanceId == started.InstanceId);
        }

        var windowStart = clock.GetUtcNow() + lead;
        await using (var db = WorkflowBenchHost.CreateContext(file, settings))
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await db.Set<WorkflowInstanceRecord>().ExecuteDeleteAsync();
            await db.Set<WorkflowBookmarkRecord>().ExecuteDeleteAsync();
            for (var i = 0; i < count; i++)
            {
                var due = windowStart + (window * i / count);
                var instanceId = "t" + i.ToString("D6", CultureInfo.InvariantCulture);
                var bookmarkId = "b" + i.ToString("D6", CultureInfo.InvariantCulture);
                var state = JsonNode.Parse(template.State)!.AsObject();
                state["input"]!["At"] = due.ToString("O", CultureInfo.InvariantCulture);
                state["bookmarks"]![0]!["id"] = bookmarkId;
                state["bookmarks"]![0]!["dueAt"] = due.ToString("O", CultureInfo.InvariantCulture);
                db.Add(new WorkflowInstanceRecord
                {
                    Id = instanceId,
                    DefinitionId = template.DefinitionId,
                    DefinitionVersionId = template.DefinitionVersionId,
                    Version = template.Version,
                    Name = template.Name,
                    Status = template.Status,
                    SubStatus = template.SubStatus,
                    State = state.ToJsonString(),
                    CreatedAt = template.CreatedAt,
                    UpdatedAt = template.UpdatedAt,
                });
                db.Add(new WorkflowBookmarkRecord
                {
                    Id = bookmarkId,
                    InstanceId = instanceId,
                    ActivityId = templateBookmark.ActivityId,
                    Name = templateBookmark.Name,
                    DueAt = due.ToUnixTimeMilliseconds(),
                    CreatedAt = templateBookmark.CreatedAt,
                });
            }

            await db.SaveChangesAsync();
        }

        await using var bench = await WorkflowBenchHost.StartAsync(settings, background: true, file: file);
        var lags = bench.FireLags.ByInstance;
        var deadline = windowStart + window + TimeSpan.FromMinutes(3);
        while (lags.Count < count && clock.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), clock);
        }

        // A second fire of an item would come within the sweep after its first.
        await Task.Delay(TimeSpan.FromSeconds(1), clock);
        return TimerFigures.From(count, window, [.. lags.Values.Select(l => (IReadOnlyList<double>)[.. l])]);
    }

    /// <summary>
    /// Median start-to-first-wait of the history flow on an empty database and on one with <paramref name="versions"/>
    /// versions and <paramref name="historyInstances"/> instances seeded (<see cref="WorkflowHistorySeed"/>), the two
    /// measured in alternation so both see the same machine load.
    /// </summary>
    public static async Task<HistoryFigures> HistoryAsync(WorkflowEngineSettings settings, int historyInstances, int versions, int samples)
    {
        var flow = WorkflowFlowModels.History();
        await using var emptyBench = await WorkflowBenchHost.StartAsync(settings, background: false);
        await emptyBench.PublishAsync(flow);
        await using var loadedBench = await WorkflowBenchHost.StartAsync(settings, background: false);
        for (var v = 0; v < versions; v++)
        {
            await loadedBench.PublishAsync(flow);
        }

        var seeded = await WorkflowHistorySeed.SeedAsync(loadedBench, historyInstances);
        var listed = await loadedBench.CountInstancesAsync(new InstanceQuery { DefinitionVersionId = WorkflowHistorySeed.VersionId });
        var listedWaiting = await loadedBench.CountInstancesAsync(new InstanceQuery { DefinitionVersionId = WorkflowHistorySeed.VersionId, SubStatuses = [WorkflowSubStatus.Suspended] });
        var (empty, loaded, waiting) = await MedianStartLatencyAsync(emptyBench, loadedBench, samples);
        return new HistoryFigures(historyInstances, versions, samples, seeded, listed, listedWaiting, waiting, empty, loaded);
    }

    private static async Task<(double First, double Second, int Waiting)> MedianStartLatencyAsync(WorkflowBenchHost first, WorkflowBenchHost second, int samples)
    {
        foreach (var bench in new[] { first, second })
        {
            for (var i = 0; i < 10; i++)
            {
                await bench.Runtime.StartAsync("history", correlationId: "warm" + i.ToString(CultureInfo.InvariantCulture));
            }
        }

        var waiting = 0;
        var times = new[] { new List<double>(), new List<double>() };
        for (var i = 0; i < samples; i++)
        {
            for (var b = 0; b < 2; b++)
            {
                var bench = b == 0 ? first : second;
                var watch = Stopwatch.StartNew();
                var result = await bench.Runtime.StartAsync("history", correlationId: "s" + i.ToString(CultureInfo.InvariantCulture));
                watch.Stop();
                waiting += result.SubStatus == WorkflowSubStatus.Suspended ? 1 : 0;
                times[b].Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        times[0].Sort();
        times[1].Sort();
        return (times[0][samples / 2], times[1][samples / 2], waiting);
    }
}
