using Npgsql;
using Xunit;

namespace MentorFlow.Testing;

/// <summary>
/// A uniquely named database on the real PostgreSQL server named by MENTORFLOW_TEST_POSTGRES (./test.sh starts one;
/// locally: <c>export MENTORFLOW_TEST_POSTGRES="$(scripts/dev-postgres.sh)"</c>); dropped on dispose. Without the
/// variable the test fails (never skips) and says how to get a server.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    /// <summary>The environment variable holding the admin connection string of the test server.</summary>
    public const string Variable = "MENTORFLOW_TEST_POSTGRES";

    private readonly string _admin;

    private TestPostgres(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
    }

    /// <summary>The database name: the prefix and 16 hex digits.</summary>
    public string Name { get; }

    /// <summary>The server's connection string aimed at this database.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates an empty database named <paramref name="prefix"/> and 16 hex digits.</summary>
    public static async Task<TestPostgres> CreateAsync(string prefix = "mf_test_")
    {
        var admin = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            Assert.Fail($"{Variable} is not set: PostgreSQL tests need a server. Run the tests with ./test.sh, or export {Variable}=\"$(scripts/dev-postgres.sh)\".");
        }

        var name = prefix + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new TestPostgres(admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
