using MentorFlow.Graph.Model;
using MentorFlow.Graph.Outbox;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Graph.Tests.Infrastructure;

namespace MentorFlow.Graph.Tests;

/// <summary>The outbox dispatcher against the sandbox over HTTP: exactly once, retries, incidents.</summary>
public sealed class DispatcherTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TestDatabase _database = new();
    private SandboxServer _server = null!;

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    public async Task InitializeAsync() => _server = await SandboxServer.StartAsync(o => o.Mailboxes.Add(SandboxServer.Organizer));

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _database.Dispose();
    }

    [Fact]
    public async Task Dispatch_InviteSeriesUpdateCancelAndMail_AreEachSentOnceAndEventIdsAreStored()
    {
        await using var harness = await DispatcherHarness.StartAsync(_server, _database);
        var series = new SeriesRequest(Requests.Invite(start: new DateTime(2026, 3, 4, 17, 0, 0)), RecurrenceCadence.Weekly, new DateOnly(2026, 5, 27));
        await harness.EnqueueAsync(
        [
            GraphOutboxMessages.Invite("kickoff", SandboxServer.Organizer, Requests.Invite(), Now),
            GraphOutboxMessages.Series("checkins", SandboxServer.Organizer, series, Now),
            GraphOutboxMessages.Update("move-kickoff", SandboxServer.Organizer, "kickoff", null,
                new InviteUpdate(new DateTime(2026, 3, 2, 11, 0, 0), new DateTime(2026, 3, 2, 11, 30, 0), "Europe/Berlin"), Now),
            GraphOutboxMessages.Cancel("stop-checkins", SandboxServer.Organizer, "checkins", null, "The pair met its goal.", Now),
            GraphOutboxMessages.Mail("welcome", SandboxServer.Organizer, Requests.Mail(), Now),
        ]);

        await harness.RunUntilSettledAsync(Timeout);

        var messages = await harness.MessagesAsync();
        Assert.All(messages, m => Assert.Equal(GraphMessageStatus.Sent, m.Status));
        var kickoff = messages.Single(m => m.IdempotencyKey == "kickoff");
        var checkins = messages.Single(m => m.IdempotencyKey == "checkins");
        var events = (await _server.Sandbox.EventsAsync());
        Assert.Equal(2, events.Count);
        Assert.Equal(new DateTime(2026, 3, 2, 11, 0, 0), events.Single(e => e.Id == kickoff.EventId).Start);
        Assert.Equal(kickoff.ICalUId, events.Single(e => e.Id == kickoff.EventId).ICalUId);
        Assert.True(events.Single(e => e.Id == checkins.EventId).IsCancelled);
        Assert.Equal(kickoff.EventId, messages.Single(m => m.IdempotencyKey == "move-kickoff").EventId);
        Assert.Single(await _server.Sandbox.MessagesAsync());
    }

    [Fact]
    public async Task Dispatch_UpdateThatMovesASeries_ResendsItsRecurrenceSoTheSeriesFollowsTheNewFirstMeeting()
    {
        await using var harness = await DispatcherHarness.StartAsync(_server, _database);
        var series = new SeriesRequest(Requests.Invite(start: new DateTime(2026, 3, 4, 17, 0, 0)), RecurrenceCadence.Weekly, new DateOnly(2026, 4, 29));
        await harness.EnqueueAsync(
        [
            GraphOutboxMessages.Series("checkins", SandboxServer.Organizer, series, Now),
            GraphOutboxMessages.Update("move-checkins", SandboxServer.Organizer, "checkins", null,
                new InviteUpdate(new DateTime(2026, 3, 5, 18, 0, 0), new DateTime(2026, 3, 5, 18, 30, 0), "Europe/Berlin"), Now),
        ]);

        await harness.RunUntilSettledAsync(Timeout);

        var moved = Assert.Single(await _server.Sandbox.EventsAsync());
        Assert.Equal(new DateOnly(2026, 3, 5), moved.Recurrence!.StartDate);
        Assert.Equal([DayOfWeek.Thursday], moved.Recurrence.DaysOfWeek);
        Assert.All(moved.OccurrenceStarts(), start => Assert.Equal(DayOfWeek.Thursday, start.DayOfWeek));
        Assert.Equal(new DateTime(2026, 4, 23, 18, 0, 0), moved.OccurrenceStarts().Last());
    }

    [Fact]
    public async Task Dispatch_CreateWhoseResponseIsLost_LooksTheEventUpInsteadOfCreatingASecond()
    {
        await using var harness = await DispatcherHarness.StartAsync(_server, _database);
        _server.Sandbox.InjectFault(new SandboxFault(504, "GatewayTimeout", "Gateway timeout.", AfterExecution: true));
        await harness.EnqueueAsync([GraphOutboxMessages.Invite("kickoff", SandboxServer.Organizer, Requests.Invite(), Now)]);

        await harness.RunUntilSettledAsync(Timeout);

        var row = await harness.MessageAsync("kickoff");
        var created = Assert.Single(await _server.Sandbox.EventsAsync());
        Assert.Equal(GraphMessageStatus.Sent, row.Status);
        Assert.Equal(created.Id, row.EventId);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(0, _server.Sandbox.DuplicateTransactionCount);
    }

    [Fact]
    public async Task Dispatch_MailWhoseResponseIsLost_ChecksSentItemsBeforeARetryAndSendsOnce()
    {
        await using var harness = await DispatcherHarness.StartAsync(_server, _database);
        _server.Sandbox.InjectFault(new SandboxFault(503, "ServiceUnavailable", "Try later.", RetryAfterSeconds: 1, AfterExecution: true));
        await harness.EnqueueAsync([GraphOutboxMessages.Mail("welcome", SandboxServer.Organizer, Requests.Mail(), Now)]);

        await harness.RunUntilSettledAsync(Timeout);

        Assert.Single(await _server.Sandbox.MessagesAsync());
        Assert.Equal(GraphMessageStatus.Sent, (await harness.MessageAsync("welcome")).Status);
    }

    [Fact]
    public async Task Dispatch_MailInTransport_WaitsForSentItemsBeforeDecidingToResend()
    {
        await using var server = await SandboxServer.StartAsync(o => o.SentItemsDelay = TimeSpan.FromSeconds(1));
        await using var harness = await DispatcherHarness.StartAsync(server, _database,
            new Dictionary<string, string?> { ["Graph:Dispatcher:MailReconcileDelay"] = "00:00:02" });
        server.Sandbox.InjectFault(new SandboxFault(504, "GatewayTimeout", "Gateway timeout.", AfterExecution: true));
        await harness.EnqueueAsync([GraphOutboxMessages.Mail("welcome", SandboxServer.Organizer, Requests.Mail(), Now)]);

        await harness.RunUntilSettledAsync(Timeout);

        Assert.Single(await server.Sandbox.MessagesAsync());
    }

    [Fact]
    public async Task Dispatch_503WithRetryAfter_WaitsAtLeastThatLongThenSendsOnce()
    {
        await using var harness = await DispatcherHarness.StartAsync(_server, _database);
        _server.Sandbox.InjectFault(new SandboxFault(503, "ServiceUnavailable", "Try later.", RetryAfterSeconds: 2));
        await harness.EnqueueAsync([GraphOutboxMessages.Invite("kickoff", SandboxServer.Organizer, Requests.Invite(), Now)]);
        var started = TimeProvider.System.GetTimestamp();

        await harness.RunUntilSettledAsync(Timeout);

        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(2));
        Assert.Single(await _server.Sandbox.EventsAsync());
        Assert.Equal(2, (await harness.MessageAsync("kickoff")).Attempts);
    }

    [Fact]
    public async Task Dispatch_429_IsNotCountedAsAnAttemptAndTheMessageIsSentAfterRetryAfter()
    {
        await using var harness = await DispatcherHarness.StartAsync(_server, _database);
        _server.Sandbox.InjectFault(new SandboxFault(429, "TooManyRequests", "Please retry again later.", Count: 2, RetryAfterSeconds: 1));
        await harness.EnqueueAsync([GraphOutboxMessages.Mail("welcome", SandboxServer.Organizer, Requests.Mail(), Now)]);

        await harness.RunUntilSettledAsync(Timeout);

        var row = await harness.MessageAsync("welcome");
        Assert.Equal(GraphMessageStatus.Sent, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.Single(await _server.Sandbox.MessagesAsync());
    }

    [Fact]
    public async Task Dispatch_UnknownMailbox_BecomesAnIncidentWithGraphsMessageWhileTheRestIsSent()
    {
        await using var harness = await DispatcherHarness.StartAsync(_server, _database);
        var good = Enumerable.Range(0, 30).Select(i => GraphOutboxMessages.Invite($"ok-{i}", SandboxServer.Organizer, Requests.Invite($"m{i}@contoso.test"), Now));
        var bad = Enumerable.Range(0, 3).Select(i => GraphOutboxMessages.Invite($"bad-{i}", "left.company@contoso.test", Requests.Invite(), Now));
        await harness.EnqueueAsync(good.Concat(bad));

        await harness.RunUntilSettledAsync(Timeout);

        var messages = await harness.MessagesAsync();
        Assert.Equal(30, messages.Count(m => m.Status == GraphMessageStatus.Sent));
        var incidents = messages.Where(m => m.Status == GraphMessageStatus.Failed).ToList();
        Assert.Equal(3, incidents.Count);
        Assert.All(incidents, m =>
        {
            Assert.Equal(404, m.LastStatusCode);
            Assert.Equal("ErrorInvalidUser", m.LastErrorCode);
            Assert.Equal("The requested user 'left.company@contoso.test' is invalid.", m.LastErrorMessage);
        });
        Assert.Equal(30, (await _server.Sandbox.EventsAsync()).Count);
    }

    [Fact]
    public async Task Dispatch_RejectedRequestInsideABatch_FailsAloneAndTheOthersInTheBatchAreSent()
    {
        await using var harness = await DispatcherHarness.StartAsync(_server, _database);
        var invites = Enumerable.Range(0, 10).Select(i => GraphOutboxMessages.Invite($"ok-{i}", SandboxServer.Organizer, Requests.Invite($"m{i}@contoso.test"), Now)).ToList();
        await harness.EnqueueAsync(invites);
        await harness.EnqueueAsync([GraphOutboxMessages.Update("update-missing", SandboxServer.Organizer, null, "AAMk-no-such-event",
            new InviteUpdate(Subject: "Renamed"), Now)]);

        await harness.RunUntilSettledAsync(Timeout);

        var failed = await harness.MessageAsync("update-missing");
        Assert.Equal(GraphMessageStatus.Failed, failed.Status);
        Assert.Equal("ErrorItemNotFound", failed.LastErrorCode);
        Assert.Equal(1, _server.Sandbox.BatchCount);
        Assert.Equal(10, (await _server.Sandbox.EventsAsync()).Count);
    }

    [Fact]
    public async Task Dispatch_ServerErrorThatPersists_BecomesAnIncidentAfterMaxAttempts()
    {
        await using var harness = await DispatcherHarness.StartAsync(_server, _database,
            new Dictionary<string, string?> { ["Graph:Dispatcher:MaxAttempts"] = "3" });
        _server.Sandbox.InjectFault(new SandboxFault(500, "InternalServerError", "Something broke.", Count: 1_000));
        await harness.EnqueueAsync([GraphOutboxMessages.Invite("kickoff", SandboxServer.Organizer, Requests.Invite(), Now)]);

        await harness.RunUntilSettledAsync(Timeout);

        var row = await harness.MessageAsync("kickoff");
        Assert.Equal(GraphMessageStatus.Failed, row.Status);
        Assert.Equal(3, row.Attempts);
        Assert.Equal("InternalServerError", row.LastErrorCode);
        Assert.StartsWith("Gave up after 3 attempts: Something broke.", row.LastErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_UpdateOfAnInviteWhoseCreateFailed_BecomesAnIncidentNamingTheInvite()
    {
        await using var harness = await DispatcherHarness.StartAsync(_server, _database);
        await harness.EnqueueAsync(
        [
            GraphOutboxMessages.Invite("kickoff", "gone@contoso.test", Requests.Invite(), Now),
            GraphOutboxMessages.Cancel("cancel-kickoff", "gone@contoso.test", "kickoff", null, "sorry", Now),
        ]);

        await harness.RunUntilSettledAsync(Timeout);

        var cancel = await harness.MessageAsync("cancel-kickoff");
        Assert.Equal(GraphMessageStatus.Failed, cancel.Status);
        Assert.Contains("kickoff", cancel.LastErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_TwoReplicasOnOneDatabase_SendEachMessageOnce()
    {
        await using var first = await DispatcherHarness.StartAsync(_server, _database, runHostedDispatcher: true);
        await using var second = await DispatcherHarness.StartAsync(_server, _database, runHostedDispatcher: true);
        await first.EnqueueAsync(Enumerable.Range(0, 200).Select(i =>
            GraphOutboxMessages.Invite($"invite-{i}", SandboxServer.Organizer, Requests.Invite($"m{i}@contoso.test"), Now)));

        await first.WaitUntilSettledAsync(Timeout);

        Assert.Equal(200, (await _server.Sandbox.EventsAsync()).Count);
        Assert.Equal(200, (await _server.Sandbox.EventsAsync()).Select(e => e.TransactionId).Distinct().Count());
        Assert.Equal(0, _server.Sandbox.DuplicateTransactionCount);
    }
}
