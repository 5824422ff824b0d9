using MentorFlow.Testing;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Graph.Tests.Infrastructure;

/// <summary>A throwaway PostgreSQL database (<see cref="TestPostgres"/>) with the test model created; dropped on dispose.</summary>
public sealed class PostgresTestDatabase : IGraphTestDatabase, IAsyncDisposable
{
    private readonly TestPostgres _postgres;

    private PostgresTestDatabase(TestPostgres postgres) => _postgres = postgres;

    public string ConnectionString => _postgres.ConnectionString;

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var database = new PostgresTestDatabase(await TestPostgres.CreateAsync("mf_graph_"));
        await using var db = database.CreateContext();
        await db.Database.EnsureCreatedAsync();
        return database;
    }

    public void Configure(DbContextOptionsBuilder options) => options.UseNpgsql(ConnectionString);

    public GraphTestDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<GraphTestDbContext>().UseNpgsql(ConnectionString).Options);

    public ValueTask DisposeAsync() => _postgres.DisposeAsync();
}
