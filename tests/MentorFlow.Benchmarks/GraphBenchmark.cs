using System.Diagnostics;
using System.Globalization;
using MentorFlow.Graph;
using MentorFlow.Graph.Model;
using MentorFlow.Graph.Outbox;
using MentorFlow.Graph.Sandbox;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MentorFlow.Benchmarks;

/// <summary>
/// The Graph outbox's figures: N invites to one mailbox whose sandbox allows R requests per W seconds,
/// sent by the dispatcher paced at the same limit, over real HTTP with the real SDK. Prints achieved rate / allowed
/// rate (target ≥ 0.9), throttled answers, duplicates and peak concurrency.
/// Options: <c>--invites N</c> (1000), <c>--limit R</c> (100), <c>--window W</c> seconds (2), <c>--smoke</c>.
/// </summary>
public static class GraphBenchmark
{
    private const string Organizer = "organizer@contoso.test";

    public static async Task RunAsync(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var invites = Option(args, "--invites", smoke ? 200 : 1_000);
        var limit = Option(args, "--limit", 100);
        var window = TimeSpan.FromSeconds(Option(args, "--window", 2));

        var file = Path.Combine(Path.GetTempPath(), $"mentorflow-graph-bench-{Guid.NewGuid():N}.db");
        var connection = new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30 }.ToString();
        var sandboxOptions = new GraphSandboxOptions { Port = 0, ThrottleRequests = limit, ThrottleWindow = window };
        var store = new SandboxStore(() => new GraphBenchDbContext(new DbContextOptionsBuilder<GraphBenchDbContext>().UseSqlite(connection).Options));
        var sandbox = new GraphSandbox(Options.Create(sandboxOptions), TimeProvider.System, store);
        await using var host = new GraphSandboxHost(sandbox, Options.Create(sandboxOptions), NullLogger<GraphSandboxHost>.Instance);
        await host.StartAsync(CancellationToken.None);
        var baseUrl = await host.GetBaseUrlAsync(CancellationToken.None);
        try
        {
            await using (var db = new GraphBenchDbContext(new DbContextOptionsBuilder<GraphBenchDbContext>().UseSqlite(connection).Options))
            {
                await db.Database.EnsureCreatedAsync();
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Graph:Mode"] = "Sandbox",
                ["Graph:BaseUrl"] = baseUrl.ToString().TrimEnd('/'),
                ["GraphSandbox:AccessToken"] = host.AccessToken,
                ["Graph:OrganizerMailbox"] = Organizer,
                ["Graph:Dispatcher:RequestsPerWindow"] = limit.ToString(CultureInfo.InvariantCulture),
                ["Graph:Dispatcher:Window"] = window.ToString("c", CultureInfo.InvariantCulture),
                ["Graph:Dispatcher:PollInterval"] = "00:00:00.050",
            });
            builder.Services.AddLogging();
            builder.Services.AddDbContextFactory<GraphBenchDbContext>(o => o.UseSqlite(connection));
            builder.AddGraphGateway<GraphBenchDbContext>();
            using var app = builder.Build();

            var now = TimeProvider.System.GetUtcNow();
            await using (var db = new GraphBenchDbContext(new DbContextOptionsBuilder<GraphBenchDbContext>().UseSqlite(connection).Options))
            {
                db.Set<GraphOutboxMessage>().AddRange(Enumerable.Range(0, invites).Select(i => GraphOutboxMessages.Invite(
                    $"bench/pair-{i}/kickoff/0", Organizer,
                    new InviteRequest("Kick-off", "<p>Welcome</p>", new DateTime(2026, 3, 2, 9, 0, 0).AddHours(i),
                        new DateTime(2026, 3, 2, 9, 30, 0).AddHours(i), "Europe/London", [new EmailContact($"mentee{i}@contoso.test")]),
                    now)));
                await db.SaveChangesAsync();
            }

            var clock = Stopwatch.StartNew();
            await app.StartAsync();
            var sent = 0;
            while (clock.Elapsed < TimeSpan.FromMinutes(30))
            {
                await using var db = new GraphBenchDbContext(new DbContextOptionsBuilder<GraphBenchDbContext>().UseSqlite(connection).Options);
                sent = await db.Set<GraphOutboxMessage>().CountAsync(m => m.Status != GraphMessageStatus.Pending);
                if (sent == invites)
                {
                    break;
                }

                await Task.Delay(25);
            }

            var elapsed = clock.Elapsed;
            await app.StopAsync();

            var events = (await sandbox.EventsAsync(Organizer));
            var allowed = limit / window.TotalSeconds;
            var achieved = invites / elapsed.TotalSeconds;
            var rows = new (string Measure, string Value, string Target)[]
            {
                ("invites to one mailbox", F(invites), string.Empty),
                ("sandbox limit", $"{limit} per {window.TotalSeconds:0.#} s", string.Empty),
                ("elapsed", $"{elapsed.TotalSeconds:0.0} s", string.Empty),
                ("allowed rate (requests/s)", F(allowed, "0.0"), string.Empty),
                ("achieved rate (invites/s)", F(achieved, "0.0"), string.Empty),
                ("achieved / allowed", F(achieved / allowed, "0.00"), "≥ 0.90"),
                ("events in the sandbox", F(events.Count), F(invites)),
                ("duplicate events (same transactionId)", F(events.Count - events.Select(e => e.TransactionId).Distinct().Count()), "0"),
                ("429 answers", F(sandbox.ThrottledCount), "0 (paced)"),
                ("$batch requests", F(sandbox.BatchCount), string.Empty),
                ("peak concurrent requests", F(sandbox.PeakConcurrency(Organizer)), "≤ 4"),
            };
            Console.WriteLine();
            Console.WriteLine($"| {"measure",-40} | {"value",-20} | {"target",-12} |");
            Console.WriteLine($"|{new string('-', 42)}|{new string('-', 22)}|{new string('-', 14)}|");
            foreach (var (measure, value, target) in rows)
            {
                Console.WriteLine($"| {measure,-40} | {value,-20} | {target,-12} |");
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    private static string F(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);

    private sealed class GraphBenchDbContext(DbContextOptions<GraphBenchDbContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddGraphModel();
    }
}
