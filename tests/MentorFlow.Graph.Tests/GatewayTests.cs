using MentorFlow.Graph.Gateway;
using MentorFlow.Graph.Model;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Graph.Tests.Infrastructure;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace MentorFlow.Graph.Tests;

/// <summary>The gateway drives the real Graph SDK over HTTP against the sandbox (no mocked client).</summary>
public sealed class GatewayTests : IAsyncLifetime
{
    private SandboxServer _server = null!;
    private GraphGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync();
        _gateway = _server.CreateGateway();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<GraphCallResult> RunAsync(GraphOperation operation) =>
        (await _gateway.ExecuteAsync(SandboxServer.Organizer, [operation], CancellationToken.None))[operation.Id];

    [Fact]
    public async Task CreateEvent_SingleInvite_IsStoredWithAttendeesWindowsTimeZoneTeamsAndTransactionId()
    {
        var result = await RunAsync(new CreateEventOperation("1", "wf-1/kickoff/0", Requests.Invite(teams: true)));

        Assert.Equal(GraphOutcome.Succeeded, result.Outcome);
        Assert.Equal(201, result.StatusCode);
        var stored = Assert.Single(await _server.Sandbox.EventsAsync(SandboxServer.Organizer));
        Assert.Equal(result.Event!.EventId, stored.Id);
        Assert.Equal(stored.ICalUId, result.Event.ICalUId);
        Assert.Equal("W. Europe Standard Time", stored.TimeZone);
        Assert.Equal(new DateTime(2026, 3, 2, 9, 0, 0), stored.Start);
        Assert.Equal(["mentee@contoso.test", "mentor@contoso.test"], stored.Attendees.Select(a => a.Address));
        Assert.True(stored.IsOnlineMeeting);
        Assert.Equal("teamsForBusiness", stored.OnlineMeetingProvider);
        Assert.NotNull(stored.JoinUrl);
        Assert.Equal(GraphGateway.TransactionIdFor("wf-1/kickoff/0"), stored.TransactionId);
        Assert.Equal("singleInstance", stored.Type);
    }

    [Fact]
    public async Task CreateSeries_WeeklyWithEndDate_StartsOnFirstMeetingAndExpandsUntilTheEndDate()
    {
        var series = new SeriesRequest(Requests.Invite(start: new DateTime(2026, 3, 4, 17, 0, 0), subject: "Check-in"),
            RecurrenceCadence.Weekly, new DateOnly(2026, 4, 1), new DateOnly(2026, 6, 30));

        var result = await RunAsync(new CreateSeriesOperation("1", "wf-2/checkins/0", series));

        Assert.Equal(GraphOutcome.Succeeded, result.Outcome);
        var master = Assert.Single(await _server.Sandbox.EventsAsync());
        Assert.Equal("seriesMaster", master.Type);
        Assert.Equal(new DateOnly(2026, 3, 4), master.Recurrence!.StartDate);
        Assert.Equal([DayOfWeek.Wednesday], master.Recurrence.DaysOfWeek);
        var view = await _server.Client.Users[SandboxServer.Organizer].CalendarView.GetAsync(request =>
        {
            request.QueryParameters.StartDateTime = "2026-03-01T00:00:00Z";
            request.QueryParameters.EndDateTime = "2026-05-01T00:00:00Z";
        });
        var occurrences = view!.Value!;
        Assert.Equal(5, occurrences.Count); // 4, 11, 18, 25 March and 1 April (end date inclusive)
        Assert.All(occurrences, o => Assert.Equal(EventType.Occurrence, o.Type));
        Assert.Equal(occurrences.Count, occurrences.Select(o => o.ICalUId).Distinct().Count());
        Assert.StartsWith("2026-04-01T17:00:00", occurrences[^1].Start!.DateTime, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSeries_EveryTwoWeeksAndMonthly_FollowTheCadence()
    {
        var first = Requests.Invite(start: new DateTime(2026, 3, 2, 9, 0, 0));
        await RunAsync(new CreateSeriesOperation("1", "biweekly", new SeriesRequest(first, RecurrenceCadence.EveryTwoWeeks, new DateOnly(2026, 4, 30))));
        await RunAsync(new CreateSeriesOperation("2", "monthly", new SeriesRequest(first, RecurrenceCadence.Monthly, new DateOnly(2026, 8, 1))));

        var events = (await _server.Sandbox.EventsAsync());
        var biweekly = events.Single(e => e.Recurrence!.PatternType == "weekly").OccurrenceStarts().Select(d => d.Day).ToList();
        var monthly = events.Single(e => e.Recurrence!.PatternType == "absoluteMonthly").OccurrenceStarts().Select(d => d.Month).ToList();
        Assert.Equal([2, 16, 30, 13, 27], biweekly);
        Assert.Equal([3, 4, 5, 6, 7], monthly);
    }

    [Fact]
    public async Task UpdateEvent_NewTimeAndAttendees_AreApplied()
    {
        var created = await RunAsync(new CreateEventOperation("1", "k1", Requests.Invite()));
        var update = new InviteUpdate(new DateTime(2026, 3, 3, 10, 0, 0), new DateTime(2026, 3, 3, 11, 0, 0), "Europe/London",
            [new EmailContact("someone.else@contoso.test")]);

        var result = await RunAsync(new UpdateEventOperation("1", "k2", created.Event!.EventId, update));

        Assert.Equal(GraphOutcome.Succeeded, result.Outcome);
        Assert.Equal(200, result.StatusCode);
        var stored = Assert.Single(await _server.Sandbox.EventsAsync());
        Assert.Equal(new DateTime(2026, 3, 3, 10, 0, 0), stored.Start);
        Assert.Equal("GMT Standard Time", stored.TimeZone);
        Assert.Equal("someone.else@contoso.test", Assert.Single(stored.Attendees).Address);
    }

    [Fact]
    public async Task CancelEvent_WithMessage_CancelsAndASecondCancelIsNotFound()
    {
        var created = await RunAsync(new CreateEventOperation("1", "k1", Requests.Invite()));

        var cancelled = await RunAsync(new CancelEventOperation("1", "k2", created.Event!.EventId, "The pair closed early."));
        var again = await RunAsync(new CancelEventOperation("1", "k3", created.Event.EventId, "again"));

        Assert.Equal(202, cancelled.StatusCode);
        var stored = Assert.Single(await _server.Sandbox.EventsAsync());
        Assert.True(stored.IsCancelled);
        Assert.Equal("The pair closed early.", stored.CancellationComment);
        Assert.Equal(GraphOutcome.Rejected, again.Outcome);
        Assert.Equal("ErrorItemNotFound", again.ErrorCode);
    }

    [Fact]
    public async Task SendMail_HtmlWithReplyTo_IsStoredWithKeyHeaderAndFoundInSentItems()
    {
        var result = await RunAsync(new SendMailOperation("1", "wf-3/welcome/0", Requests.Mail()));

        Assert.Equal(202, result.StatusCode);
        var mail = Assert.Single(await _server.Sandbox.MessagesAsync(SandboxServer.Organizer));
        Assert.Equal("html", mail.BodyContentType);
        Assert.Equal("programme@contoso.test", Assert.Single(mail.ReplyTo).Address);
        Assert.Equal("wf-3/welcome/0", mail.Headers[GraphGateway.KeyHeaderName]);
        Assert.True(await _gateway.WasMailSentAsync(SandboxServer.Organizer, "wf-3/welcome/0", CancellationToken.None));
        Assert.False(await _gateway.WasMailSentAsync(SandboxServer.Organizer, "never-sent", CancellationToken.None));
    }

    [Fact]
    public async Task Batch_TwentyMixedOperations_GoInOneBatchAndEachGetsItsOwnResult()
    {
        var operations = Enumerable.Range(0, 15)
            .Select(i => (GraphOperation)new CreateEventOperation($"e{i}", $"batch-e{i}", Requests.Invite($"mentee{i}@contoso.test")))
            .Concat(Enumerable.Range(0, 4).Select(i => new SendMailOperation($"m{i}", $"batch-m{i}", Requests.Mail($"mentee{i}@contoso.test"))))
            .Append(new CreateEventOperation("bad", "batch-bad", Requests.Invite("not-an-address")))
            .ToList();

        var results = await _gateway.ExecuteAsync(SandboxServer.Organizer, operations, CancellationToken.None);

        Assert.Equal(20, results.Count);
        Assert.Equal(1, _server.Sandbox.BatchCount);
        Assert.Equal(20, _server.Sandbox.RequestCount);
        Assert.Equal(15, (await _server.Sandbox.EventsAsync()).Count);
        Assert.Equal(4, (await _server.Sandbox.MessagesAsync()).Count);
        Assert.All(operations.Where(o => o.Id != "bad"), o => Assert.Equal(GraphOutcome.Succeeded, results[o.Id].Outcome));
        Assert.Equal((await _server.Sandbox.EventsAsync()).Select(e => e.Id).Order(), results.Values.Where(r => r.Event is not null).Select(r => r.Event!.EventId).Order());
        Assert.Equal(GraphOutcome.Rejected, results["bad"].Outcome);
        Assert.Equal("ErrorInvalidRecipients", results["bad"].ErrorCode);
    }

    [Fact]
    public async Task Create_SameTransactionIdTwice_IsRefusedAndFindEventReturnsTheFirst()
    {
        var first = await RunAsync(new CreateEventOperation("1", "same-key", Requests.Invite()));
        var second = await RunAsync(new CreateEventOperation("1", "same-key", Requests.Invite()));

        Assert.Equal(GraphOutcome.DuplicateTransaction, second.Outcome);
        Assert.Equal(400, second.StatusCode);
        Assert.Single(await _server.Sandbox.EventsAsync());
        var found = await _gateway.FindEventAsync(SandboxServer.Organizer, "same-key", CancellationToken.None);
        Assert.Equal(first.Event!.EventId, found!.EventId);
        Assert.Null(await _gateway.FindEventAsync(SandboxServer.Organizer, "other-key", CancellationToken.None));
    }

    [Fact]
    public async Task Throttled_429WithRetryAfter_IsReportedWithTheDelayAndNotExecuted()
    {
        _server.Sandbox.InjectFault(new SandboxFault(429, "TooManyRequests", "Please retry again later.", RetryAfterSeconds: 7));

        var result = await RunAsync(new CreateEventOperation("1", "k", Requests.Invite()));

        Assert.Equal(GraphOutcome.Throttled, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        Assert.Empty(await _server.Sandbox.EventsAsync());
    }

    [Fact]
    public async Task ServiceUnavailable_503_IsNotRetriedByTheSdk_SoAPostIsSentOnce()
    {
        _server.Sandbox.InjectFault(new SandboxFault(503, "ServiceUnavailable", "Service busy.", RetryAfterSeconds: 2, AfterExecution: true));

        var result = await RunAsync(new SendMailOperation("1", "k", Requests.Mail()));

        Assert.Equal(GraphOutcome.Unknown, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(2), result.RetryAfter);
        Assert.Equal(1, _server.Sandbox.RequestCount);
        Assert.Single(await _server.Sandbox.MessagesAsync());
    }

    [Fact]
    public async Task UnknownMailbox_IsRejectedWithGraphsCodeAndMessage()
    {
        await using var server = await SandboxServer.StartAsync(o => o.Mailboxes.Add(SandboxServer.Organizer));
        var gateway = server.CreateGateway();

        var results = await gateway.ExecuteAsync("nobody@contoso.test", [new CreateEventOperation("1", "k", Requests.Invite())], CancellationToken.None);

        Assert.Equal(GraphOutcome.Rejected, results["1"].Outcome);
        Assert.Equal(404, results["1"].StatusCode);
        Assert.Equal("ErrorInvalidUser", results["1"].ErrorCode);
        Assert.Contains("nobody@contoso.test", results["1"].ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sandbox_SeriesWhoseStartDateDiffersFromTheFirstMeeting_IsRefusedLikeGraph()
    {
        var invite = Requests.Invite(start: new DateTime(2026, 3, 4, 9, 0, 0));
        var body = GraphGateway.ToEvent(invite, "k", GraphGateway.ToRecurrence(new SeriesRequest(invite, RecurrenceCadence.Weekly, new DateOnly(2026, 4, 1))));
        body.Recurrence!.Range!.StartDate = new Microsoft.Kiota.Abstractions.Date(2026, 3, 2);

        var error = await Assert.ThrowsAsync<ODataError>(() => _server.Client.Users[SandboxServer.Organizer].Events.PostAsync(body));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("ErrorPropertyValidationFailure", error.Error!.Code);
        Assert.Contains("startDate", error.Error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Error.InnerError?.RequestId);
        Assert.Empty(await _server.Sandbox.EventsAsync());
    }

    [Fact]
    public async Task Sandbox_GetAndDeleteEvent_BehaveLikeGraph()
    {
        var created = await RunAsync(new CreateEventOperation("1", "k", Requests.Invite()));
        var events = _server.Client.Users[SandboxServer.Organizer].Events;

        var read = await events[created.Event!.EventId].GetAsync();
        await events[created.Event.EventId].DeleteAsync();
        var gone = await Assert.ThrowsAsync<ODataError>(() => events[created.Event.EventId].GetAsync());

        Assert.Equal("Kick-off", read!.Subject);
        Assert.Equal("2026-03-02T09:00:00.0000000", read.Start!.DateTime);
        Assert.Equal("W. Europe Standard Time", read.Start.TimeZone);
        Assert.Equal(EventType.SingleInstance, read.Type);
        Assert.Equal(BodyType.Html, read.Body!.ContentType);
        Assert.Equal(404, gone.ResponseStatusCode);
        Assert.Equal("ErrorItemNotFound", gone.Error!.Code);
        Assert.Empty(await _server.Sandbox.EventsAsync());
    }

    [Fact]
    public async Task Sandbox_CustomHeaderNotStartingWithX_IsRefused()
    {
        var body = GraphGateway.ToSendMail(Requests.Mail(), "k");
        body.Message!.InternetMessageHeaders!.Add(new InternetMessageHeader { Name = "Priority", Value = "high" });

        var error = await Assert.ThrowsAsync<ODataError>(() => _server.Client.Users[SandboxServer.Organizer].SendMail.PostAsync(body));

        Assert.Equal("InvalidInternetMessageHeader", error.Error!.Code);
        Assert.Empty(await _server.Sandbox.MessagesAsync());
    }
}
