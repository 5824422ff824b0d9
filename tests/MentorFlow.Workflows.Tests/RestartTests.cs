using MentorFlow.Workflows.Runtime;
using MentorFlow.Workflows.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Workflows.Tests;

/// <summary>The host is stopped (or dies mid-burst) and a new host on the same database carries on.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync() => _db = await TestDatabase.SqliteAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static string TimerFlow(string delay) => Flow.Create()
        .Add("before", "Test.Probe", ("label", Flow.Literal("before")))
        .Add("delay", "Elsa.Delay", ("timeSpan", Flow.Literal(delay, "TimeSpan")))
        .Add("after", "Test.Probe", ("label", Flow.Literal("after")))
        .Chain("before", "delay", "after").Json;

    [Fact]
    public async Task Timer_ScheduledBeforeAStop_FiresOnceAfterTheRestart()
    {
        string instanceId;
        await using (var first = await EngineHost.StartAsync(_db, _clock))
        {
            var id = await first.PublishAsync(TimerFlow("01:00:00"));
            instanceId = (await first.Runtime.StartAsync(id)).InstanceId;
            _clock.Advance(TimeSpan.FromMinutes(30));
            Assert.Equal(0, await first.Maintenance.FireDueTimersAsync());
        }

        _clock.Advance(TimeSpan.FromMinutes(31));
        await using (var second = await EngineHost.StartAsync(_db, _clock))
        {
            Assert.Equal(1, await second.Maintenance.FireDueTimersAsync());
            Assert.Equal(0, await second.Maintenance.FireDueTimersAsync());
            var details = await second.Runtime.GetInstanceAsync(instanceId);
            Assert.Equal(WorkflowSubStatus.Finished, details!.Summary.SubStatus);
        }

        await using (var third = await EngineHost.StartAsync(_db, _clock))
        {
            Assert.Equal(0, await third.Maintenance.FireDueTimersAsync());
        }

        Assert.Equal(["before", "after"], Probe.Runs[instanceId].Select(r => r.Split('|')[1]));
    }

    [Fact]
    public async Task Timer_OverdueAtStartup_IsFiredByTheRestartedHostsSweep()
    {
        string instanceId;
        await using (var first = await EngineHost.StartAsync(_db, _clock))
        {
            var id = await first.PublishAsync(TimerFlow("00:05:00"));
            instanceId = (await first.Runtime.StartAsync(id)).InstanceId;
        }

        _clock.Advance(TimeSpan.FromMinutes(10));
        await using var second = await EngineHost.StartAsync(_db, _clock, background: true);
        var status = await WaitForAsync(second, instanceId, s => s == WorkflowSubStatus.Finished);

        Assert.Equal(WorkflowSubStatus.Finished, status);
        Assert.Equal(2, Probe.Count(instanceId));
    }

    [Fact]
    public async Task CrashMidBurst_ResumesFromTheLastCommit_WithoutRerunningCommittedSteps()
    {
        var key = Guid.NewGuid().ToString("N");
        string instanceId;
        var first = await EngineHost.StartAsync(_db, _clock);
        var id = await first.PublishAsync(Flow.Create()
            .Add("before", "Test.Probe", ("label", Flow.Literal("before")))
            .Add("wait", "Test.CountResumes")
            .Add("hang", "Test.Hang", ("key", Flow.Literal(key)))
            .Add("after", "Test.Probe", ("label", Flow.Literal("after")))
            .Add("mail", "Test.EnlistOutbox", ("text", Flow.Literal("once")))
            .Chain("before", "wait", "hang", "after", "mail").Json);
        instanceId = (await first.Runtime.StartAsync(id, correlationId: key)).InstanceId;

        Hang.Armed[key] = true;
        using var crash = new CancellationTokenSource();
        var signal = first.Runtime.SignalAsync("go", key, cancellationToken: crash.Token);
        await Hang.Entered.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(TimeSpan.FromSeconds(30));
        await crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signal);
        await first.DisposeAsync();

        // Nothing of the interrupted burst was committed: the instance still waits, the resume is still queued.
        await using (var db = _db.CreateContext())
        {
            Assert.Equal(0, await db.Set<TestOutboxRow>().CountAsync());
        }

        await using var second = await EngineHost.StartAsync(_db, _clock);
        Assert.Equal(0, await second.Maintenance.RecoverAsync());
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await second.Maintenance.RecoverAsync());

        var details = await second.Runtime.GetInstanceAsync(instanceId);
        Assert.Equal(WorkflowSubStatus.Finished, details!.Summary.SubStatus);
        Assert.Equal(["before", "after"], Probe.Runs[instanceId].Select(r => r.Split('|')[1]));
        await using (var db = _db.CreateContext())
        {
            var row = await db.Set<TestOutboxRow>().SingleAsync();
            Assert.Equal($"{instanceId}:mail:0", row.Key);
        }

        Assert.Single(details.Journal, j => j.ActivityId == "wait" && j.EventName == JournalEvents.Resumed);
    }

    [Fact]
    public async Task CrashInTheFirstBurst_TheStartedInstanceIsRecovered()
    {
        var key = Guid.NewGuid().ToString("N");
        var first = await EngineHost.StartAsync(_db, _clock);
        var id = await first.PublishAsync(Flow.Create()
            .Add("hang", "Test.Hang", ("key", Flow.Literal(key)))
            .Add("after", "Test.Probe")
            .Chain("hang", "after").Json);
        Hang.Armed[key] = true;
        using var crash = new CancellationTokenSource();
        var start = first.Runtime.StartAsync(id, correlationId: key, cancellationToken: crash.Token);
        await Hang.Entered.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(TimeSpan.FromSeconds(30));
        await crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start);
        await first.DisposeAsync();

        _clock.Advance(TimeSpan.FromMinutes(2));
        await using var second = await EngineHost.StartAsync(_db, _clock);
        Assert.Equal(1, await second.Maintenance.RecoverAsync());

        var instance = Assert.Single((await second.Runtime.ListInstancesAsync(new InstanceQuery { CorrelationId = key })).Items);
        Assert.Equal(WorkflowSubStatus.Finished, instance.SubStatus);
        Assert.Equal(1, Probe.Count(instance.Id));
    }

    [Fact]
    public async Task SignalWhileTheInstanceRuns_IsQueuedAndDeliveredAfterTheBurst()
    {
        var key = Guid.NewGuid().ToString("N");
        await using var host = await EngineHost.StartAsync(_db, _clock);
        var id = await host.PublishAsync(Flow.Create()
            .Add("hang", "Test.Hang", ("key", Flow.Literal(key)))
            .Add("wait", "Elsa.Event", ("eventName", Flow.Literal("Ready")))
            .Add("after", "Test.Probe")
            .Chain("hang", "wait", "after").Json);
        Hang.Armed[key] = true;
        using var stop = new CancellationTokenSource();
        var start = host.Runtime.StartAsync(id, correlationId: key, cancellationToken: stop.Token);
        await Hang.Entered.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The bookmark does not exist yet (the burst that creates it is running): the signal is queued, not lost.
        Assert.Equal(1, await host.Runtime.SignalAsync("Ready", key));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start);
        _clock.Advance(TimeSpan.FromMinutes(2));
        await host.Maintenance.RecoverAsync();

        var instance = Assert.Single((await host.Runtime.ListInstancesAsync(new InstanceQuery { CorrelationId = key })).Items);
        Assert.Equal(WorkflowSubStatus.Finished, instance.SubStatus);
        Assert.Equal(1, Probe.Count(instance.Id));
    }

    private static async Task<WorkflowSubStatus> WaitForAsync(EngineHost host, string instanceId, Func<WorkflowSubStatus, bool> done)
    {
        var status = WorkflowSubStatus.Pending;
        for (var i = 0; i < 200; i++)
        {
            status = (await host.Runtime.GetInstanceAsync(instanceId))!.Summary.SubStatus;
            if (done(status))
            {
                return status;
            }

            await Task.Delay(50);
        }

        return status;
    }
}
