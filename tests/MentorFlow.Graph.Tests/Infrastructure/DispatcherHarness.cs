using MentorFlow.Graph.Gateway;
using MentorFlow.Graph.Outbox;
using MentorFlow.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MentorFlow.Graph.Tests.Infrastructure;

/// <summary>
/// The Graph module composed as the server composes it (<c>AddGraphGateway</c>, options from configuration),
/// on a test database, aimed at a sandbox. Rounds are driven by the test, or by the hosted dispatcher.
/// </summary>
public sealed class DispatcherHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private DispatcherHarness(IHost host, IGraphTestDatabase database)
    {
        _host = host;
        Database = database;
    }

    public IGraphTestDatabase Database { get; }

    public IServiceProvider Services => _host.Services;

    public GraphOutboxDispatcher<GraphTestDbContext> Dispatcher => Services.GetRequiredService<GraphOutboxDispatcher<GraphTestDbContext>>();

    public static async Task<DispatcherHarness> StartAsync(
        SandboxServer server,
        IGraphTestDatabase database,
        IDictionary<string, string?>? settings = null,
        Func<HttpMessageHandler>? transport = null,
        bool runHostedDispatcher = false,
        bool withEngine = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var configuration = new Dictionary<string, string?>
        {
            ["Graph:Mode"] = "Sandbox",
            ["Graph:BaseUrl"] = server.BaseUrl.ToString().TrimEnd('/'),
            ["Graph:OrganizerMailbox"] = SandboxServer.Organizer,
            ["GraphSandbox:AccessToken"] = server.AccessToken,
            ["Graph:Dispatcher:Enabled"] = runHostedDispatcher ? "true" : "false",
            ["Graph:Dispatcher:BaseBackoff"] = "00:00:00.050",
            ["Graph:Dispatcher:MaxBackoff"] = "00:00:01",
            ["Graph:Dispatcher:PollInterval"] = "00:00:00.050",
            ["Graph:Dispatcher:MailReconcileDelay"] = "00:00:00",
            ["Graph:Dispatcher:Lease"] = "00:00:30",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddLogging();
        builder.Services.AddDbContextFactory<GraphTestDbContext>(database.Configure);
        if (transport is not null)
        {
            builder.Services.AddSingleton(new GraphTransport(transport));
        }

        if (withEngine)
        {
            builder.Services.AddWorkflowEngine<GraphTestDbContext>(o => o.EnableBackgroundServices = false);
        }

        builder.AddGraphGateway<GraphTestDbContext>();
        var host = builder.Build();
        await host.StartAsync();
        return new DispatcherHarness(host, database);
    }

    public async Task EnqueueAsync(IEnumerable<GraphOutboxMessage> messages)
    {
        await using var db = Database.CreateContext();
        db.Set<GraphOutboxMessage>().AddRange(messages);
        await db.SaveChangesAsync();
    }

    public async Task<List<GraphOutboxMessage>> MessagesAsync()
    {
        await using var db = Database.CreateContext();
        return await db.Set<GraphOutboxMessage>().AsNoTracking().OrderBy(m => m.CreatedAt).ToListAsync();
    }

    public async Task<GraphOutboxMessage> MessageAsync(string key) => (await MessagesAsync()).Single(m => m.IdempotencyKey == key);

    /// <summary>Runs dispatcher rounds until no row is pending (or the timeout passes, then fails).</summary>
    public async Task RunUntilSettledAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (true)
        {
            await using (var db = Database.CreateContext())
            {
                if (!await db.Set<GraphOutboxMessage>().AnyAsync(m => m.Status == GraphMessageStatus.Pending, cancellation.Token))
                {
                    return;
                }
            }

            if (await Dispatcher.DispatchOnceAsync(cancellation.Token) == 0)
            {
                await Task.Delay(20, cancellation.Token);
            }
        }
    }

    /// <summary>Waits (with the hosted dispatcher running) until no row is pending.</summary>
    public async Task WaitUntilSettledAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (true)
        {
            await using (var db = Database.CreateContext())
            {
                if (!await db.Set<GraphOutboxMessage>().AnyAsync(m => m.Status == GraphMessageStatus.Pending, cancellation.Token))
                {
                    return;
                }
            }

            await Task.Delay(100, cancellation.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _host.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // A host whose transport was frozen (crash tests) does not stop in time; it is disposed anyway.
        }

        _host.Dispose();
    }
}
