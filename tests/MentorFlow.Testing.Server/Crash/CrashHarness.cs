using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using MentorFlow.Graph;
using MentorFlow.Graph.Outbox;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Server.Persistence;
using MentorFlow.Workflows.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MentorFlow.Testing.Server.Crash;

/// <summary>
/// Crash anywhere: the programme lifecycle (<see cref="CrashScenario"/>) driven over HTTP against the real server in
/// child processes (<see cref="ChildProcess"/>: one on SQLite, two replicas on one PostgreSQL database), each killed
/// with SIGKILL at random points of the scenario (a seeded plan: which step, how long into it, which replica) and
/// started again at once on the same database, until the scenario completes. The Graph sandbox lives here, in the
/// harness, so it counts every mail and invite across the kills (the children reach it over HTTP through
/// <c>Graph:BaseUrl</c>); the clock lives here too (<see cref="SharedClock"/>): it ticks 2 s every 50 ms so leases,
/// retries and sweeps move on, and jumps to the next due timer when the scenario advances days. Participants' form
/// posts and manager calls are retried when a kill cuts them off (an answer that was committed before the kill is
/// then "already used", which counts as done). At the end the invariants are read from the database and the sandbox
/// (<see cref="CrashResult"/>).
/// </summary>
public sealed partial class CrashHarness : IAsyncDisposable
{
    public const string ManagerKey = InProcessServer.ManagerKey;
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan TickEvery = TimeSpan.FromMilliseconds(50);

    // Settling waits for every replica to be ready again; on a starved machine (2 cores, load average 50, the children
    // under nice 10) one restart can take several minutes.
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(15);

    // One attempt may take this long: a replica started cold on a loaded machine answers its first requests slowly.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(3);

    // A request is sent again until a replica answers it, for at most this long: long enough for a slow attempt and a
    // few kills, each followed by a restart that takes a minute or more on a loaded machine.
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(10);

    private readonly CrashOptions _options;
    private readonly Action<string> _log;
    private readonly string _directory = Directory.CreateTempSubdirectory("mentorflow-crash-").FullName;
    private readonly SharedClock _clock;
    private readonly GraphSandbox _sandbox;
    private readonly GraphSandboxHost _sandboxHost;
    private readonly HttpClient _http = new() { Timeout = RequestTimeout };
    private readonly List<ChildProcess> _children = [];
    private readonly List<PlannedKill> _plan;
    private readonly List<string> _killLog = [];
    private readonly CancellationTokenSource _stop = new();
    private string _connectionString = string.Empty;
    private string? _postgresDatabase;
    private Task? _ticker;
    private Task? _killer;
    private volatile int _step;
    private long _stepStarted = Stopwatch.GetTimestamp();
    private int _roundRobin;
    private int _kills;
    private int _restarts;
    private int _retriedRequests;
    private Exception? _killerFailure;
    private bool _keepFolder;

    private CrashHarness(CrashOptions options, Action<string> log)
    {
        _options = options;
        _log = log;
        _clock = SharedClock.Create(Path.Combine(_directory, "clock"), InProcessServer.Start);
        var sandboxOptions = Options.Create(new GraphSandboxOptions
        {
            Port = 0,
            AccessToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
        });
        var sandboxDatabase = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "sandbox.db"), DefaultTimeout = 30 }.ToString();
        var sandboxContext = new DbContextOptionsBuilder<SandboxDbContext>().UseSqlite(sandboxDatabase).Options;
        using (var created = new SandboxDbContext(sandboxContext))
        {
            created.Database.EnsureCreated();
        }

        _sandbox = new GraphSandbox(sandboxOptions, _clock.Clock, new SandboxStore(() => new SandboxDbContext(sandboxContext)));
        _sandboxHost = new GraphSandboxHost(_sandbox, sandboxOptions, new HarnessLogger<GraphSandboxHost>(log), clock: _clock.Clock);
        var random = new Random(options.Seed);
        _plan = Enumerable.Range(0, options.Kills)
            .Select(_ => new PlannedKill(random.Next(CrashScenario.Steps.Count), TimeSpan.FromMilliseconds(random.NextDouble() * options.MaxKillDelay.TotalMilliseconds), random.Next(options.Replicas)))
            .OrderBy(k => k.Step).ThenBy(k => k.Delay).ToList();
    }

    /// <summary>The sandbox every child sends to (mail and invites of the whole run).</summary>
    public GraphSandbox Sandbox => _sandbox;

    /// <summary>The harness's (and the children's) current time.</summary>
    public DateTimeOffset Now => _clock.Clock.GetUtcNow();

    public static async Task<CrashResult> RunAsync(CrashOptions options, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        await using var harness = new CrashHarness(options, log ?? (_ => { }));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        var result = await harness.ExecuteAsync(timeout.Token);
        harness._keepFolder = result.Problems().Count > 0;
        return result with { Folder = harness._keepFolder ? harness._directory : null };
    }

    private async Task<CrashResult> ExecuteAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        _log($"crash harness: {_options.Provider}, {_options.Replicas} replica(s), {_options.Kills} kills, seed {_options.Seed}, {_options.Mentors} mentors + {_options.Mentors * 3} mentees; folder {_directory}");
        _log("kill plan (step: delay ms → replica): " + string.Join(", ", _plan.Select(k => $"{k.Step}:{k.Delay.TotalMilliseconds:0}→{k.Replica}")));
        await _sandboxHost.StartAsync(cancellationToken);
        var sandboxUrl = await _sandboxHost.GetBaseUrlAsync(cancellationToken);
        await PrepareDatabaseAsync();
        var settings = new Dictionary<string, string?>
        {
            [CrashChildServer.ClockFileKey] = Path.Combine(_directory, "clock"),
            ["Database:Provider"] = _options.Provider == CrashProvider.Postgres ? "Postgres" : "Sqlite",
            ["ConnectionStrings:mentorflow"] = _connectionString,
            ["Security:ManagerApiKeys:0"] = ManagerKey,
            ["Mentoring:Links:SigningKey"] = InProcessServer.SigningKey,
            ["Mentoring:Links:PublicBaseUrl"] = "http://localhost",
            ["Security:RateLimiting:Forms:PermitLimit"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Graph:BaseUrl"] = sandboxUrl.ToString().TrimEnd('/'),
            ["GraphSandbox:AccessToken"] = _sandbox.Options.AccessToken,
            ["GraphSandbox:Enabled"] = "false",
            ["Graph:Dispatcher:Replicas"] = _options.Replicas.ToString(CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < _options.Replicas; i++)
        {
            var replica = new Dictionary<string, string?>(settings) { ["Workflows:ReplicaName"] = $"crash-replica-{i}" };
            _children.Add(new ChildProcess(i, _directory, replica));
        }

        await Task.WhenAll(_children.Select(c => c.StartAsync(cancellationToken)));
        _log($"started {_children.Count} replica(s) in {total.Elapsed.TotalSeconds:0.0} s");
        _ticker = Task.Run(() => TickAsync(_stop.Token), CancellationToken.None);
        _killer = Task.Run(() => KillLoopAsync(_stop.Token), CancellationToken.None);

        var scenario = new CrashScenario(this, _options.Mentors, _log);
        Exception? failure = null;
        try
        {
            for (var step = 0; step < CrashScenario.Steps.Count; step++)
            {
                BeginStep(step);
                var watch = Stopwatch.StartNew();
                await scenario.RunStepAsync(step, cancellationToken);
                _log($"step {step} {CrashScenario.Steps[step]}: {watch.Elapsed.TotalSeconds:0.0} s (kills so far {_kills}, now {Now:yyyy-MM-dd HH:mm})");
                ThrowIfKillerFailed();
            }

            // Kills not fired yet (their step ended first) fire now, then everything settles once more.
            BeginStep(CrashScenario.Steps.Count);
            while (Pending() > 0)
            {
                ThrowIfKillerFailed();
                await Task.Delay(50, cancellationToken);
            }

            await SettleAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = exception;
            _log($"scenario failed: {exception.Message}");
        }
        catch (OperationCanceledException exception)
        {
            failure = new TimeoutException($"the run did not finish within {_options.Timeout.TotalMinutes:0} min", exception);
        }

        await _stop.CancelAsync();
        await Task.WhenAll(_ticker, _killer);
        failure ??= _killerFailure;
        total.Stop();
        var result = await CrashResult.CollectAsync(this, scenario, failure, total.Elapsed, cancellationToken);
        foreach (var kill in _killLog)
        {
            _log(kill);
        }

        return result with { Kills = _kills, Restarts = _restarts, RetriedRequests = _retriedRequests };
    }

    private int Pending()
    {
        lock (_plan)
        {
            return _plan.Count;
        }
    }

    private void ThrowIfKillerFailed()
    {
        if (_killerFailure is { } failure)
        {
            throw new InvalidOperationException("a replica could not be restarted: " + failure.Message, failure);
        }
    }

    private void BeginStep(int step)
    {
        Interlocked.Exchange(ref _stepStarted, Stopwatch.GetTimestamp());
        _step = step;
    }

    internal string Describe() => $"{_options.Provider}, {_options.Replicas} replica(s), seed {_options.Seed}, {_options.Kills} kills planned";

    internal MentorFlowDbContext CreateDbContext() => _options.Provider == CrashProvider.Postgres
        ? new PostgresMentorFlowDbContext(new DbContextOptionsBuilder<PostgresMentorFlowDbContext>().UseNpgsql(_connectionString).Options)
        : new SqliteMentorFlowDbContext(new DbContextOptionsBuilder<SqliteMentorFlowDbContext>().UseSqlite(_connectionString).Options);

    private async Task PrepareDatabaseAsync()
    {
        if (_options.Provider == CrashProvider.Sqlite)
        {
            _connectionString = $"Data Source={Path.Combine(_directory, "mentorflow.db")};Default Timeout=30";
            return;
        }

        var admin = _options.PostgresAdmin;
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException("The PostgreSQL crash run needs an admin connection string (MENTORFLOW_TEST_POSTGRES; ./test.sh starts a server, locally export MENTORFLOW_TEST_POSTGRES=\"$(scripts/dev-postgres.sh)\").");
        }

        _postgresDatabase = "mf_crash_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_postgresDatabase}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        _connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = _postgresDatabase }.ToString();
    }

    /// <summary>The clock ticks on its own: leases expire, retries and sweeps come due, as in a running programme.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TickEvery, cancellationToken);
                _clock.Advance(Tick);
            }
        }
        catch (OperationCanceledException)
        {
            // Done.
        }
    }

    /// <summary>
    /// Fires the planned kills: a kill planned for step s fires once the scenario is at step s or later, its delay after
    /// the later of the step's start and its replica becoming ready; the replica is started again at once.
    /// </summary>
    private async Task KillLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(10, cancellationToken);
                PlannedKill? due = null;
                lock (_plan)
                {
                    foreach (var kill in _plan.Where(k => k.Step <= _step))
                    {
                        var victim = _children[kill.Replica];
                        var since = Math.Max(Interlocked.Read(ref _stepStarted), victim.ReadySince);
                        if (victim.Ready && Stopwatch.GetElapsedTime(since) >= kill.Delay)
                        {
                            due = kill;
                            _plan.Remove(kill);
                            break;
                        }
                    }
                }

                if (due is null)
                {
                    continue;
                }

                var child = _children[due.Replica];
                await child.KillAsync();
                var number = Interlocked.Increment(ref _kills);
                var step = Math.Min(_step, CrashScenario.Steps.Count);
                var where = step < CrashScenario.Steps.Count ? CrashScenario.Steps[step] : "final settle";
                _killLog.Add($"kill {number}: replica {due.Replica} in step {step} ({where}) at +{due.Delay.TotalMilliseconds:0} ms, clock {Now:yyyy-MM-dd HH:mm:ss}");
                await child.StartAsync(cancellationToken);
                Interlocked.Increment(ref _restarts);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Done.
        }
        catch (Exception exception)
        {
            _killerFailure = exception;
        }
    }

    /// <summary>
    /// Sends a request to a ready replica, again (to any ready replica) when a kill cuts it off or the replica answers
    /// 5xx (unless <paramref name="retry"/> is false: then a cut-off attempt answers status 0); <c>Ambiguous</c> says an
    /// earlier attempt may have been committed.
    /// </summary>
    internal async Task<(HttpStatusCode Status, string Body, bool Ambiguous)> SendAsync(Func<HttpRequestMessage> request, bool manager, bool retry, CancellationToken cancellationToken)
    {
        var ambiguous = false;
        var waited = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            if (waited.Elapsed > AnswerTimeout)
            {
                throw new TimeoutException($"no replica answered {request().RequestUri} for {AnswerTimeout.TotalMinutes:0} min");
            }

            var child = NextReady();
            if (child is null)
            {
                await Task.Delay(50, cancellationToken);
                continue;
            }

            using var message = request();
            message.RequestUri = new Uri(child.BaseAddress, message.RequestUri!.ToString());
            if (manager)
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", ManagerKey);
            }

            try
            {
                using var response = await _http.SendAsync(message, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests) && retry)
                {
                    ambiguous = true;
                    Interlocked.Increment(ref _retriedRequests);
                    await Task.Delay(100, cancellationToken);
                    continue;
                }

                return (response.StatusCode, body, ambiguous);
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException
                || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                ambiguous = true;
                Interlocked.Increment(ref _retriedRequests);
                if (!retry)
                {
                    return (0, exception.Message, true);
                }

                await Task.Delay(50, cancellationToken);
            }
        }
    }

    private ChildProcess? NextReady()
    {
        var ready = _children.Where(c => c.Ready).ToList();
        return ready.Count == 0 ? null : ready[Interlocked.Increment(ref _roundRobin) % ready.Count];
    }

    /// <summary>
    /// Waits until nothing is left to do now: no queued command, no instance with pending work, no timer due, nothing
    /// in the outbox, every replica up — seen three times in a row, 100 ms apart.
    /// </summary>
    internal async Task SettleAsync(CancellationToken cancellationToken)
    {
        var quiet = 0;
        var waited = Stopwatch.StartNew();
        string? busy = null;
        while (quiet < 3)
        {
            if (waited.Elapsed > SettleTimeout)
            {
                throw new TimeoutException($"not settled after {SettleTimeout.TotalMinutes:0} min: {busy}");
            }

            await Task.Delay(100, cancellationToken);
            busy = _children.All(c => c.Ready) ? await BusyAsync(cancellationToken) : "a replica is restarting";
            quiet = busy is null ? quiet + 1 : 0;
        }
    }

    private async Task<string?> BusyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = CreateDbContext();
            var now = Now.ToUnixTimeMilliseconds();
            if (await db.Set<WorkflowInboxRecord>().AnyAsync(cancellationToken))
            {
                return "queued workflow commands";
            }

            if (await db.Set<WorkflowInstanceRecord>().AnyAsync(i => i.Status == "Running" && i.HasPendingWork, cancellationToken))
            {
                return "instances with pending work";
            }

            if (await db.Set<WorkflowBookmarkRecord>().AnyAsync(b => b.DueAt != null && b.DueAt <= now, cancellationToken))
            {
                return "timers due";
            }

            return await db.Set<GraphOutboxMessage>().AnyAsync(m => m.Status == GraphMessageStatus.Pending, cancellationToken)
                ? "Graph outbox not empty"
                : null;
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException)
        {
            return "database busy: " + exception.Message;
        }
    }

    /// <summary>Moves the clock on by <paramref name="span"/>, stopping at each due timer on the way and settling there.</summary>
    internal async Task AdvanceAsync(TimeSpan span, CancellationToken cancellationToken)
    {
        var target = Now + span;
        await SettleAsync(cancellationToken);
        while (Now < target)
        {
            DateTimeOffset? next;
            await using (var db = CreateDbContext())
            {
                var due = await db.Set<WorkflowBookmarkRecord>().Where(b => b.DueAt != null).MinAsync(b => b.DueAt, cancellationToken);
                next = due is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
            }

            _clock.AdvanceTo(next is { } n && n < target ? n : target);
            await SettleAsync(cancellationToken);
        }
    }

    /// <summary>The sandbox's own SQLite file in the run's folder (the children never open it).</summary>
    private sealed class SandboxDbContext(DbContextOptions<SandboxDbContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddGraphModel();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var child in _children)
        {
            await child.DisposeAsync();
        }

        await _sandboxHost.DisposeAsync();
        _http.Dispose();
        _clock.Dispose();
        _stop.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_options.PostgresAdmin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }

        try
        {
            if (!_keepFolder)
            {
                Directory.Delete(_directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // The OS cleans the temp folder.
        }
    }

    private sealed record PlannedKill(int Step, TimeSpan Delay, int Replica);
}
