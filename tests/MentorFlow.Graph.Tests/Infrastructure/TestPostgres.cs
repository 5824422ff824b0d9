using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MentorFlow.Graph.Tests.Infrastructure;

/// <summary>
/// A uniquely named database on the real PostgreSQL server the test script starts (MENTORFLOW_TEST_POSTGRES), with
/// the test model created; dropped on dispose. Without the variable the test fails and says how to get one.
/// </summary>
public sealed class TestPostgres : IGraphTestDatabase, IAsyncDisposable
{
    private readonly string _admin;

    private TestPostgres(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<TestPostgres> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable("MENTORFLOW_TEST_POSTGRES");
        Assert.False(string.IsNullOrWhiteSpace(admin),
            "MENTORFLOW_TEST_POSTGRES is not set: run the tests with ./test.sh, or export the output of scripts/dev-postgres.sh.");
        var name = "mf_graph_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var database = new TestPostgres(admin!, name);
        await using var db = database.CreateContext();
        await db.Database.EnsureCreatedAsync();
        return database;
    }

    public void Configure(DbContextOptionsBuilder options) => options.UseNpgsql(ConnectionString);

    public GraphTestDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<GraphTestDbContext>().UseNpgsql(ConnectionString).Options);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
