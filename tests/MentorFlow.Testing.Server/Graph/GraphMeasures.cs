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

namespace MentorFlow.Testing.Server.Graph;

/// <summary>
/// The Graph outbox's figures: invites and mails queued for one mailbox whose sandbox takes
/// <see cref="GraphRunOptions.Limit"/> requests per <see cref="GraphRunOptions.Window"/>, sent by the dispatcher as the
/// server composes it (<c>AddGraphGateway</c>) through the real Microsoft.Graph SDK over real HTTP, each part on its
/// own sandbox and SQLite file. Used by the <c>graph</c> benchmark and at smoke size by
/// <c>tests/MentorFlow.Graph.Tests/GraphFiguresTests</c>.
/// </summary>
public static class GraphMeasures
{
    public const string Organizer = "organizer@contoso.test";

    /// <summary>Runs <see cref="GraphRunOptions.Parts"/> in turn on <paramref name="clock"/> (the sandbox's and the dispatcher's).</summary>
    public static async Task<GraphRunResult> RunAsync(GraphRunOptions options, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var parts = new List<GraphPartFigures>();
        foreach (var part in options.Parts)
        {
            parts.Add(part switch
            {
                GraphPart.Paced => await RunPartAsync(part, options.Invites, options.Mails, options.Limit, options, clock, cancellationToken),
                _ => await RunPartAsync(part, options.ThrottledInvites, options.ThrottledMails, options.Limit * options.OverEagerFactor, options, clock, cancellationToken),
            });
        }

        return new GraphRunResult(parts);
    }

    /// <summary>The invite of pair <paramref name="i"/>: one event, an hour after the previous pair's.</summary>
    public static GraphOutboxMessage Invite(int i, DateTimeOffset now) => GraphOutboxMessages.Invite(
        $"bench/pair-{i}/kickoff/0", Organizer,
        new InviteRequest("Kick-off", "<p>Welcome</p>", new DateTime(2026, 3, 2, 9, 0, 0).AddHours(i),
            new DateTime(2026, 3, 2, 9, 30, 0).AddHours(i), "Europe/London", [new EmailContact($"mentee{i}@contoso.test")]),
        now);

    /// <summary>The welcome mail of pair <paramref name="i"/>, with a subject no other mail has.</summary>
    public static GraphOutboxMessage Mail(int i, DateTimeOffset now) => GraphOutboxMessages.Mail(
        $"bench/pair-{i}/welcome/0", Organizer,
        new MailRequest([new EmailContact($"mentor{i}@contoso.test")], $"Welcome, pair {i}", "<p>Resources inside.</p>"),
        now);

    private static async Task<GraphPartFigures> RunPartAsync(
        GraphPart part, int invites, int mails, int dispatcherLimit, GraphRunOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"mentorflow-graph-bench-{Guid.NewGuid():N}.db");
        var connection = new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30 }.ToString();
        var contextOptions = new DbContextOptionsBuilder<GraphMeasuresDbContext>().UseSqlite(connection).Options;
        var sandboxOptions = new GraphSandboxOptions { Port = 0, ThrottleRequests = options.Limit, ThrottleWindow = options.Window };
        var store = new SandboxStore(() => new GraphMeasuresDbContext(contextOptions));
        var sandbox = new GraphSandbox(Options.Create(sandboxOptions), clock, store);
        await using var host = new GraphSandboxHost(sandbox, Options.Create(sandboxOptions), NullLogger<GraphSandboxHost>.Instance, clock: clock);
        await host.StartAsync(cancellationToken);
        var baseUrl = await host.GetBaseUrlAsync(cancellationToken);
        try
        {
            await using (var db = new GraphMeasuresDbContext(contextOptions))
            {
                await db.Database.EnsureCreatedAsync(cancellationToken);
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Graph:Mode"] = "Sandbox",
                ["Graph:BaseUrl"] = baseUrl.ToString().TrimEnd('/'),
                ["GraphSandbox:AccessToken"] = host.AccessToken,
                ["Graph:OrganizerMailbox"] = Organizer,
                ["Graph:Dispatcher:RequestsPerWindow"] = dispatcherLimit.ToString(CultureInfo.InvariantCulture),
                ["Graph:Dispatcher:Window"] = options.Window.ToString("c", CultureInfo.InvariantCulture),
                ["Graph:Dispatcher:PollInterval"] = "00:00:00.050",
            });
            builder.Services.AddLogging();
            builder.Services.AddSingleton(clock);
            builder.Services.AddDbContextFactory<GraphMeasuresDbContext>(o => o.UseSqlite(connection));
            builder.AddGraphGateway<GraphMeasuresDbContext>();
            using var app = builder.Build();

            var now = clock.GetUtcNow();
            await using (var db = new GraphMeasuresDbContext(contextOptions))
            {
                db.Set<GraphOutboxMessage>().AddRange(Enumerable.Range(0, invites).Select(i => Invite(i, now)));
                db.Set<GraphOutboxMessage>().AddRange(Enumerable.Range(0, mails).Select(i => Mail(i, now)));
                await db.SaveChangesAsync(cancellationToken);
            }

            var watch = Stopwatch.StartNew();
            await app.StartAsync(cancellationToken);
            while (watch.Elapsed < options.Timeout)
            {
                await using var db = new GraphMeasuresDbContext(contextOptions);
                if (!await db.Set<GraphOutboxMessage>().AnyAsync(m => m.Status == GraphMessageStatus.Pending, cancellationToken))
                {
                    break;
                }

                await Task.Delay(25, cancellationToken);
            }

            var elapsed = watch.Elapsed;
            await app.StopAsync(cancellationToken);

            List<GraphOutboxMessage> outbox;
            await using (var db = new GraphMeasuresDbContext(contextOptions))
            {
                outbox = await db.Set<GraphOutboxMessage>().AsNoTracking().ToListAsync(cancellationToken);
            }

            var events = await sandbox.EventsAsync(Organizer, cancellationToken);
            var messages = await sandbox.MessagesAsync(Organizer, cancellationToken);
            return new GraphPartFigures(
                part, invites, mails, options.Limit, dispatcherLimit, options.Window, elapsed,
                events.Count, events.Select(e => e.TransactionId).Distinct(StringComparer.Ordinal).Count(),
                messages.Count, messages.Select(m => m.Subject).Distinct(StringComparer.Ordinal).Count(),
                outbox.Count(m => m.Status == GraphMessageStatus.Sent),
                outbox.Count(m => m.Status == GraphMessageStatus.Pending),
                outbox.Count(m => m.Status == GraphMessageStatus.Failed),
                outbox.Count == 0 ? 0 : outbox.Max(m => m.Attempts),
                sandbox.ThrottledCount, sandbox.DuplicateTransactionCount, sandbox.BatchCount, sandbox.PeakConcurrency(Organizer));
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

    /// <summary>The outbox and the sandbox's tables on one SQLite file.</summary>
    private sealed class GraphMeasuresDbContext(DbContextOptions<GraphMeasuresDbContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddGraphModel();
    }
}
