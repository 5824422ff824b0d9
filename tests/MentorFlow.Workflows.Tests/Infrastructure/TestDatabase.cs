using MentorFlow.Workflows.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MentorFlow.Workflows.Tests.Infrastructure;

/// <summary>A unique database per test: a SQLite file, or a PostgreSQL database created on the test server.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(bool postgres, string connectionString, string? adminConnectionString, string name, string? file)
    {
        IsPostgres = postgres;
        ConnectionString = connectionString;
        _admin = adminConnectionString;
        _name = name;
        _file = file;
    }

    private readonly string? _admin;
    private readonly string _name;
    private readonly string? _file;

    public bool IsPostgres { get; }
    public string ConnectionString { get; }

    public static async Task<TestDatabase> SqliteAsync()
    {
        var file = Path.Combine(Path.GetTempPath(), "mf-wf-" + Guid.NewGuid().ToString("N") + ".db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30, Pooling = true }.ToString();
        var database = new TestDatabase(false, connectionString, null, file, file);
        await using var db = database.CreateContext();
        await db.Database.EnsureCreatedAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        return database;
    }

    public static async Task<TestDatabase> PostgresAsync()
    {
        var admin = Environment.GetEnvironmentVariable("MENTORFLOW_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(admin))
        {
            Assert.Fail("MENTORFLOW_TEST_POSTGRES is not set: PostgreSQL tests need a server (run scripts/dev-postgres.sh and export its connection string).");
        }

        var name = "mf_wf_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 40 }.ToString();
        var database = new TestDatabase(true, connectionString, admin, name, null);
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
        if (IsPostgres)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_admin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
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
