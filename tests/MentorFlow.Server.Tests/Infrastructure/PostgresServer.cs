using MentorFlow.Testing;

namespace MentorFlow.Server.Tests.Infrastructure;

/// <summary>A test server (<typeparamref name="TServer"/>) on its own database of the real PostgreSQL test server, dropped at the end.</summary>
public sealed class PostgresServer<TServer> : IAsyncLifetime
    where TServer : ServerFactory, new()
{
    private TestPostgres? _database;

    public TServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateAsync();
        Server = new TServer
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
