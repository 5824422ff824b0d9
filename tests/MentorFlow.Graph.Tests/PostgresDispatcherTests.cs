using MentorFlow.Graph.Model;
using MentorFlow.Graph.Outbox;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Graph.Tests.Infrastructure;

namespace MentorFlow.Graph.Tests;

/// <summary>The outbox on PostgreSQL (the scale-out database): claims, leases and outcomes with several replicas.</summary>
public sealed class PostgresDispatcherTests
{
    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    [Fact]
    public async Task Postgres_ThreeReplicasSharingTheOutbox_SendEachMessageExactlyOnce()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var server = await SandboxServer.StartAsync();
        await using var first = await DispatcherHarness.StartAsync(server, database, runHostedDispatcher: true);
        await using var second = await DispatcherHarness.StartAsync(server, database, runHostedDispatcher: true);
        await using var third = await DispatcherHarness.StartAsync(server, database, runHostedDispatcher: true);
        await first.EnqueueAsync(Enumerable.Range(0, 300).Select(i => i % 3 == 0
            ? GraphOutboxMessages.Mail($"pg-mail-{i}", SandboxServer.Organizer, Requests.Mail($"m{i}@contoso.test"), Now)
            : GraphOutboxMessages.Invite($"pg-invite-{i}", SandboxServer.Organizer, Requests.Invite($"m{i}@contoso.test"), Now)));

        await first.WaitUntilSettledAsync(TimeSpan.FromSeconds(90));

        var messages = await first.MessagesAsync();
        Assert.All(messages, m => Assert.Equal(GraphMessageStatus.Sent, m.Status));
        Assert.Equal(200, (await server.Sandbox.EventsAsync()).Count);
        Assert.Equal(200, (await server.Sandbox.EventsAsync()).Select(e => e.TransactionId).Distinct().Count());
        Assert.Equal(100, (await server.Sandbox.MessagesAsync()).Count);
        Assert.Equal(0, server.Sandbox.DuplicateTransactionCount);
    }

    [Fact]
    public async Task Postgres_LostResponseThenUpdate_ReconcilesTheEventAndUpdatesIt()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var server = await SandboxServer.StartAsync();
        await using var harness = await DispatcherHarness.StartAsync(server, database);
        server.Sandbox.InjectFault(new SandboxFault(504, "GatewayTimeout", "Gateway timeout.", AfterExecution: true));
        await harness.EnqueueAsync(
        [
            GraphOutboxMessages.Invite("pg-kickoff", SandboxServer.Organizer, Requests.Invite(), Now),
            GraphOutboxMessages.Update("pg-rename", SandboxServer.Organizer, "pg-kickoff", null, new InviteUpdate(Subject: "Renamed"), Now),
        ]);

        await harness.RunUntilSettledAsync(TimeSpan.FromSeconds(60));

        var created = Assert.Single(await server.Sandbox.EventsAsync());
        Assert.Equal("Renamed", created.Subject);
        Assert.Equal(created.Id, (await harness.MessageAsync("pg-kickoff")).EventId);
    }
}
