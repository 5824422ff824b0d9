using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;
using MentorFlow.Workflows.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Workflows.Tests;

public sealed class RuntimeTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private EngineHost _host = null!;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.SqliteAsync();
        _host = await EngineHost.StartAsync(_db, _clock);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Start_RunsToCompletion_AndJournalsEveryActivity()
    {
        var id = await _host.PublishAsync(Flow.Create()
            .Add("start", "Elsa.Start")
            .Add("p1", "Test.Probe", ("label", Flow.Literal("one")))
            .Add("p2", "Test.Probe", ("label", Flow.Literal("two")))
            .Add("end", "Elsa.End")
            .Chain("start", "p1", "p2", "end").Json);

        var started = await _host.Runtime.StartAsync(id);

        Assert.Equal(WorkflowStatus.Finished, started.Status);
        Assert.Equal(WorkflowSubStatus.Finished, started.SubStatus);
        var details = await _host.Runtime.GetInstanceAsync(started.InstanceId);
        Assert.NotNull(details);
        Assert.Equal(["start", "p1", "p2", "end"], details.Journal.Select(j => j.ActivityId));
        Assert.All(details.Journal, j => Assert.Equal(JournalEvents.Completed, j.EventName));
        Assert.Equal(2, Probe.Count(started.InstanceId));
    }

    [Fact]
    public async Task Signal_ResumesTheMatchingBookmark_WithPayloadInTheOutputVariable()
    {
        var id = await _host.PublishAsync(Flow.Create()
            .Var("Answer")
            .Add("wait", "Elsa.Event", ("eventName", Flow.Literal("Answered")),
                ("result", new JsonObject { ["typeName"] = "Object", ["memoryReference"] = new JsonObject { ["id"] = "var-Answer" } }))
            .Add("say", "Elsa.WriteLine", ("text", Flow.Expr("Liquid", "Answer was {{ Answer.value }}")))
            .Chain("wait", "say").Json);

        var started = await _host.Runtime.StartAsync(id, correlationId: "pair-1");
        Assert.Equal(WorkflowSubStatus.Suspended, started.SubStatus);

        Assert.Equal(0, await _host.Runtime.SignalAsync("Answered", "pair-2", new { value = 1 }));
        Assert.Equal(1, await _host.Runtime.SignalAsync("Answered", "pair-1", new { value = 42 }));

        var details = await _host.Runtime.GetInstanceAsync(started.InstanceId);
        Assert.Equal(WorkflowSubStatus.Finished, details!.Summary.SubStatus);
        Assert.Equal("Answer was 42", details.Journal.Single(j => j.ActivityId == "say").Message);
        Assert.Equal(JournalEvents.Resumed, details.Journal.Single(j => j.ActivityId == "wait" && j.EventName != JournalEvents.Suspended).EventName);
        Assert.Equal(0, await _host.Runtime.SignalAsync("Answered", "pair-1"));
    }

    [Fact]
    public async Task Enlist_SavesTheEntityInTheSameTransactionAsTheInstanceState()
    {
        var id = await _host.PublishAsync(Flow.Create()
            .Add("mail", "Test.EnlistOutbox", ("text", Flow.Literal("hello")))
            .Add("wait", "Test.CountResumes")
            .Chain("mail", "wait").Json);

        var started = await _host.Runtime.StartAsync(id, correlationId: "c1");

        await using var db = _db.CreateContext();
        var row = await db.Set<TestOutboxRow>().SingleAsync();
        Assert.Equal($"{started.InstanceId}:mail:0", row.Key);
        Assert.Equal("hello", row.Text);
    }

    private sealed class RecordingListener : IWorkflowCommitListener
    {
        public List<WorkflowCommit> Commits { get; } = [];

        public ValueTask OnCommittedAsync(WorkflowCommit commit, CancellationToken cancellationToken)
        {
            lock (Commits)
            {
                Commits.Add(commit);
            }

            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task CommitListener_IsToldAfterCommit_WithTheEnlistedEntities()
    {
        var listener = new RecordingListener();
        await using var host = await EngineHost.StartAsync(_db, _clock, services: s => s.AddSingleton<IWorkflowCommitListener>(listener));
        var id = await host.PublishAsync(Flow.Create().Add("mail", "Test.EnlistOutbox", ("text", Flow.Literal("x"))).Json);

        var started = await host.Runtime.StartAsync(id);

        var commit = Assert.Single(listener.Commits);
        Assert.Equal((started.InstanceId, WorkflowSubStatus.Finished), (commit.InstanceId, commit.SubStatus));
        Assert.Equal($"{started.InstanceId}:mail:0", Assert.IsType<TestOutboxRow>(Assert.Single(commit.EnlistedEntities)).Key);
    }

    [Fact]
    public async Task DeleteInstance_RemovesFinishedAndRunningInstancesWithTheirJournalAndBookmarks()
    {
        var done = await _host.PublishAsync(Flow.Create().Add("p", "Test.Probe").Json);
        var waiting = await _host.PublishAsync(Flow.Create().Add("w", "Test.CountResumes").Json);
        var finished = await _host.Runtime.StartAsync(done);
        var running = await _host.Runtime.StartAsync(waiting, correlationId: "x");

        Assert.True(await _host.Runtime.DeleteInstanceAsync(running.InstanceId));
        Assert.True(await _host.Runtime.DeleteInstanceAsync(finished.InstanceId));
        Assert.False(await _host.Runtime.DeleteInstanceAsync(finished.InstanceId));

        Assert.Null(await _host.Runtime.GetInstanceAsync(finished.InstanceId));
        Assert.Null(await _host.Runtime.GetInstanceAsync(running.InstanceId));
        await using var db = _db.CreateContext();
        Assert.Equal(0, await db.Set<MentorFlow.Workflows.Persistence.WorkflowJournalRecord>().CountAsync(j => j.InstanceId == finished.InstanceId));
        Assert.Equal(0, await db.Set<MentorFlow.Workflows.Persistence.WorkflowBookmarkRecord>().CountAsync(b => b.InstanceId == running.InstanceId));
        Assert.Equal(0, await _host.Runtime.SignalAsync("go", "x"));
    }

    [Fact]
    public async Task Fault_CreatesAnIncident_AndRetryRunsFromTheFaultedActivity()
    {
        var id = await _host.PublishAsync(Flow.Create()
            .Var("Attempts", "Int32", "0")
            .Add("inc", "Elsa.SetVariable", ("variable", new JsonObject { ["id"] = "var-Attempts", ["name"] = "Attempts" }),
                ("value", Flow.Expr("JavaScript", "getVariable('Attempts') + 1", "Object")))
            .Add("check", "Elsa.WriteLine", ("text", Flow.Expr("JavaScript", "if (getVariable('Attempts') < 2) { throw new Error('not yet'); } 'ok'")))
            .Chain("inc", "check").Json);

        var started = await _host.Runtime.StartAsync(id);
        Assert.Equal(WorkflowSubStatus.Faulted, started.SubStatus);
        var details = await _host.Runtime.GetInstanceAsync(started.InstanceId);
        var incident = Assert.Single(details!.Incidents);
        Assert.Equal("check", incident.ActivityId);
        Assert.Contains("'check'", incident.Message, StringComparison.Ordinal);
        Assert.Contains("text", incident.Message, StringComparison.Ordinal);
        Assert.Contains("not yet", incident.Message, StringComparison.Ordinal);
        Assert.Equal(1, details.Summary.IncidentCount);

        // Retry re-runs 'check' only (not 'inc'): Attempts stays 1, so it faults again.
        Assert.True(await _host.Runtime.RetryIncidentAsync(incident.Id));
        details = await _host.Runtime.GetInstanceAsync(started.InstanceId);
        Assert.Equal(WorkflowSubStatus.Faulted, details!.Summary.SubStatus);
        Assert.Equal(1, details.Variables["Attempts"]!.GetValue<long>());
        Assert.Equal(2, details.Incidents.Count);
        Assert.Single(details.Incidents, i => i.ResolvedAt is null);
        Assert.False(await _host.Runtime.RetryIncidentAsync(incident.Id));
    }

    [Fact]
    public async Task StepBudget_StopsARunawayLoopWithAnIncident()
    {
        await using var host = await EngineHost.StartAsync(_db, _clock, o => o.StepBudget = 50);
        var id = await host.PublishAsync(Flow.Create()
            .Add("start", "Elsa.Start")
            .Add("a", "Test.Probe")
            .Add("b", "Test.Probe")
            .Connect("start", "Done", "a")
            .Connect("a", "Done", "b")
            .Connect("b", "Done", "a").Json);

        var started = await host.Runtime.StartAsync(id);

        Assert.Equal(WorkflowSubStatus.Faulted, started.SubStatus);
        var details = await host.Runtime.GetInstanceAsync(started.InstanceId);
        Assert.Contains("Step budget of 50", Assert.Single(details!.Incidents).Message, StringComparison.Ordinal);
        Assert.Equal(49, Probe.Count(started.InstanceId));
    }

    [Fact]
    public async Task Cancel_RemovesBookmarks_SoTheTimerNeverFires()
    {
        var id = await _host.PublishAsync(Flow.Create()
            .Add("delay", "Elsa.Delay", ("timeSpan", Flow.Literal("00:10:00", "TimeSpan")))
            .Add("after", "Test.Probe")
            .Chain("delay", "after").Json);
        var started = await _host.Runtime.StartAsync(id);
        Assert.Equal(WorkflowSubStatus.Suspended, started.SubStatus);

        Assert.True(await _host.Runtime.CancelAsync(started.InstanceId));
        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, await _host.Maintenance.FireDueTimersAsync());
        var details = await _host.Runtime.GetInstanceAsync(started.InstanceId);
        Assert.Equal(WorkflowSubStatus.Cancelled, details!.Summary.SubStatus);
        Assert.Empty(details.Bookmarks);
        Assert.Equal(0, Probe.Count(started.InstanceId));
        Assert.False(await _host.Runtime.CancelAsync(started.InstanceId));
    }

    [Fact]
    public async Task RunningInstance_KeepsTheVersionItStartedOn()
    {
        var flow = Flow.Create("Versioned", "versioned").Add("wait", "Test.CountResumes").Add("p", "Test.Probe", ("label", Flow.Literal("v1"))).Chain("wait", "p");
        var id = await _host.PublishAsync(flow.Json);
        var first = await _host.Runtime.StartAsync(id, correlationId: "v");

        var v2 = Flow.Create("Versioned", "versioned").Add("wait", "Test.CountResumes").Add("p", "Test.Probe", ("label", Flow.Literal("v2"))).Chain("wait", "p");
        await _host.PublishAsync(v2.Json);
        await _host.Runtime.SignalAsync("go", "v");

        Assert.EndsWith("|v1", Assert.Single(Probe.Runs[first.InstanceId]), StringComparison.Ordinal);
        var list = await _host.Runtime.ListInstancesAsync(new InstanceQuery { DefinitionId = id });
        Assert.Equal(1, Assert.Single(list.Items).Version);
    }

    [Fact]
    public async Task ListInstances_FiltersByStatusDefinitionAndCorrelation_AndPages()
    {
        var waiting = await _host.PublishAsync(Flow.Create().Add("wait", "Test.CountResumes").Json);
        var done = await _host.PublishAsync(Flow.Create().Add("p", "Test.Probe").Json);
        for (var i = 0; i < 3; i++)
        {
            await _host.Runtime.StartAsync(waiting, correlationId: "w" + i);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        await _host.Runtime.StartAsync(done, correlationId: "d");

        var suspended = await _host.Runtime.ListInstancesAsync(new InstanceQuery { SubStatuses = [WorkflowSubStatus.Suspended], PageSize = 2 });
        Assert.Equal(3, suspended.TotalCount);
        Assert.Equal(2, suspended.Items.Count);
        Assert.Equal("w2", suspended.Items[0].CorrelationId);
        var page2 = await _host.Runtime.ListInstancesAsync(new InstanceQuery { SubStatuses = [WorkflowSubStatus.Suspended], PageSize = 2, Page = 1 });
        Assert.Equal("w0", Assert.Single(page2.Items).CorrelationId);
        Assert.Equal("d", Assert.Single((await _host.Runtime.ListInstancesAsync(new InstanceQuery { DefinitionId = done })).Items).CorrelationId);
        Assert.Single((await _host.Runtime.ListInstancesAsync(new InstanceQuery { CorrelationId = "w1" })).Items);
        Assert.Single((await _host.Runtime.ListInstancesAsync(new InstanceQuery { Statuses = [WorkflowStatus.Finished] })).Items);
    }

    [Fact]
    public async Task Options_AreValidatedOnStart_NamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            EngineHost.StartAsync(_db, _clock, o => o.LeaseDuration = TimeSpan.FromMilliseconds(10)));

        Assert.Contains("Workflows:LeaseDuration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartVersion_RunsADraftForATestRun()
    {
        var saved = await _host.Definitions.SaveDraftAsync(Flow.Create().Add("p", "Test.Probe").Model);

        var started = await _host.Runtime.StartVersionAsync(saved.Definition.Id);

        Assert.Equal(WorkflowSubStatus.Finished, started.SubStatus);
        await Assert.ThrowsAsync<WorkflowDefinitionNotFoundException>(() => _host.Runtime.StartAsync(saved.Definition.DefinitionId));
        Assert.NotNull(await _host.Runtime.StartAsync(saved.Definition.DefinitionId, versionOptions: VersionOptions.Latest));
    }
}
