using Npgsql;

namespace MentorFlow.Server.Tests.Infrastructure;

/// <summary>
/// A uniquely named database on the real PostgreSQL server that ./test.sh starts (MENTORFLOW_TEST_POSTGRES);
/// dropped on dispose. Without the variable the test fails and says how to get one.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
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
        var name = "mf_test_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new TestPostgres(admin!, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
