using MentorFlow.Server.Persistence;
using MentorFlow.Server.Tests.Infrastructure;
using MentorFlow.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Server.Tests.Foundation;

public sealed class MigrationTests
{
    [Fact]
    public async Task Sqlite_MigrationsCreateTheWholeModel_WithNoPendingChanges()
    {
        using var factory = new ServerFactory();
        _ = factory.Server; // starting the server applies the migrations

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
        Assert.IsType<SqliteMentorFlowDbContext>(db);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a migration: run scripts/add-migration.sh");
        Assert.Equal(0, await db.ManagerApiKeys.CountAsync());
    }

    [Fact]
    public async Task Postgres_MigrationsCreateTheWholeModel_WithNoPendingChanges()
    {
        await using var postgres = await TestPostgres.CreateAsync();
        using var factory = new ServerFactory
        {
            Settings = new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Postgres",
                ["ConnectionStrings:mentorflow"] = postgres.ConnectionString,
            },
        };
        _ = factory.Server;

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
        Assert.IsType<PostgresMentorFlowDbContext>(db);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a migration: run scripts/add-migration.sh");
    }

    [Fact]
    public async Task Postgres_ThreeReplicasMigratingAtOnce_AllStartAndApplyEachMigrationOnce()
    {
        await using var postgres = await TestPostgres.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:mentorflow"] = postgres.ConnectionString,
        };
        var replicas = Enumerable.Range(0, 3).Select(_ => new ServerFactory { Settings = settings }).ToList();
        try
        {
            await Task.WhenAll(replicas.Select(replica => Task.Run(() => replica.Server)));

            await using var scope = replicas[0].Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
            var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
            Assert.Equal(db.Database.GetMigrations().ToList(), applied);
        }
        finally
        {
            replicas.ForEach(replica => replica.Dispose());
        }
    }
}
