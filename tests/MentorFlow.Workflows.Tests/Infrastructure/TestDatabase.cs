using MentorFlow.Testing;
using MentorFlow.Workflows.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MentorFlow.Workflows.Tests.Infrastructure;

/// <summary>A unique database per test: a SQLite file, or a PostgreSQL database created on the test server.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(bool postgres, string connectionString, TestPostgres? postgresDatabase, string? file)
    {
        IsPostgres = postgres;
        ConnectionString = connectionString;
        _postgres = postgresDatabase;
        _file = file;
    }

    private readonly TestPostgres? _postgres;
    private readonly string? _file;

    public bool IsPostgres { get; }
    public string ConnectionString { get; }

    public static async Task<TestDatabase> SqliteAsync()
    {
        var file = Path.Combine(Path.GetTempPath(), "mf-wf-" + Guid.NewGuid().ToString("N") + ".db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30, Pooling = true }.ToString();
        var database = new TestDatabase(false, connectionString, null, file);
        await using var db = database.CreateContext();
        await db.Database.EnsureCreatedAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        return database;
    }

    public static async Task<TestDatabase> PostgresAsync()
    {
        var postgres = await TestPostgres.CreateAsync("mf_wf_");
        var connectionString = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { MaxPoolSize = 40 }.ToString();
        var database = new TestDatabase(true, connectionString, postgres, null);
        await using var db = database.CreateContext();
        await db.Database.EnsureCreatedAsync();
        return database;
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        if (IsPostgres)
        {
            options.UseNpgsql(ConnectionString);
        }
        else
        {
            options.UseSqlite(ConnectionString).AddInterceptors(new SqliteDurabilityInterceptor());
        }
    }

    public TestDbContext CreateContext()
    {
        var options = new DbContextOptionsBuilder<TestDbContext>();
        Configure(options);
        return new TestDbContext(options.Options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        else if (_file is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { _file, _file + "-wal", _file + "-shm" })
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                }
            }
        }
    }
}
