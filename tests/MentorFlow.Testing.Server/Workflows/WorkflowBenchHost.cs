using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using MentorFlow.Workflows;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Expressions;
using MentorFlow.Workflows.Persistence;
using MentorFlow.Workflows.Runtime;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MentorFlow.Testing.Server.Workflows;

/// <summary>How the engine of a measurement is set up.</summary>
public sealed record WorkflowEngineSettings
{
    /// <summary>Threads that fire due timers (<c>WorkflowEngineOptions.TimerThreads</c>).</summary>
    public int TimerThreads { get; init; } = 4;

    /// <summary>SQLite commit durability; full by default, as in the server.</summary>
    public SqliteSynchronous Synchronous { get; init; } = SqliteSynchronous.Full;

    /// <summary>The engine's clock and the one due times are read from: timers are measured firing in real time.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>The lags recorded by <see cref="Fired"/> in one host, per instance (two entries: it fired twice).</summary>
public sealed class FireLags
{
    public ConcurrentDictionary<string, List<double>> ByInstance { get; } = new();
}

/// <summary>Records when its instance's timer fired, against the due time in the instance's input <c>At</c>.</summary>
[Activity("Bench", "Benchmark", "Records the fire lag of a timer.")]
public sealed class Fired : MentorFlow.Workflows.Activities.Activity
{
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var due = DateTimeOffset.Parse(context.WorkflowInput["At"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var lag = (context.Clock.GetUtcNow() - due).TotalMilliseconds;
        var list = context.Services.GetRequiredService<FireLags>().ByInstance.GetOrAdd(context.WorkflowInstanceId, _ => []);
        lock (list)
        {
            list.Add(lag);
        }

        context.Complete();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A flowchart in the executor's form (<see cref="WorkflowBenchHost.ToFlowchart"/>), read once and run many times.</summary>
public sealed class InMemoryFlow
{
    internal InMemoryFlow(FlowchartDefinition definition) => Definition = definition;

    internal FlowchartDefinition Definition { get; }
}

/// <summary>One in-memory run: whether the instance finished, and how many activity executions its journal holds.</summary>
public sealed record InMemoryRun(bool Finished, int Executions);

/// <summary>The engine's tables and nothing else.</summary>
public sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddWorkflowEngineModel();
}

/// <summary>
/// The workflow engine alone in a generic host on its own SQLite file (WAL), with <see cref="Fired"/> registered; the
/// file is deleted on dispose unless kept.
/// </summary>
public sealed class WorkflowBenchHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _file;
    private readonly bool _keepFile;

    private WorkflowBenchHost(IHost host, WorkflowEngineSettings settings, string file, string connectionString, bool keepFile)
    {
        _host = host;
        _file = file;
        _keepFile = keepFile;
        Settings = settings;
        ConnectionString = connectionString;
    }

    public WorkflowEngineSettings Settings { get; }
    public string ConnectionString { get; }
    public IServiceProvider Services => _host.Services;
    public IWorkflowRuntime Runtime => Services.GetRequiredService<IWorkflowRuntime>();
    public FireLags FireLags => Services.GetRequiredService<FireLags>();

    public static BenchDbContext CreateContext(string file, WorkflowEngineSettings settings) =>
        new(new DbContextOptionsBuilder<BenchDbContext>()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30 }.ToString())
            .AddInterceptors(new SqliteDurabilityInterceptor(settings.Synchronous)).Options);

    public BenchDbContext CreateContext() => CreateContext(_file, Settings);

    /// <summary>
    /// Starts a host on <paramref name="file"/> (a new temporary file when null), the engine's background services
    /// (timers, sweeps) running only when <paramref name="background"/>.
    /// </summary>
    public static async Task<WorkflowBenchHost> StartAsync(WorkflowEngineSettings settings, bool background, string? file = null, bool keepFile = false, Action<IServiceCollection>? configure = null)
    {
        file ??= Path.Combine(Path.GetTempPath(), "mf-bench-" + Guid.NewGuid().ToString("N") + ".db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30 }.ToString();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(settings.Clock);
        builder.Services.AddSingleton<FireLags>();
        builder.Services.AddDbContextFactory<BenchDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(new SqliteDurabilityInterceptor(settings.Synchronous)));
        builder.Services.AddWorkflowEngine<BenchDbContext>(o =>
        {
            o.EnableBackgroundServices = background;
            o.TimerThreads = settings.TimerThreads;
            o.StepBudget = 1_000_000;
        });
        builder.Services.AddActivity<Fired>();
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<BenchDbContext>>();
            await using var db = await factory.CreateDbContextAsync();
            await db.Database.EnsureCreatedAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        await host.StartAsync();
        return new WorkflowBenchHost(host, settings, file, connectionString, keepFile);
    }

    /// <summary>Reads a flowchart model (the JSON a definition version stores) into the executor's form, to run in memory.</summary>
    public InMemoryFlow ToFlowchart(JsonObject model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var name = model["name"]!.GetValue<string>();
        return new InMemoryFlow(DefinitionReader.ToFlowchart(name, name, 1, model, Services.GetRequiredService<MentorFlow.Workflows.Descriptors.IActivityRegistry>()));
    }

    /// <summary>
    /// Runs one instance of <paramref name="flow"/> from <paramref name="startActivity"/> in memory: the executor
    /// alone (the engine's burst runner), no store, in a scope of its own.
    /// </summary>
    public async Task<InMemoryRun> RunInMemoryAsync(InMemoryFlow flow, string instanceId, string startActivity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var state = new InstanceState();
        state.Queue.Add(new WorkItem { ActivityId = startActivity });
        await using var scope = Services.CreateAsyncScope();
        var burst = new BurstContext(instanceId, flow.Definition, state, scope.ServiceProvider, Settings.Clock, Services.GetRequiredService<ExpressionEvaluator>(), cancellationToken);
        await Services.GetRequiredService<BurstRunner>().RunAsync(burst);
        return new InMemoryRun(burst.State.Finished, burst.Journal.Count);
    }

    /// <summary>Saves <paramref name="model"/> as a draft and publishes it (a new version each time).</summary>
    public async Task PublishAsync(JsonObject model)
    {
        var definitions = Services.GetRequiredService<IWorkflowDefinitionService>();
        var saved = await definitions.SaveDraftAsync(model);
        var published = await definitions.PublishAsync(saved.Definition.DefinitionId);
        if (!published.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", published.Errors));
        }
    }

    /// <summary>How many instances the engine lists for <paramref name="query"/> (its total count).</summary>
    public async Task<long> CountInstancesAsync(InstanceQuery query) =>
        (await Runtime.ListInstancesAsync(query with { PageSize = 1 })).TotalCount;

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        SqliteConnection.ClearAllPools();
        if (_keepFile)
        {
            return;
        }

        foreach (var path in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(path);
        }
    }
}
