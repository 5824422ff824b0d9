using MentorFlow.Server.Tests.Infrastructure;

namespace MentorFlow.Server.Tests.FlowHttp;

/// <summary>The flow HTTP tests on the server's embedded SQLite database.</summary>
public sealed class FlowHttpApiSqliteTests(FlowHttpServer server) : FlowHttpApiTests(server), IClassFixture<FlowHttpServer>;

/// <summary>The flow HTTP tests on a database of the real PostgreSQL test server.</summary>
public sealed class FlowHttpApiPostgresTests(PostgresServer<FlowHttpServer> fixture) : FlowHttpApiTests(fixture.Server), IClassFixture<PostgresServer<FlowHttpServer>>;
