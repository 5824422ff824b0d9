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

namespace MentorFlow.Benchmarks;

/// <summary>The workflow benchmark's plumbing: flow JSON builders, the activity that records fire lag, and the engine host.</summary>
public static partial class WorkflowBenchmark
{
    internal static JsonObject Expr(string type, string value) => new()
    {
        ["typeName"] = "Object",
        ["expression"] = new JsonObject { ["type"] = type, ["value"] = value },
    };

    internal static JsonObject Node(string id, string type, params (string Name, JsonNode Value)[] inputs)
    {
        var node = new JsonObject { ["id"] = id, ["type"] = type, ["version"] = 1, ["metadata"] = new JsonObject() };
        foreach (var (name, value) in inputs)
        {
            node[name] = value;
        }

        return node;
    }

    internal static JsonObject Root(IEnumerable<JsonObject> activities, IEnumerable<(string Source, string Port, string Target)> connections) => new()
    {
        ["type"] = "Elsa.Flowchart",
        ["id"] = "root",
        ["activities"] = new JsonArray([.. activities]),
        ["connections"] = new JsonArray([.. connections.Select(c => (JsonNode)new JsonObject
        {
            ["source"] = new JsonObject { ["activity"] = c.Source, ["port"] = c.Port },
            ["target"] = new JsonObject { ["activity"] = c.Target, ["port"] = "In" },
        })]),
    };

    /// <summary>Records when each instance's timer fired, against the due time in its input.</summary>
    [Activity("Bench", "Benchmark", "Records the fire lag of a timer.")]
    internal sealed class Fired : MentorFlow.Workflows.Activities.Activity
    {
        public static ConcurrentDictionary<string, List<double>> Lags { get; } = new();

        protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
        {
            var due = DateTimeOffset.Parse(context.WorkflowInput["At"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            var lag = (context.Clock.GetUtcNow() - due).TotalMilliseconds;
            var list = Lags.GetOrAdd(context.WorkflowInstanceId, _ => []);
            lock (list)
            {
                list.Add(lag);
            }

            context.Complete();
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddWorkflowEngineModel();
    }

    internal sealed class Bench : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly string _file;
        private readonly bool _keepFile;

        private Bench(IHost host, string file, string connectionString, bool keepFile)
        {
            _host = host;
            _file = file;
            _keepFile = keepFile;
            ConnectionString = connectionString;
        }

        public static BenchDbContext CreateContext(string file) =>
            new(new DbContextOptionsBuilder<BenchDbContext>()
                .UseSqlite(new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30 }.ToString())
                .AddInterceptors(new SqliteDurabilityInterceptor(Synchronous)).Options);

        public BenchDbContext CreateContext() => CreateContext(_file);

        public string ConnectionString { get; }
        public IServiceProvider Services => _host.Services;
        public IWorkflowRuntime Runtime => Services.GetRequiredService<IWorkflowRuntime>();

        public static async Task<Bench> StartAsync(bool background, string? file = null, bool keepFile = false, Action<IServiceCollection>? configure = null)
        {
            file ??= Path.Combine(Path.GetTempPath(), "mf-bench-" + Guid.NewGuid().ToString("N") + ".db");
            var connectionString = new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30 }.ToString();
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddDbContextFactory<BenchDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(new SqliteDurabilityInterceptor(Synchronous)));
            builder.Services.AddWorkflowEngine<BenchDbContext>(o =>
            {
                o.EnableBackgroundServices = background;
                o.TimerThreads = TimerThreads;
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
            return new Bench(host, file, connectionString, keepFile);
        }

        /// <summary>Reads a flowchart model (the JSON a definition version stores) into the executor's form.</summary>
        public FlowchartDefinition ToFlowchart(JsonObject model)
        {
            var name = model["name"]!.GetValue<string>();
            return DefinitionReader.ToFlowchart(name, name, 1, model, Services.GetRequiredService<MentorFlow.Workflows.Descriptors.IActivityRegistry>());
        }

        /// <summary>
        /// Runs one instance of <paramref name="definition"/> from <paramref name="startActivity"/> in memory: the
        /// executor alone (<see cref="BurstRunner"/>), no store, in a scope of its own. Returns the burst it ran.
        /// </summary>
        public async Task<BurstContext> RunInMemoryAsync(FlowchartDefinition definition, string instanceId, string startActivity, CancellationToken cancellationToken = default)
        {
            var state = new InstanceState();
            state.Queue.Add(new WorkItem { ActivityId = startActivity });
            await using var scope = Services.CreateAsyncScope();
            var burst = new BurstContext(instanceId, definition, state, scope.ServiceProvider, TimeProvider.System, Services.GetRequiredService<ExpressionEvaluator>(), cancellationToken);
            await Services.GetRequiredService<BurstRunner>().RunAsync(burst);
            return burst;
        }

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
}
