using System.Data.Common;
using MentorFlow.Workflows.Activities.Http;
using MentorFlow.Workflows.Persistence;
using MentorFlow.Workflows.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Workflows.Tests;

/// <summary>
/// Which published versions the flow HTTP router answers from: the versions flagged as naming an HTTP Endpoint, found
/// through the partial index on both providers; a retracted or superseded version leaves its per-process route cache,
/// and a retract on another replica counts at the next request.
/// </summary>
public sealed class HttpEndpointRouterTests : EngineTestBase
{
    private HttpEndpointRouter<TestDbContext> Router => Host.Services.GetRequiredService<HttpEndpointRouter<TestDbContext>>();

    private static string EndpointFlow(string definitionId, string path) => Flow.Create($"Endpoint {definitionId}", definitionId)
        .Add("in", "Elsa.HttpEndpoint", ("path", Flow.Literal(path)))
        .Json;

    private async Task<WorkflowDefinitionRecord> StoredAsync(string definitionId, bool published)
    {
        await using var db = Database.CreateContext();
        return await db.Set<WorkflowDefinitionRecord>().AsNoTracking().SingleAsync(d => d.DefinitionId == definitionId && d.IsPublished == published);
    }

    [Fact]
    public async Task SavingAVersion_FlagsItByWhetherItsJsonNamesAnHttpEndpoint()
    {
        await Host.PublishAsync(EndpointFlow("with-endpoint", "/flagged"));
        await Host.PublishAsync(Flow.Create("No endpoint", "without-endpoint").Add("log", "Elsa.WriteLine", ("text", Flow.Literal("hi"))).Json);

        Assert.True((await StoredAsync("with-endpoint", published: true)).HasHttpEndpoint);
        Assert.False((await StoredAsync("without-endpoint", published: true)).HasHttpEndpoint);
    }

    [Fact]
    public async Task RetractedFlow_IsNotFoundOnItsPath_AndItsRoutesLeaveTheCache()
    {
        await Host.PublishAsync(EndpointFlow("retracted", "/going-away"));
        var version = await StoredAsync("retracted", published: true);
        var before = await Router.MatchAsync("GET", ["going-away"]);
        var cachedBefore = Router.CachedVersionIds;

        await Host.Definitions.RetractAsync("retracted");
        var after = await Router.MatchAsync("GET", ["going-away"]);

        Assert.Equal("retracted", before.StartRoute!.DefinitionId);
        Assert.Contains(version.Id, cachedBefore);
        Assert.False(after.PathFound);
        Assert.DoesNotContain(version.Id, Router.CachedVersionIds);
    }

    [Fact]
    public async Task RepublishedFlow_AnswersFromItsNewVersion_AndTheOldVersionLeavesTheCache()
    {
        await Host.PublishAsync(EndpointFlow("moving", "/old-place"));
        var first = await StoredAsync("moving", published: true);
        Assert.True((await Router.MatchAsync("GET", ["old-place"])).PathFound);

        await Host.PublishAsync(EndpointFlow("moving", "/new-place"));
        var second = await StoredAsync("moving", published: true);
        var oldPath = await Router.MatchAsync("GET", ["old-place"]);
        var newPath = await Router.MatchAsync("GET", ["new-place"]);

        Assert.NotEqual(first.Id, second.Id);
        Assert.False(oldPath.PathFound);
        Assert.Equal("moving", newPath.StartRoute!.DefinitionId);
        Assert.Equal([second.Id], Router.CachedVersionIds);
    }

    [Fact]
    public async Task RetractOnAnotherReplica_CountsAtTheNextRequest()
    {
        await using var other = await EngineHost.StartAsync(Database, new FakeTimeProvider(Clock.GetUtcNow()));
        await other.PublishAsync(EndpointFlow("shared", "/shared"));
        var published = await Router.MatchAsync("GET", ["shared"]);

        await other.Definitions.RetractAsync("shared");
        var retracted = await Router.MatchAsync("GET", ["shared"]);

        Assert.Equal("shared", published.StartRoute!.DefinitionId);
        Assert.False(retracted.PathFound);
        Assert.Empty(Router.CachedVersionIds);
    }

    [Fact]
    public async Task PublishedEndpointLookup_OnSqlite_IsAnsweredByThePartialIndex()
    {
        await Host.PublishAsync(EndpointFlow("indexed", "/indexed"));
        await using var db = Database.CreateContext();

        var plan = await PlanAsync(db, "EXPLAIN QUERY PLAN ");

        Assert.Contains("ix_wf_definitions_http_endpoints", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishedEndpointLookup_OnPostgres_IsAnsweredByThePartialIndex()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await using var host = await EngineHost.StartAsync(database, Clock);
        await host.PublishAsync(EndpointFlow("indexed", "/indexed"));
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync();
        // A table this small is read whole whatever its indexes; without that option the planner shows what it can use.
        await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");

        var plan = await PlanAsync(db, "EXPLAIN ");

        Assert.Contains("ix_wf_definitions_http_endpoints", plan, StringComparison.Ordinal);
        Assert.Equal(["indexed"], await db.Set<WorkflowDefinitionRecord>().Where(d => d.HasHttpEndpoint).Select(d => d.DefinitionId).ToListAsync());
    }

    private static async Task<string> PlanAsync(TestDbContext db, string explain)
    {
        var sql = HttpEndpointRouter<TestDbContext>.PublishedEndpointVersionIds(db.Set<WorkflowDefinitionRecord>()).ToQueryString();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = explain + sql;
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetValue(reader.FieldCount - 1)?.ToString() ?? "");
        }

        return string.Join('\n', lines);
    }
}
