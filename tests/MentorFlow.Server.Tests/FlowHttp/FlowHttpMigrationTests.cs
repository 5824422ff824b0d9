using System.Net;
using System.Text;
using MentorFlow.Server.Persistence;
using MentorFlow.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace MentorFlow.Server.Tests.FlowHttp;

/// <summary>
/// A database whose flows were published before versions carried the HTTP Endpoint flag: the migration adding it
/// flags the stored versions naming an HTTP Endpoint, so an endpoint flow published then still answers afterwards.
/// </summary>
public sealed class FlowHttpMigrationTests
{
    private const string FlagMigration = "DefinitionHttpEndpointFlag";

    [Fact]
    public async Task Sqlite_EndpointFlowPublishedBeforeTheFlag_StillAnswersAfterTheMigration()
    {
        using var server = new FlowHttpServer();
        var options = new DbContextOptionsBuilder<SqliteMentorFlowDbContext>().UseSqlite($"Data Source={server.DatabasePath}").Options;
        await using (var db = new SqliteMentorFlowDbContext(options))
        {
            await WriteBeforeTheFlagAsync(db);
        }

        await AssertAnswersAsync(server, () => new SqliteMentorFlowDbContext(options));
    }

    [Fact]
    public async Task Postgres_EndpointFlowPublishedBeforeTheFlag_StillAnswersAfterTheMigration()
    {
        await using var postgres = await TestPostgres.CreateAsync();
        var options = new DbContextOptionsBuilder<PostgresMentorFlowDbContext>().UseNpgsql(postgres.ConnectionString).Options;
        await using (var db = new PostgresMentorFlowDbContext(options))
        {
            await WriteBeforeTheFlagAsync(db);
        }

        using var server = new FlowHttpServer
        {
            Settings = new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Postgres",
                ["ConnectionStrings:mentorflow"] = postgres.ConnectionString,
            },
        };
        await AssertAnswersAsync(server, () => new PostgresMentorFlowDbContext(options));
    }

    /// <summary>
    /// Migrates to the migration before the flag and stores, as the server then did, a published endpoint flow and a
    /// published flow without one.
    /// </summary>
    private static async Task WriteBeforeTheFlagAsync(MentorFlowDbContext db)
    {
        var migrations = db.Database.GetMigrations().ToList();
        var flag = migrations.FindIndex(m => m.EndsWith("_" + FlagMigration, StringComparison.Ordinal));
        Assert.True(flag > 0, $"no migration named {FlagMigration}");
        await db.GetService<IMigrator>().MigrateAsync(migrations[flag - 1]);

        var endpoint = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Corpus", "http-endpoint-hello-world.json"), Encoding.UTF8);
        const string plain = """{"definitionId":"plain","name":"Plain","root":{"type":"Elsa.Flowchart","id":"root","activities":[],"connections":[]}}""";
        var createdAt = new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        foreach (var (id, definitionId, name, json) in new[] { ("before-flag-1", "corpus-http-hello-world", "HTTP hello world", endpoint), ("before-flag-2", "plain", "Plain", plain) })
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO wf_definitions (id, definition_id, name, version, is_latest, is_published, created_at, json, validation_errors)
                VALUES ({id}, {definitionId}, {name}, {1}, {true}, {true}, {createdAt}, {json}, {"[]"})
                """);
        }
    }

    private static async Task AssertAnswersAsync(FlowHttpServer server, Func<MentorFlowDbContext> open)
    {
        using var client = server.CreateClient(); // starting the server applies the remaining migrations

        var response = await client.GetAsync(new Uri("/workflows/hello-world", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello world!", await response.Content.ReadAsStringAsync());
        await using var db = open();
        var flags = await db.Set<Workflows.Persistence.WorkflowDefinitionRecord>().AsNoTracking()
            .Where(d => d.Id.StartsWith("before-flag-")).OrderBy(d => d.Id).Select(d => new { d.Id, d.HasHttpEndpoint }).ToListAsync();
        Assert.Equal([("before-flag-1", true), ("before-flag-2", false)], flags.Select(f => (f.Id, f.HasHttpEndpoint)));
    }
}
