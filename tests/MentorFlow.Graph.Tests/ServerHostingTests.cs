using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MentorFlow.Graph.Outbox;
using MentorFlow.Graph.Sandbox;
using System.Diagnostics;
using MentorFlow.Graph.Tests.Infrastructure;
using MentorFlow.Server.Persistence;
using MentorFlow.Testing.Server;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Graph.Tests;

/// <summary>The Graph module inside the real server: sandbox on its own address, manager API, start-up checks, a real crash.</summary>
public sealed class ServerHostingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Server_InDefaultSandboxMode_HostsTheSandboxOnItsOwnV1RootAndSendsQueuedMail()
    {
        await using var factory = new GraphServerFactory();
        using var client = factory.CreateManagerClient();

        var info = await client.GetFromJsonAsync<JsonElement>("/api/graph/sandbox");
        var host = factory.Services.GetRequiredService<GraphSandboxHost>();
        await EnqueueAsync(factory, GraphOutboxMessages.Mail("server-welcome", GraphOptions.SandboxOrganizer, Requests.Mail(), TimeProvider.System.GetUtcNow()));
        await WaitAsync(async () => (await host.Sandbox.MessagesAsync()).Count == 1);
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("ApiKey", GraphServerFactory.ManagerKey);
        var view = await http.GetStringAsync(new Uri(host.Origin!, "mailbox/mentee%40contoso.test"));

        Assert.True(info.GetProperty("hosted").GetBoolean());
        Assert.EndsWith("/v1.0", info.GetProperty("graphBaseUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal(GraphOptions.SandboxOrganizer, (await host.Sandbox.MessagesAsync())[0].Sender);
        Assert.Contains("Welcome", view, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncidentsApi_ListsAGraphRefusalWithGraphsMessageAndRetryRequeuesIt()
    {
        await using var factory = new GraphServerFactory();
        using var client = factory.CreateManagerClient();
        using var anonymous = factory.CreateClient();
        var host = factory.Services.GetRequiredService<GraphSandboxHost>();
        host.Sandbox.InjectFault(new SandboxFault(404, "ErrorInvalidUser", "The requested user 'gone@contoso.test' is invalid."));
        await EnqueueAsync(factory, GraphOutboxMessages.Invite("server-kickoff", "gone@contoso.test", Requests.Invite(), TimeProvider.System.GetUtcNow()));

        JsonElement incident = default;
        await WaitAsync(async () =>
        {
            var incidents = await client.GetFromJsonAsync<JsonElement[]>("/api/graph/incidents");
            incident = incidents!.FirstOrDefault(i => i.GetProperty("idempotencyKey").GetString() == "server-kickoff");
            return incident.ValueKind == JsonValueKind.Object;
        });
        using var retry = await client.PostAsync($"/api/graph/incidents/{incident.GetProperty("id").GetString()}/retry", null);
        await WaitAsync(async () => (await host.Sandbox.EventsAsync()).Count == 1);
        using var unauthorized = await anonymous.GetAsync("/api/graph/incidents");

        Assert.Equal("ErrorInvalidUser", incident.GetProperty("graphErrorCode").GetString());
        Assert.Equal("The requested user 'gone@contoso.test' is invalid.", incident.GetProperty("graphErrorMessage").GetString());
        Assert.Equal(404, incident.GetProperty("graphStatus").GetInt32());
        Assert.Equal("Failed", incident.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }

    [Fact]
    public async Task Server_InTenantModeWithoutTenantId_ExitsWithAMessageNamingTheSetting()
    {
        var directory = Directory.CreateTempSubdirectory("mentorflow-graph-child-").FullName;
        await using var child = StartServer(new Dictionary<string, string>
        {
            ["ConnectionStrings__mentorflow"] = $"Data Source={Path.Combine(directory, "mf.db")}",
            ["Graph__Mode"] = "Tenant",
            ["Graph__OrganizerMailbox"] = "programmes@contoso.test",
            ["Graph__ClientId"] = "0a1b2c3d-1111-4a4a-9b9b-123456789abc",
            ["Graph__ClientSecret"] = "not-a-real-secret",
        }, directory);

        var exitCode = await child.WaitForExitAsync(Timeout);

        Assert.Equal(1, exitCode);
        Assert.Contains("Graph:TenantId", child.Output, StringComparison.Ordinal);
        TryDelete(directory);
    }

    [Fact]
    public async Task Dispatcher_KilledMidBatchAndRestarted_LeavesExactly1000EventsAndNoDuplicates()
    {
        await using var sandbox = await SandboxServer.StartAsync(o =>
        {
            o.ThrottleRequests = 100;
            o.ThrottleWindow = TimeSpan.FromSeconds(1);
        });
        var directory = Directory.CreateTempSubdirectory("mentorflow-graph-crash-").FullName;
        var database = Path.Combine(directory, "mf.db");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__mentorflow"] = $"Data Source={database}",
            ["Security__ManagerApiKeys__0"] = "crash-test-manager-key-0123456789",
            ["Graph__BaseUrl"] = sandbox.BaseUrl.ToString().TrimEnd('/'),
            ["GraphSandbox__AccessToken"] = sandbox.AccessToken,
            ["Graph__OrganizerMailbox"] = SandboxServer.Organizer,
            ["Graph__Dispatcher__RequestsPerWindow"] = "100",
            ["Graph__Dispatcher__Window"] = "00:00:01",
            ["Graph__Dispatcher__Lease"] = "00:00:03",
            ["Graph__Dispatcher__PollInterval"] = "00:00:00.100",
        };
        var connection = new SqliteConnectionStringBuilder { DataSource = database, DefaultTimeout = 30 }.ToString();

        await using (var first = StartServer(environment, directory))
        {
            await WaitAsync(async () => await OutboxReadyAsync(connection), first);
            await using (var db = Context(connection))
            {
                db.Set<GraphOutboxMessage>().AddRange(Enumerable.Range(0, 1_000).Select(i => GraphOutboxMessages.Invite(
                    $"crash/pair-{i}/kickoff/0", SandboxServer.Organizer, Requests.Invite($"mentee{i}@contoso.test"), TimeProvider.System.GetUtcNow())));
                await db.SaveChangesAsync();
            }

            await WaitAsync(async () => (await sandbox.Sandbox.EventsAsync()).Count >= 300, first);
        }

        var atCrash = (await sandbox.Sandbox.EventsAsync()).Count;
        await using (var second = StartServer(environment, directory))
        {
            await WaitAsync(async () =>
            {
                await using var db = Context(connection);
                return !await db.Set<GraphOutboxMessage>().AnyAsync(m => m.Status == GraphMessageStatus.Pending);
            }, second);
        }

        await using var check = Context(connection);
        var rows = await check.Set<GraphOutboxMessage>().AsNoTracking().ToListAsync();
        var events = (await sandbox.Sandbox.EventsAsync());
        Assert.InRange(atCrash, 300, 999);
        Assert.Equal(1_000, events.Count);
        Assert.Equal(1_000, events.Select(e => e.TransactionId).Distinct().Count());
        Assert.All(rows, r => Assert.Equal(GraphMessageStatus.Sent, r.Status));
        Assert.Equal(events.Select(e => e.Id).Order(), rows.Select(r => r.EventId).Order());
        SqliteConnection.ClearAllPools();
        TryDelete(directory);
    }

    private static GraphTestDbContext Context(string connection) =>
        new(new DbContextOptionsBuilder<GraphTestDbContext>().UseSqlite(connection).Options);

    private static async Task<bool> OutboxReadyAsync(string connection)
    {
        try
        {
            await using var db = Context(connection);
            _ = await db.Set<GraphOutboxMessage>().CountAsync();
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private static async Task EnqueueAsync(GraphServerFactory factory, GraphOutboxMessage message)
    {
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<MentorFlowDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        db.Add(message);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// The built server as a real child process, as an operator runs it (Production); leaving its <c>await using</c>
    /// ends it with SIGKILL, like a crash.
    /// </summary>
    private static ServerProcess StartServer(IDictionary<string, string> environment, string workDirectory)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "MentorFlow.Server.dll");
        Assert.True(File.Exists(dll), $"built server not found at {dll}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workDirectory };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Mentoring__Links__SigningKey"] = "graph-tests-signing-key-0123456789abcdef";
        start.Environment["Mentoring__Links__PublicBaseUrl"] = "http://localhost";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return ServerProcess.Start(start);
    }

    private static Task WaitAsync(Func<bool> condition, ServerProcess? child = null) =>
        WaitAsync(() => Task.FromResult(condition()), child);

    private static async Task WaitAsync(Func<Task<bool>> condition, ServerProcess? child = null)
    {
        using var cancellation = new CancellationTokenSource(Timeout);
        while (!await condition())
        {
            if (child is { HasExited: true })
            {
                Assert.Fail($"the server exited ({child.ExitCode}): {child.Output}");
            }

            await Task.Delay(50, cancellation.Token);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned by the OS temp cleaner.
        }
    }
}
