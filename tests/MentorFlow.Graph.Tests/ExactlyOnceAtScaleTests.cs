using MentorFlow.Graph.Outbox;
using MentorFlow.Graph.Tests.Infrastructure;

namespace MentorFlow.Graph.Tests;

/// <summary>Thousands of invites: pacing under a throttled mailbox and a crash mid-batch, exactly once.</summary>
public sealed class ExactlyOnceAtScaleTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static IEnumerable<GraphOutboxMessage> Invites(int count) =>
        Enumerable.Range(0, count).Select(i => GraphOutboxMessages.Invite(
            $"programme-7/pair-{i}/kickoff/0", SandboxServer.Organizer,
            Requests.Invite($"mentee{i}@contoso.test", start: new DateTime(2026, 3, 2, 9, 0, 0).AddHours(i)),
            TimeProvider.System.GetUtcNow()));

    private static IEnumerable<GraphOutboxMessage> Mails(int count) =>
        Enumerable.Range(0, count).Select(i => GraphOutboxMessages.Mail(
            $"programme-7/pair-{i}/welcome/0", SandboxServer.Organizer, Requests.Mail($"mentee{i}@contoso.test"), TimeProvider.System.GetUtcNow()));

    [Fact]
    public async Task Dispatch_1000InvitesToAMailboxLimitedTo50PerSecond_DeliversAllOnceWithinTheLimit()
    {
        await using var server = await SandboxServer.StartAsync(o =>
        {
            o.ThrottleRequests = 50;
            o.ThrottleWindow = TimeSpan.FromSeconds(1);
        });
        await using var harness = await DispatcherHarness.StartAsync(server, _database, new Dictionary<string, string?>
        {
            ["Graph:Dispatcher:RequestsPerWindow"] = "50",
            ["Graph:Dispatcher:Window"] = "00:00:01",
        }, runHostedDispatcher: true);
        await harness.EnqueueAsync(Invites(1_000));

        await harness.WaitUntilSettledAsync(Timeout);

        var events = (await server.Sandbox.EventsAsync());
        Assert.Equal(1_000, events.Count);
        Assert.Equal(1_000, events.Select(e => e.TransactionId).Distinct().Count());
        Assert.All(await harness.MessagesAsync(), m => Assert.Equal(GraphMessageStatus.Sent, m.Status));
        Assert.Equal(0, server.Sandbox.DuplicateTransactionCount);
        Assert.InRange(server.Sandbox.PeakConcurrency(SandboxServer.Organizer), 1, 4);
        Assert.Equal(0, server.Sandbox.ThrottledCount);
    }

    [Fact]
    public async Task Dispatch_WhenTheMailboxThrottlesHarderThanConfigured_HonoursRetryAfterAndDeliversAllOnce()
    {
        await using var server = await SandboxServer.StartAsync(o =>
        {
            o.ThrottleRequests = 40;
            o.ThrottleWindow = TimeSpan.FromSeconds(1);
        });
        await using var harness = await DispatcherHarness.StartAsync(server, _database, new Dictionary<string, string?>
        {
            ["Graph:Dispatcher:RequestsPerWindow"] = "400",
            ["Graph:Dispatcher:Window"] = "00:00:01",
        }, runHostedDispatcher: true);
        await harness.EnqueueAsync(Invites(300));

        await harness.WaitUntilSettledAsync(Timeout);

        Assert.True(server.Sandbox.ThrottledCount > 0, "the sandbox should have throttled the over-eager dispatcher");
        Assert.Equal(300, (await server.Sandbox.EventsAsync()).Count);
        Assert.Equal(300, (await server.Sandbox.EventsAsync()).Select(e => e.TransactionId).Distinct().Count());
        var messages = await harness.MessagesAsync();
        Assert.All(messages, m => Assert.Equal(GraphMessageStatus.Sent, m.Status));
        Assert.All(messages, m => Assert.Equal(1, m.Attempts));
    }

    [Fact]
    public async Task Dispatch_CrashMidBatchThenRestart_LeavesExactly1000EventsAndNoDuplicates()
    {
        await using var server = await SandboxServer.StartAsync();
        var lease = new Dictionary<string, string?> { ["Graph:Dispatcher:Lease"] = "00:00:02" };
        var freezing = new FreezingHandler(freezeAfter: 12);
        var crashed = await DispatcherHarness.StartAsync(server, _database, lease, () => freezing, runHostedDispatcher: true);
        await crashed.EnqueueAsync(Invites(1_000));

        await freezing.Frozen.Task.WaitAsync(Timeout);
        await crashed.DisposeAsync();
        var beforeRestart = (await server.Sandbox.EventsAsync()).Count;
        var unknown = (await crashed.MessagesAsync()).Count(m => m.OutcomeUnknown && m.Status == GraphMessageStatus.Pending);
        await using var restarted = await DispatcherHarness.StartAsync(server, _database, lease, runHostedDispatcher: true);
        await restarted.WaitUntilSettledAsync(Timeout);

        Assert.InRange(beforeRestart, 13 * 20, 999);
        Assert.True(unknown >= 20, $"the batch in flight at the crash should be recorded as unknown, found {unknown}");
        var events = (await server.Sandbox.EventsAsync());
        Assert.Equal(1_000, events.Count);
        Assert.Equal(1_000, events.Select(e => e.TransactionId).Distinct().Count());
        var messages = await restarted.MessagesAsync();
        Assert.All(messages, m => Assert.Equal(GraphMessageStatus.Sent, m.Status));
        Assert.Equal(events.Select(e => e.Id).Order(), messages.Select(m => m.EventId).Order());
    }

    /// <summary>
    /// Mail has no Graph transaction id: a mail whose batch was sent when the process died is looked up in the
    /// organizer's Sent Items after the restart (by the key header it carries) before anything is sent again.
    /// </summary>
    [Fact]
    public async Task Dispatch_MailsInFlightAtACrash_AreFoundInSentItemsAfterTheRestart_AndEachIsSentOnce()
    {
        await using var server = await SandboxServer.StartAsync();
        var lease = new Dictionary<string, string?> { ["Graph:Dispatcher:Lease"] = "00:00:02" };
        var freezing = new FreezingHandler(freezeAfter: 3);
        var crashed = await DispatcherHarness.StartAsync(server, _database, lease, () => freezing, runHostedDispatcher: true);
        await crashed.EnqueueAsync(Mails(200));

        await freezing.Frozen.Task.WaitAsync(Timeout);
        await crashed.DisposeAsync();
        var beforeRestart = (await server.Sandbox.Store.MessagesAsync()).Count;
        var unknown = (await crashed.MessagesAsync()).Count(m => m.OutcomeUnknown && m.Status == GraphMessageStatus.Pending);
        await using var restarted = await DispatcherHarness.StartAsync(server, _database, lease, runHostedDispatcher: true);
        await restarted.WaitUntilSettledAsync(Timeout);

        Assert.InRange(beforeRestart, 4 * 20, 199);
        Assert.True(unknown >= 20, $"the batch in flight at the crash should be recorded as unknown, found {unknown}");
        var mails = await server.Sandbox.Store.MessagesAsync();
        Assert.Equal(200, mails.Count);
        Assert.Equal(200, mails.Select(m => Assert.Single(m.Recipients)).Distinct(StringComparer.Ordinal).Count());
        Assert.All(await restarted.MessagesAsync(), m => Assert.Equal(GraphMessageStatus.Sent, m.Status));
    }
}
