using MentorFlow.Workflows.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Graph.Tests.Infrastructure;

/// <summary>A small context with the engine's and the Graph module's models, as the server composes them.</summary>
public sealed class GraphTestDbContext(DbContextOptions<GraphTestDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddWorkflowEngineModel().AddGraphModel();
}

/// <summary>A database with the test model: a SQLite file or a PostgreSQL database.</summary>
public interface IGraphTestDatabase
{
    void Configure(DbContextOptionsBuilder options);

    GraphTestDbContext CreateContext();
}

/// <summary>A unique SQLite file per test, created with EnsureCreated and deleted afterwards.</summary>
public sealed class TestDatabase : IGraphTestDatabase, IDisposable
{
    public TestDatabase()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mentorflow-graph-{Guid.NewGuid():N}.db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path, DefaultTimeout = 30 }.ToString();
        using var db = CreateContext();
        db.Database.EnsureCreated();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }

    public string Path { get; }

    public string ConnectionString { get; }

    public void Configure(DbContextOptionsBuilder options) => options.UseSqlite(ConnectionString);

    public GraphTestDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<GraphTestDbContext>().UseSqlite(ConnectionString).Options);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort: a file still open by a finished host is removed by the OS temp cleaner.
            }
        }
    }
}
