using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Persistence;
using MentorFlow.Workflows.Runtime;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Benchmarks;

/// <summary>
/// The workflow engine's figures: in-memory executor throughput, persisted throughput on SQLite,
/// 10,000 timers due in one minute (fire lag and exactly-once), and start-to-first-wait latency with a large history.
/// <c>--smoke</c> runs every part in seconds with small counts; <c>--part memory|persisted|timers|history</c> runs one.
/// </summary>
public static partial class WorkflowBenchmark
{
    private static int TimerThreads { get; set; } = 4;

    /// <summary>SQLite commit durability (<c>--sqlite-synchronous normal|full</c>, default full as in the server).</summary>
    private static SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    public static async Task RunAsync(string[] args)
    {
        var threads = args.SkipWhile(a => a != "--timer-threads").Skip(1).FirstOrDefault();
        TimerThreads = threads is null ? 4 : int.Parse(threads, CultureInfo.InvariantCulture);
        var timerCount = args.SkipWhile(a => a != "--timers").Skip(1).FirstOrDefault();
        var smoke = args.Contains("--smoke");
        var synchronous = args.SkipWhile(a => a != "--sqlite-synchronous").Skip(1).FirstOrDefault();
        Synchronous = synchronous is null ? SqliteSynchronous.Full : Enum.Parse<SqliteSynchronous>(synchronous, ignoreCase: true);
        var part = args.SkipWhile(a => a != "--part").Skip(1).FirstOrDefault();
        bool Runs(string name) => part is null || part == name;
        var rows = new List<(string Measure, string Value, string Target)>();

        if (Runs("memory"))
        {
            rows.Add(await InMemoryThroughputAsync(smoke ? 2_000 : 200_000));
        }

        if (Runs("persisted"))
        {
            rows.AddRange(await PersistedThroughputAsync(smoke ? 50 : 1_000));
        }

        if (Runs("timers"))
        {
            var timers = timerCount is null ? (smoke ? 200 : 10_000) : int.Parse(timerCount, CultureInfo.InvariantCulture);
            var figures = await MeasureTimersAsync(timers, smoke ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(60.0 * timers / 10_000), smoke ? SmokeLead : TimerLead);
            rows.AddRange(figures.Rows());
        }

        if (Runs("history"))
        {
            rows.AddRange(await HistoryAsync(smoke ? 5_000 : 100_000, smoke ? 20 : 200, smoke ? 30 : 200));
        }

        Console.WriteLine();
        Console.WriteLine($"| {"measure",-58} | {"value",-22} | {"target",-18} |");
        Console.WriteLine($"|{new string('-', 60)}|{new string('-', 24)}|{new string('-', 20)}|");
        foreach (var (measure, value, target) in rows)
        {
            Console.WriteLine($"| {measure,-58} | {value,-22} | {target,-18} |");
        }
    }

    internal static string F(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ in memory

    private static async Task<(string, string, string)> InMemoryThroughputAsync(int executions)
    {
        await using var bench = await Bench.StartAsync(background: false);
        // A loop: ForEach over N items, each iteration a SetVariable (2 executions per item).
        var items = executions / 2;
        var flow = new JsonObject
        {
            ["name"] = "memory",
            ["variables"] = new JsonArray(new JsonObject { ["id"] = "n", ["name"] = "N", ["typeName"] = "Int32", ["value"] = "0" }),
            ["root"] = Root(
                [
                    Node("start", "Elsa.Start"),
                    Node("loop", "Elsa.ForEach", ("items", Expr("Object", "[" + string.Join(',', Enumerable.Range(0, items)) + "]"))),
                    Node("inc", "Elsa.SetVariable", ("variable", new JsonObject { ["id"] = "n", ["name"] = "N" }), ("value", Expr("Literal", "1"))),
                ],
                [("start", "Done", "loop"), ("loop", "Iterate", "inc"), ("inc", "Done", "loop")]),
        };
        var definition = bench.ToFlowchart(flow);
        var watch = Stopwatch.StartNew();
        var burst = await bench.RunInMemoryAsync(definition, "memory", "start");
        watch.Stop();
        var ran = burst.Journal.Count;
        return ($"in-memory executor: {F(ran)} activity executions", $"{F(ran / watch.Elapsed.TotalSeconds)} exec/s", ">= 2,000 exec/s");
    }

    // ------------------------------------------------------------------ persisted

    private static async Task<List<(string, string, string)>> PersistedThroughputAsync(int instances)
    {
        await using var bench = await Bench.StartAsync(background: false);
        var activities = new List<JsonObject> { Node("start", "Elsa.Start") };
        var connections = new List<(string, string, string)>();
        var previous = "start";
        for (var i = 1; i <= 8; i++)
        {
            var id = "w" + i.ToString(CultureInfo.InvariantCulture);
            activities.Add(i % 2 == 0
                ? Node(id, "Elsa.SetVariable", ("variable", new JsonObject { ["id"] = "n", ["name"] = "N" }), ("value", Expr("JavaScript", "getVariable('N') + 1")))
                : Node(id, "Elsa.WriteLine", ("text", Expr("Liquid", "step {{ N }}"))));
            connections.Add((previous, "Done", id));
            previous = id;
        }

        activities.Add(Node("end", "Elsa.End"));
        connections.Add((previous, "Done", "end"));
        var flow = new JsonObject
        {
            ["name"] = "ten",
            ["definitionId"] = "ten",
            ["variables"] = new JsonArray(new JsonObject { ["id"] = "n", ["name"] = "N", ["typeName"] = "Int32", ["value"] = "0" }),
            ["root"] = Root(activities, connections),
        };
        await bench.PublishAsync(flow);
        await bench.Runtime.StartAsync("ten");

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < instances; i++)
        {
            await bench.Runtime.StartAsync("ten");
        }

        watch.Stop();
        var sequential = instances / watch.Elapsed.TotalSeconds;

        watch.Restart();
        await Parallel.ForAsync(0, instances, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, ct) => await bench.Runtime.StartAsync("ten", cancellationToken: ct));
        watch.Stop();
        var parallel = instances / watch.Elapsed.TotalSeconds;
        return
        [
            ($"SQLite (synchronous={Synchronous}): 10-activity flow, {F(instances)} instances, 1 caller", $"{F(sequential, "N1")} inst/s = {F(sequential * 10)} exec/s", ">= 500 exec/s"),
            ($"SQLite (synchronous={Synchronous}): 10-activity flow, {F(instances)} instances, 4 callers", $"{F(parallel, "N1")} inst/s = {F(parallel * 10)} exec/s", ">= 500 exec/s"),
        ];
    }

    // ------------------------------------------------------------------ timers

    /// <summary>Time between the start of the timer part and the first due time (the schedule is seeded meanwhile).</summary>
    internal static readonly TimeSpan TimerLead = TimeSpan.FromSeconds(20);

    /// <summary>The lead of a smoke run: 200 rows seed in well under a second.</summary>
    internal static readonly TimeSpan SmokeLead = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Seeds <paramref name="count"/> instances waiting on a timer due evenly within <paramref name="window"/>, the first
    /// <paramref name="lead"/> from now, starts a host that rebuilds its schedule from the database and measures each fire.
    /// </summary>
    internal static async Task<TimerFigures> MeasureTimersAsync(int count, TimeSpan window, TimeSpan lead)
    {
        // One real instance waits on a timer; its persisted rows are cloned N times with due times spread over the
        // window (what N engine starts would have written), then a fresh host rebuilds its schedule from the
        // database and fires them. Creation speed is measured apart (persisted throughput above).
        var file = Path.Combine(Path.GetTempPath(), "mf-bench-timers-" + Guid.NewGuid().ToString("N") + ".db");
        WorkflowInstanceRecord template;
        WorkflowBookmarkRecord templateBookmark;
        await using (var creator = await Bench.StartAsync(background: false, file: file, keepFile: true))
        {
            var flow = new JsonObject
            {
                ["name"] = "timer",
                ["definitionId"] = "timer",
                ["root"] = Root(
                    [
                        Node("at", "Elsa.StartAt", ("dateTime", Expr("JavaScript", "getInput('At')"))),
                        Node("fired", "Bench.Fired"),
                    ],
                    [("at", "Done", "fired")]),
            };
            await creator.PublishAsync(flow);
            var far = TimeProvider.System.GetUtcNow().AddDays(1).ToString("O", CultureInfo.InvariantCulture);
            var started = await creator.Runtime.StartAsync("timer", new Dictionary<string, object?> { ["At"] = far });
            await using var db = creator.CreateContext();
            template = await db.Set<WorkflowInstanceRecord>().AsNoTracking().SingleAsync(i => i.Id == started.InstanceId);
            templateBookmark = await db.Set<WorkflowBookmarkRecord>().AsNoTracking().SingleAsync(b => b.InstanceId == started.InstanceId);
        }

        var windowStart = TimeProvider.System.GetUtcNow() + lead;
        await using (var db = Bench.CreateContext(file))
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

        Fired.Lags.Clear();
        await using var bench = await Bench.StartAsync(background: true, file: file);
        var deadline = windowStart + window + TimeSpan.FromMinutes(3);
        while (Fired.Lags.Count < count && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(250);
        }

        await Task.Delay(1000);
        return TimerFigures.From(count, window, Fired.Lags.Values.Select(l => (IReadOnlyList<double>)l).ToList());
    }

    /// <summary>Fire lags (actual − due, ms) of a timer run, exactly-once counts included.</summary>
    internal sealed record TimerFigures(int Count, TimeSpan Window, double P50, double P99, double Max, int Fired, int Duplicates, int Early)
    {
        public int Missing => Count - Fired;

        /// <summary>Figures from the lags recorded per item (one list per item that fired; two entries = a duplicate).</summary>
        public static TimerFigures From(int count, TimeSpan window, IReadOnlyCollection<IReadOnlyList<double>> perItem)
        {
            var lags = perItem.SelectMany(l => l).Order().ToArray();
            double At(double q) => lags.Length == 0 ? double.NaN : lags[Math.Min(lags.Length - 1, (int)(lags.Length * q))];
            return new TimerFigures(count, window, At(0.5), At(0.99), lags.Length == 0 ? double.NaN : lags[^1], perItem.Count, perItem.Count(l => l.Count > 1), lags.Count(l => l < 0));
        }

        public IEnumerable<(string, string, string)> Rows() =>
        [
            ($"timers: {F(Count)} due within {F(Window.TotalSeconds)} s, fire lag p50 / p99 / max", $"{F(P50, "N0")} / {F(P99, "N0")} / {F(Max, "N0")} ms", "p99 < 1,000 ms"),
            ("timers: fired / duplicates / missing", $"{F(Fired)} / {F(Duplicates)} / {F(Missing)}", $"{F(Count)} / 0 / 0"),
        ];
    }

    // ------------------------------------------------------------------ history

    private static async Task<List<(string, string, string)>> HistoryAsync(int historyInstances, int versions, int samples)
    {
        var flow = new JsonObject
        {
            ["name"] = "history",
            ["definitionId"] = "history",
            ["root"] = Root(
                [
                    Node("start", "Elsa.Start"),
                    Node("hello", "Elsa.WriteLine", ("text", Expr("Liquid", "hello {{ Workflow.CorrelationId }}"))),
                    Node("wait", "Elsa.Event", ("eventName", Expr("Literal", "Reply"))),
                ],
                [("start", "Done", "hello"), ("hello", "Done", "wait")]),
        };

        // Both databases are measured in alternation, so both see the same machine load.
        await using var emptyBench = await Bench.StartAsync(background: false);
        await emptyBench.PublishAsync(flow);
        await using var loadedBench = await Bench.StartAsync(background: false);
        for (var v = 0; v < versions; v++)
        {
            await loadedBench.PublishAsync(flow);
        }

        await SeedHistoryAsync(loadedBench, historyInstances);
        var (empty, loaded) = await MedianStartLatencyAsync(emptyBench, loadedBench, samples);
        var change = (loaded - empty) / empty * 100;
        return
        [
            ("start-to-first-wait, empty database (median)", $"{F(empty, "N2")} ms", ""),
            ($"start-to-first-wait, {F(historyInstances)} instances + {F(versions)} versions", $"{F(loaded, "N2")} ms ({(change >= 0 ? "+" : "")}{F(change, "N0")}%)", "within 20% of empty"),
        ];
    }

    private static async Task<(double First, double Second)> MedianStartLatencyAsync(Bench first, Bench second, int samples)
    {
        foreach (var bench in new[] { first, second })
        {
            for (var i = 0; i < 10; i++)
            {
                await bench.Runtime.StartAsync("history", correlationId: "warm" + i.ToString(CultureInfo.InvariantCulture));
            }
        }

        var times = new[] { new List<double>(), new List<double>() };
        for (var i = 0; i < samples; i++)
        {
            for (var b = 0; b < 2; b++)
            {
                var bench = b == 0 ? first : second;
                var watch = Stopwatch.StartNew();
                var result = await bench.Runtime.StartAsync("history", correlationId: "s" + i.ToString(CultureInfo.InvariantCulture));
                watch.Stop();
                if (result.SubStatus != WorkflowSubStatus.Suspended)
                {
                    throw new InvalidOperationException("the history flow should wait");
                }

                times[b].Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        times[0].Sort();
        times[1].Sort();
        return (times[0][samples / 2], times[1][samples / 2]);
    }

    /// <summary>Writes finished instances with journals and waiting instances with bookmarks straight into the tables.</summary>
    private static async Task SeedHistoryAsync(Bench bench, int count)
    {
        await using var connection = new SqliteConnection(bench.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var instance = connection.CreateCommand();
        instance.Transaction = transaction;
        instance.CommandText = """
            INSERT INTO wf_instances (id, definition_id, definition_version_id, version, name, correlation_id, status, sub_status,
              incident_count, has_pending_work, lease_owner, lease_expires_at, burst_attempts, state, created_at, updated_at, finished_at)
            VALUES ($id, 'history', 'old', 1, 'history', $c, $s, $ss, 0, 0, NULL, 0, 0, '{}', $t, $t, NULL)
            """;
        var pId = instance.Parameters.Add("$id", SqliteType.Text);
        var pC = instance.Parameters.Add("$c", SqliteType.Text);
        var pS = instance.Parameters.Add("$s", SqliteType.Text);
        var pSs = instance.Parameters.Add("$ss", SqliteType.Text);
        var pT = instance.Parameters.Add("$t", SqliteType.Integer);
        await using var journal = connection.CreateCommand();
        journal.Transaction = transaction;
        journal.CommandText = """
            INSERT INTO wf_journal (id, instance_id, sequence, activity_id, activity_type, activity_type_version, activity_name, event_name, started_at, completed_at, outcomes, message, error)
            VALUES ($jid, $id, 1, 'hello', 'Elsa.WriteLine', 1, 'hello', 'Completed', $t, $t, '["Done"]', 'hello', NULL)
            """;
        var jId = journal.Parameters.Add("$jid", SqliteType.Text);
        var jInstance = journal.Parameters.Add("$id", SqliteType.Text);
        var jT = journal.Parameters.Add("$t", SqliteType.Integer);
        await using var bookmark = connection.CreateCommand();
        bookmark.Transaction = transaction;
        bookmark.CommandText = """
            INSERT INTO wf_bookmarks (id, instance_id, activity_id, name, correlation_id, due_at, payload, created_at)
            VALUES ($bid, $id, 'wait', 'Reply', $c, NULL, NULL, $t)
            """;
        var bId = bookmark.Parameters.Add("$bid", SqliteType.Text);
        var bInstance = bookmark.Parameters.Add("$id", SqliteType.Text);
        var bC = bookmark.Parameters.Add("$c", SqliteType.Text);
        var bT = bookmark.Parameters.Add("$t", SqliteType.Integer);
        var t0 = TimeProvider.System.GetUtcNow().AddDays(-200).ToUnixTimeMilliseconds();
        for (var i = 0; i < count; i++)
        {
            var id = "h" + i.ToString("D8", CultureInfo.InvariantCulture);
            var waiting = i % 10 == 0;
            pId.Value = id;
            pC.Value = "c" + i.ToString(CultureInfo.InvariantCulture);
            pS.Value = waiting ? "Running" : "Finished";
            pSs.Value = waiting ? "Suspended" : "Finished";
            pT.Value = t0 + i;
            await instance.ExecuteNonQueryAsync();
            jId.Value = "j" + id;
            jInstance.Value = id;
            jT.Value = t0 + i;
            await journal.ExecuteNonQueryAsync();
            if (waiting)
            {
                bId.Value = "b" + id;
                bInstance.Value = id;
                bC.Value = pC.Value;
                bT.Value = t0 + i;
                await bookmark.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);";
        await analyze.ExecuteNonQueryAsync();
    }
}
