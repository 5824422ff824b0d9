using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Server.Persistence;
using MentorFlow.Server.Security;
using MentorFlow.Server.Tests.Infrastructure;
using MentorFlow.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Server.Tests.Security;

/// <summary>Manager keys as credentials: named, stored hashed, created and revoked by API, generated only in Development.</summary>
public sealed class ManagerKeyTests
{
    private static readonly Uri InfoUrl = new("/api/system", UriKind.Relative);

    [Fact]
    public async Task FirstRun_InDevelopmentWithNoKey_StoresOneGeneratedKey()
    {
        using var server = new EnvironmentServer("Development") { WithManagerKey = false };
        using var client = server.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(InfoUrl)).StatusCode);
        await using var scope = server.Services.CreateAsyncScope();
        var key = Assert.Single(await scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>().ManagerApiKeys.ToListAsync());
        Assert.Equal(ManagerApiKey.FirstDevelopmentKeyId, key.Id);
        Assert.Equal(64, key.KeyHash.Length);
    }

    [Fact]
    public async Task Start_InProductionWithNoKey_ExitsNamingTheSettingAndStoresNoKey()
    {
        var directory = Directory.CreateTempSubdirectory("mentorflow-nokey-").FullName;
        var database = Path.Combine(directory, "mf.db");

        var result = await ServerProcess.RunAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__mentorflow"] = $"Data Source={database}",
            ["Mentoring__Links__SigningKey"] = "test-link-signing-key-0123456789abcdef",
            ["Mentoring__Links__PublicBaseUrl"] = "https://mentorflow.example",
        }, ["--urls", "http://127.0.0.1:0"], TimeSpan.FromSeconds(60));

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("mentorflow-server: configuration error: no manager API key: set Security:ManagerApiKeys:0", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Development manager API key", result.StandardOutput, StringComparison.Ordinal);
        await using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            await connection.OpenAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM manager_api_keys";
            Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task CreatedKey_WorksAndIsListedByNameWithoutTheKeyOrItsHash()
    {
        using var server = new ServerFactory();
        using var manager = server.CreateManagerClient();

        var created = await CreateKeyAsync(manager, "ci pipeline");
        using var ci = Client(server, created.Key);
        var info = await ci.GetAsync(InfoUrl);
        var list = await manager.GetStringAsync(new Uri("/api/manager-keys", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, info.StatusCode);
        Assert.StartsWith("mf_", created.Key, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(list);
        var items = document.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["configured key 0", "ci pipeline"], items.Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(created.Id, items[1].GetProperty("id").GetString());
        Assert.True(items[1].GetProperty("revocable").GetBoolean());
        Assert.False(items[0].GetProperty("revocable").GetBoolean());
        Assert.DoesNotContain(created.Key, list, StringComparison.Ordinal);
        Assert.DoesNotContain(ManagerApiKey.Hash(created.Key), list, StringComparison.Ordinal);
        Assert.DoesNotContain(ManagerApiKey.Hash(ServerFactory.ManagerKey), list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateKey_WithoutName_IsA400NamingTheField()
    {
        using var server = new ServerFactory();
        using var manager = server.CreateManagerClient();

        var response = await manager.PostAsJsonAsync("/api/manager-keys", new { name = "  " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task RevokedKey_IsRefusedByAnotherInstanceSharingTheDatabase_AfterOneRefreshInterval()
    {
        using var first = new ServerFactory();
        using var second = new ServerFactory { Settings = { ["ConnectionStrings:mentorflow"] = $"Data Source={first.DatabasePath}" } };
        using var manager = first.CreateManagerClient();
        _ = second.Server;

        var created = await CreateKeyAsync(manager, "laptop");
        using var onFirst = Client(first, created.Key);
        using var onSecond = Client(second, created.Key);
        var secondBeforeRefresh = (await onSecond.GetAsync(InfoUrl)).StatusCode;
        await AdvanceUntilAsync(second, onSecond, HttpStatusCode.OK);

        var revoke = await manager.PostAsync(new Uri($"/api/manager-keys/{created.Id}/revoke", UriKind.Relative), null);
        var firstAfterRevoke = (await onFirst.GetAsync(InfoUrl)).StatusCode;
        var secondBeforeItsRefresh = (await onSecond.GetAsync(InfoUrl)).StatusCode;
        await AdvanceUntilAsync(second, onSecond, HttpStatusCode.Unauthorized);

        Assert.Equal(HttpStatusCode.Unauthorized, secondBeforeRefresh);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, firstAfterRevoke);
        Assert.Equal(HttpStatusCode.OK, secondBeforeItsRefresh);
        var list = await manager.GetFromJsonAsync<JsonElement>("/api/manager-keys");
        var laptop = list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == created.Id);
        Assert.Equal(first.Clock.GetUtcNow(), laptop.GetProperty("revokedAt").GetDateTimeOffset());
        Assert.False(laptop.GetProperty("revocable").GetBoolean());
    }

    [Fact]
    public async Task AuditTrail_RecordsTheKeysNameAndIdAsTheActor()
    {
        using var server = new ServerFactory
        {
            WithManagerKey = false,
            Settings =
            {
                ["Security:ManagerApiKeys:0:Name"] = "ops laptop",
                ["Security:ManagerApiKeys:0:Key"] = ServerFactory.ManagerKey,
            },
        };
        using var manager = server.CreateManagerClient();
        var created = await CreateKeyAsync(manager, "Grace's tablet");
        using var grace = Client(server, created.Key);

        (await manager.PostAsJsonAsync("/api/programmes", Programme("By ops"))).EnsureSuccessStatusCode();
        (await grace.PostAsJsonAsync("/api/programmes", Programme("By Grace"))).EnsureSuccessStatusCode();

        await using var scope = server.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>().Set<AuditEntry>().AsNoTracking()
            .Where(a => a.Action == "programme.created").ToListAsync();
        var opsId = "configured-" + ManagerApiKey.Hash(ServerFactory.ManagerKey)[..8];
        Assert.Equal($"manager:ops laptop ({opsId})", audit.Single(a => a.Subject == "By ops").Actor);
        Assert.Equal($"manager:Grace's tablet ({created.Id})", audit.Single(a => a.Subject == "By Grace").Actor);
        Assert.DoesNotContain(audit, a => a.Actor == "manager");
    }

    [Fact]
    public async Task Revoke_AConfiguredKeyOrTheLastWorkingKey_IsA409SayingWhatToDo()
    {
        using var configured = new ServerFactory();
        using var manager = configured.CreateManagerClient();
        var configuredId = "configured-" + ManagerApiKey.Hash(ServerFactory.ManagerKey)[..8];
        using var development = new EnvironmentServer("Development") { WithManagerKey = false };
        const string mine = "mf_test-stored-key-0123456789abcdef";
        await using (var scope = development.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
            db.ManagerApiKeys.Add(new ManagerApiKey { Id = Guid.NewGuid(), Name = "mine", KeyHash = ManagerApiKey.Hash(mine), CreatedAt = development.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
            await scope.ServiceProvider.GetRequiredService<ManagerKeyStore>().RefreshAsync();
        }

        using var owner = Client(development, mine);
        var mineId = (await owner.GetFromJsonAsync<JsonElement>("/api/manager-keys")).GetProperty("items").EnumerateArray()
            .Single(k => k.GetProperty("name").GetString() == "mine").GetProperty("id").GetString();

        var revokeConfigured = await manager.PostAsync(new Uri($"/api/manager-keys/{configuredId}/revoke", UriKind.Relative), null);
        var revokeUnknown = await manager.PostAsync(new Uri($"/api/manager-keys/{Guid.NewGuid():N}/revoke", UriKind.Relative), null);
        var revokeGenerated = await owner.PostAsync(new Uri($"/api/manager-keys/{ManagerApiKey.FirstDevelopmentKeyId:N}/revoke", UriKind.Relative), null);
        var revokeLast = await owner.PostAsync(new Uri($"/api/manager-keys/{mineId}/revoke", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Conflict, revokeConfigured.StatusCode);
        Assert.Contains("Security:ManagerApiKeys", await revokeConfigured.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, revokeUnknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, revokeGenerated.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, revokeLast.StatusCode);
        Assert.Contains("create another key first", await revokeLast.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(InfoUrl)).StatusCode);
    }

    [Fact]
    public async Task FirstRun_TwoDevelopmentReplicasStartingTogetherOnPostgres_EndWithOneGeneratedKey()
    {
        await using var postgres = await TestPostgres.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:mentorflow"] = postgres.ConnectionString,
        };
        using (var migrator = new ServerFactory { Settings = settings })
        {
            _ = migrator.Server;
        }

        var replicas = Enumerable.Range(0, 2).Select(_ => new EnvironmentServer("Development") { WithManagerKey = false, Settings = settings }).ToList();
        try
        {
            await Task.WhenAll(replicas.Select(replica => Task.Run(() => replica.Server)));

            await using var scope = replicas[0].Services.CreateAsyncScope();
            var keys = await scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>().ManagerApiKeys.ToListAsync();
            Assert.Equal(ManagerApiKey.FirstDevelopmentKeyId, Assert.Single(keys).Id);
            Assert.All(replicas, replica => Assert.Equal(1, replica.Services.GetRequiredService<ManagerKeyRing>().StoredCount));
        }
        finally
        {
            replicas.ForEach(replica => replica.Dispose());
        }
    }

    internal sealed record Created(string Id, string Name, string Key);

    internal static async Task<Created> CreateKeyAsync(HttpClient manager, string name)
    {
        var response = await manager.PostAsJsonAsync("/api/manager-keys", new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (await response.Content.ReadFromJsonAsync<Created>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
    }

    internal static HttpClient Client(ServerFactory server, string key)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("ApiKey", key);
        return client;
    }

    internal static object Programme(string name) => new
    {
        name,
        description = "A programme.",
        organizerMailbox = "mentoring@contoso.test",
        timeZone = "Europe/London",
        language = "en",
        resources = Array.Empty<object>(),
        lengthOptions = new[] { "3-6" },
        targetMenteesPerMentor = 2,
        pollClosesAt = new DateTimeOffset(2026, 11, 16, 9, 0, 0, TimeSpan.Zero),
        applicationsCloseAt = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero),
        defaultMeetingFrequency = "every-2-weeks",
        defaultCommunication = "video",
        confirmationDays = 5,
        kickOffDays = 7,
    };

    /// <summary>Moves the server's clock one refresh interval (5 s) at a time until the key gets the expected answer (10 s of real time at most).</summary>
    private static async Task AdvanceUntilAsync(ServerFactory server, HttpClient client, HttpStatusCode expected)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        server.Clock.Advance(TimeSpan.FromSeconds(5));
        while ((await client.GetAsync(InfoUrl)).StatusCode != expected)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"the second instance did not answer {expected} after its key refresh");
            await Task.Delay(50);
        }
    }
}

/// <summary>The test server in a given hosting environment (e.g. Development, where a first key is generated).</summary>
internal sealed class EnvironmentServer(string environment) : ServerFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment(environment);
    }
}
