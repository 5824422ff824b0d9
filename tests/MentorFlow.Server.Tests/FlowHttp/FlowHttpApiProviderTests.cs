using MentorFlow.Testing;

namespace MentorFlow.Server.Tests.FlowHttp;

/// <summary>The flow HTTP tests on the server's embedded SQLite database.</summary>
public sealed class FlowHttpApiSqliteTests(FlowHttpServer server) : FlowHttpApiTests(server), IClassFixture<FlowHttpServer>;

/// <summary>The flow HTTP tests on a database of the real PostgreSQL test server.</summary>
public sealed class FlowHttpApiPostgresTests(PostgresFlowHttpServer fixture) : FlowHttpApiTests(fixture.Server), IClassFixture<PostgresFlowHttpServer>;

/// <summary>The server in front of the flows' HTTP Endpoints on its own PostgreSQL database (dropped at the end).</summary>
public sealed class PostgresFlowHttpServer : IAsyncLifetime
{
    private TestPostgres? _database;

    public FlowHttpServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateAsync();
        Server = new FlowHttpServer
        {
            Settings = new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Postgres",
                ["ConnectionStrings:mentorflow"] = _database.ConnectionString,
            },
        };
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
