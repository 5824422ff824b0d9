using MentorFlow.Workflows.Persistence;
using MentorFlow.Workflows.Runtime;
using MentorFlow.Workflows.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MentorFlow.Workflows.Tests;

/// <summary>
/// Timers that fall due together are fired in batches (one claim, one load, one commit for many instances); each
/// instance still resumes exactly once, and the instances a batch cannot take the plain way (held by another
/// executor, cancelled, faulted) behave as when fired one by one.
/// </summary>
public sealed class TimerBatchTests : EngineTestBase
{
    private async Task<(string DefinitionId, List<string> Instances)> StartWaitingAsync(int count)
    {
        var id = await Host.PublishAsync(Flow.Create()
            .Add("delay", "Elsa.Delay", ("timeSpan", Flow.Literal("00:30:00", "TimeSpan")))
            .Add("after", "Test.Probe")
            .Chain("delay", "after").Json);
        var instances = new List<string>();
        for (var i = 0; i < count; i++)
        {
            instances.Add((await Host.Runtime.StartAsync(id)).InstanceId);
        }

        return (id, instances);
    }

    /// <summary>Another replica's executor holds the instance's lease for two hours.</summary>
    private async Task HoldByAnotherExecutorAsync(string instanceId)
    {
        await using var db = Database.CreateContext();
        var until = Clock.GetUtcNow().AddHours(2).ToUnixTimeMilliseconds();
        await db.Set<WorkflowInstanceRecord>().Where(i => i.Id == instanceId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseOwner, "other-replica").SetProperty(i => i.LeaseExpiresAt, until));
    }

    private async Task ExpireLeaseAsync(string instanceId)
    {
        await using var db = Database.CreateContext();
        await db.Set<WorkflowInstanceRecord>().Where(i => i.Id == instanceId).ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseExpiresAt, 0L));
    }

    private async Task<int> InboxRowsAsync(string instanceId)
    {
        await using var db = Database.CreateContext();
        return await db.Set<WorkflowInboxRecord>().CountAsync(m => m.InstanceId == instanceId);
    }

    private async Task<WorkflowSubStatus> SubStatusAsync(string instanceId) =>
        (await Host.Runtime.GetInstanceAsync(instanceId))!.Summary.SubStatus;

    [Fact]
    public async Task ManyTimersDueTogether_FireInBatches_EachInstanceResumedOnce()
    {
        var (_, instances) = await StartWaitingAsync(250);
        Clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(250, await Host.Maintenance.FireDueTimersAsync());
        Assert.Equal(0, await Host.Maintenance.FireDueTimersAsync());

        Assert.All(instances, instance => Assert.Equal(1, Probe.Count(instance)));
        foreach (var instance in instances)
        {
            Assert.Equal(WorkflowSubStatus.Finished, await SubStatusAsync(instance));
        }

        await using var db = Database.CreateContext();
        Assert.Equal(0, await db.Set<WorkflowBookmarkRecord>().CountAsync());
        Assert.Equal(0, await db.Set<WorkflowInstanceRecord>().CountAsync(i => i.LeaseOwner != null));
        Assert.Equal(250, await db.Set<WorkflowJournalRecord>().CountAsync(j => j.ActivityId == "after"));
    }

    [Fact]
    public async Task InstanceHeldByAnotherExecutor_GetsItsResumeQueued_AndResumesOnceWhenFreed()
    {
        var (_, instances) = await StartWaitingAsync(5);
        var held = instances[2];
        await HoldByAnotherExecutorAsync(held);

        Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(5, await Host.Maintenance.FireDueTimersAsync());
        Assert.Equal(0, Probe.Count(held));
        Assert.All(instances.Where(i => i != held), instance => Assert.Equal(1, Probe.Count(instance)));
        Assert.Equal(1, await InboxRowsAsync(held));

        // The other executor stops without resuming it: its lease runs out and recovery delivers the queued resume.
        await ExpireLeaseAsync(held);

        Assert.Equal(1, await Host.Maintenance.RecoverAsync());
        Assert.Equal(1, Probe.Count(held));
        Assert.Equal(WorkflowSubStatus.Finished, await SubStatusAsync(held));
        Assert.Equal(0, await Host.Maintenance.FireDueTimersAsync());
    }

    [Fact]
    public async Task SecondReplicaFiringAResumeAlreadyQueued_KeepsOneInboxRow_ResumesOnce_AndLogsNoDatabaseError()
    {
        var (_, instances) = await StartWaitingAsync(1);
        var held = instances[0];
        await HoldByAnotherExecutorAsync(held);

        Clock.Advance(TimeSpan.FromMinutes(30));
        await Host.Maintenance.FireDueTimersAsync();

        // A second replica (its own host and logs on the same database) finds the same timer due and queues it again.
        using var logs = new FakeLoggerProvider();
        await using (var second = await EngineHost.StartAsync(Database, Clock, services: s => s.AddSingleton<ILoggerProvider>(logs)))
        {
            await second.Maintenance.FireDueTimersAsync();
        }

        Assert.DoesNotContain(logs.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning);
        Assert.Equal(1, await InboxRowsAsync(held));
        await ExpireLeaseAsync(held);

        Assert.Equal(1, await Host.Maintenance.RecoverAsync());
        Assert.Equal(1, Probe.Count(held));
        Assert.Equal(WorkflowSubStatus.Finished, await SubStatusAsync(held));
    }

    [Fact]
    public async Task CancelledInstanceInABatch_NeverFires()
    {
        var (_, instances) = await StartWaitingAsync(6);
        Assert.True(await Host.Runtime.CancelAsync(instances[0]));
        Assert.True(await Host.Runtime.CancelAsync(instances[5]));

        Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(4, await Host.Maintenance.FireDueTimersAsync());

        Assert.Equal(0, Probe.Count(instances[0]));
        Assert.Equal(0, Probe.Count(instances[5]));
        Assert.Equal(WorkflowSubStatus.Cancelled, await SubStatusAsync(instances[0]));
        Assert.All(instances[1..5], instance => Assert.Equal(1, Probe.Count(instance)));
    }

    [Fact]
    public async Task TimersNotDueYetInTheSameSweep_StayWaiting()
    {
        var (id, early) = await StartWaitingAsync(3);
        Clock.Advance(TimeSpan.FromMinutes(10));
        var late = (await Host.Runtime.StartAsync(id)).InstanceId;

        Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(3, await Host.Maintenance.FireDueTimersAsync());
        Assert.Equal(0, Probe.Count(late));
        Assert.Equal(WorkflowSubStatus.Suspended, await SubStatusAsync(late));

        Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, await Host.Maintenance.FireDueTimersAsync());
        Assert.All(early.Append(late), instance => Assert.Equal(1, Probe.Count(instance)));
    }

    [Fact]
    public async Task TimerDueWithinTheMillisecond_FiresAsSoonAsTheStoredDueTimeIsReached()
    {
        // The due time has a sub-millisecond part; wf_bookmarks stores milliseconds and the scheduler and the sweep
        // hand the timer over at that millisecond, so the resume must accept it then (not wait for the next sweep).
        Clock.Advance(TimeSpan.FromTicks(7_000));
        var (_, instances) = await StartWaitingAsync(1);
        Clock.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromTicks(7_000));

        Assert.Equal(1, await Host.Maintenance.FireDueTimersAsync());
        Assert.Equal(1, Probe.Count(instances[0]));
    }
}
