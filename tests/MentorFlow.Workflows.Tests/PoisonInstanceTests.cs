using System.Diagnostics;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Persistence;
using MentorFlow.Workflows.Runtime;
using MentorFlow.Workflows.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Workflows.Tests;

/// <summary>
/// Instances whose burst cannot be run or stored end as incidents instead of being retried forever; cancel and
/// delete always work on them; a long burst keeps its lease.
/// </summary>
public sealed class PoisonInstanceTests : EngineTestBase
{
    private const long StateLimit = 64 * 1024;

    protected override void Configure(WorkflowEngineOptions options)
    {
        options.MaxStateBytes = StateLimit;
        options.MaxBurstFailures = 3;
        options.BurstRetryDelay = TimeSpan.FromSeconds(1);
        options.BurstRetryMaxDelay = TimeSpan.FromSeconds(30);
        options.LeaseDuration = TimeSpan.FromSeconds(3);
    }

    private static JsonObject VariableRef(string name) => new() { ["id"] = "var-" + name, ["name"] = name };

    /// <summary>Probe "p", then a SetVariable of a 100 000-character text (over the 64 KB limit), then probe "after".</summary>
    private static Flow OversizedFlow() => Flow.Create()
        .Var("Big")
        .Add("p", "Test.Probe", ("label", Flow.Literal("p")))
        .Add("big", "Elsa.SetVariable", ("variable", VariableRef("Big")), ("value", Flow.Expr("JavaScript", "'x'.repeat(100000)", "Object")))
        .Add("after", "Test.Probe", ("label", Flow.Literal("after")))
        .Chain("p", "big", "after");

    /// <summary>Probe "p", then an outbox row whose key already exists: every commit of the burst is refused.</summary>
    private async Task<string> StartRefusedCommitAsync()
    {
        var key = "dup-" + Guid.NewGuid().ToString("N");
        await using (var db = Database.CreateContext())
        {
            db.Add(new TestOutboxRow { Key = key, Text = "already there" });
            await db.SaveChangesAsync();
        }

        var id = await Host.PublishAsync(Flow.Create()
            .Add("p", "Test.Probe", ("label", Flow.Literal("p")))
            .Add("dup", "Test.EnlistFixedKey", ("key", Flow.Literal(key)))
            .Chain("p", "dup").Json);
        var started = await Host.Runtime.StartAsync(id);
        return started.InstanceId;
    }

    private async Task<WorkflowInstanceRecord> RowAsync(string instanceId)
    {
        await using var db = Database.CreateContext();
        return await db.Set<WorkflowInstanceRecord>().AsNoTracking().SingleAsync(i => i.Id == instanceId);
    }

    [Fact]
    public async Task OversizedState_FaultsWithAnIncidentNamingTheLimit_WithoutAStackTrace_AfterOneFailedPersist_WithoutRetries()
    {
        var id = await Host.PublishAsync(OversizedFlow().Json);

        var started = await Host.Runtime.StartAsync(id);

        Assert.Equal((WorkflowStatus.Finished, WorkflowSubStatus.Faulted), (started.Status, started.SubStatus));
        var details = (await Host.Runtime.GetInstanceAsync(started.InstanceId))!;
        var incident = Assert.Single(details.Incidents);
        Assert.Contains("65,536 bytes", incident.Message, StringComparison.Ordinal);
        Assert.Contains("Workflows:MaxStateBytes", incident.Message, StringComparison.Ordinal);
        Assert.Contains("variable 'Big'", incident.Message, StringComparison.Ordinal);
        Assert.Null(incident.Exception);

        // The one burst ran both probes; it was not stored and is not run again.
        Assert.Equal(2, Probe.Count(started.InstanceId));

        // Nothing retries it: not recovery, however long we wait.
        for (var i = 0; i < 3; i++)
        {
            Clock.Advance(TimeSpan.FromHours(1));
            Assert.Equal(0, await Host.Maintenance.RecoverAsync());
        }

        Assert.Equal(2, Probe.Count(started.InstanceId));
        var row = await RowAsync(started.InstanceId);
        Assert.Equal((nameof(WorkflowSubStatus.Faulted), false, (string?)null, 1), (row.SubStatus, row.HasPendingWork, row.LeaseOwner, row.IncidentCount));
        Assert.True(row.State.Length < StateLimit);
    }

    [Fact]
    public async Task RefusedCommit_IsRetriedWithDoublingBackoff_AndFaultsAfterMaxBurstFailures()
    {
        var instanceId = await StartRefusedCommitAsync();
        Assert.Equal(1, Probe.Count(instanceId));
        Assert.Equal(nameof(WorkflowStatus.Running), (await RowAsync(instanceId)).Status);

        // First retry after 1 s, not before.
        Clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, await Host.Maintenance.RecoverAsync());
        Assert.Equal(1, Probe.Count(instanceId));
        Clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Equal(1, await Host.Maintenance.RecoverAsync());
        Assert.Equal(2, Probe.Count(instanceId));

        // Second retry after 2 s more.
        Clock.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(0, await Host.Maintenance.RecoverAsync());
        Assert.Equal(2, Probe.Count(instanceId));
        Clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Equal(1, await Host.Maintenance.RecoverAsync());
        Assert.Equal(3, Probe.Count(instanceId));

        // The third failure is the last one.
        var details = (await Host.Runtime.GetInstanceAsync(instanceId))!;
        Assert.Equal(WorkflowSubStatus.Faulted, details.Summary.SubStatus);
        var incident = Assert.Single(details.Incidents);
        Assert.Equal("dup", incident.ActivityId);
        Assert.Contains("failed 3 times", incident.Message, StringComparison.Ordinal);
        Assert.Contains("Workflows:MaxBurstFailures", incident.Message, StringComparison.Ordinal);
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await Host.Maintenance.RecoverAsync());
        Assert.Equal(3, Probe.Count(instanceId));
    }

    [Fact]
    public async Task Cancel_OfAnInstanceWaitingToRetryAFailedBurst_DoesNotRunTheBurst()
    {
        var instanceId = await StartRefusedCommitAsync();
        Assert.Equal(1, Probe.Count(instanceId));

        Assert.True(await Host.Runtime.CancelAsync(instanceId));

        Assert.Equal(1, Probe.Count(instanceId));
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await Host.Maintenance.RecoverAsync());
        Assert.Equal(1, Probe.Count(instanceId));
        var row = await RowAsync(instanceId);
        Assert.Equal((nameof(WorkflowStatus.Finished), nameof(WorkflowSubStatus.Cancelled), false, (string?)null), (row.Status, row.SubStatus, row.HasPendingWork, row.LeaseOwner));
    }

    [Fact]
    public async Task Cancel_OfAnInstanceMidBurst_TakesEffectAtOnce_AndTheBurstIsDiscarded()
    {
        var key = Guid.NewGuid().ToString("N");
        var id = await Host.PublishAsync(Flow.Create()
            .Add("slow", "Test.SlowStep", ("key", Flow.Literal(key)), ("seconds", Flow.Literal("3600")))
            .Add("after", "Test.Probe", ("label", Flow.Literal("after")))
            .Add("mail", "Test.EnlistOutbox", ("text", Flow.Literal("never")))
            .Chain("slow", "after", "mail").Json);
        var running = Task.Run(() => Host.Runtime.StartAsync(id));
        await SlowStep.StartedFor(key).Task.WaitAsync(TimeSpan.FromSeconds(30));
        var instanceId = (await Host.Runtime.ListInstancesAsync(new InstanceQuery { PageSize = 1000 })).Items.Single(i => i.DefinitionId == id).Id;

        Assert.True(await Host.Runtime.CancelAsync(instanceId));
        Assert.Equal(WorkflowSubStatus.Cancelled, (await Host.Runtime.GetInstanceAsync(instanceId))!.Summary.SubStatus);

        // The executor notices at its next lease renewal and stops; nothing it ran is committed.
        Clock.Advance(TimeSpan.FromSeconds(1));
        await running.WaitAsync(TimeSpan.FromSeconds(30));
        var details = (await Host.Runtime.GetInstanceAsync(instanceId))!;
        Assert.Equal(WorkflowSubStatus.Cancelled, details.Summary.SubStatus);
        Assert.Equal(0, Probe.Count(instanceId));
        await using var db = Database.CreateContext();
        Assert.Equal(0, await db.Set<TestOutboxRow>().CountAsync(r => r.Key.StartsWith(instanceId)));
        Assert.Equal(1, SlowStep.Executions[key]);
    }

    [Fact]
    public async Task BurstWhoseLeaseWasTaken_RunsToItsEnd_ButCommitsNothing()
    {
        var key = Guid.NewGuid().ToString("N");
        var id = await Host.PublishAsync(Flow.Create()
            .Add("slow", "Test.SlowStep", ("key", Flow.Literal(key)), ("seconds", Flow.Literal("0.5")))
            .Add("after", "Test.Probe", ("label", Flow.Literal("after")))
            .Add("mail", "Test.EnlistOutbox", ("text", Flow.Literal("never")))
            .Chain("slow", "after", "mail").Json);
        var running = Task.Run(() => Host.Runtime.StartAsync(id));
        await SlowStep.StartedFor(key).Task.WaitAsync(TimeSpan.FromSeconds(30));
        var instanceId = (await Host.Runtime.ListInstancesAsync(new InstanceQuery { PageSize = 1000 })).Items.Single(i => i.DefinitionId == id).Id;
        Assert.True(await Host.Runtime.CancelAsync(instanceId));

        // Before the executor's next renewal (every 1 s) its burst ends and tries to commit: the lease is not its own.
        Clock.Advance(TimeSpan.FromSeconds(0.5));
        await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, Probe.Count(instanceId));
        var details = (await Host.Runtime.GetInstanceAsync(instanceId))!;
        Assert.Equal(WorkflowSubStatus.Cancelled, details.Summary.SubStatus);
        Assert.DoesNotContain(details.Journal, j => j.ActivityId is "after" or "mail");
        await using var db = Database.CreateContext();
        Assert.Equal(0, await db.Set<TestOutboxRow>().CountAsync(r => r.Key.StartsWith(instanceId)));
    }

    [Fact]
    public async Task Delete_OfAnInstanceWaitingToRetryAFailedBurst_RemovesItAndNothingRunsAgain()
    {
        var instanceId = await StartRefusedCommitAsync();

        Assert.True(await Host.Runtime.DeleteInstanceAsync(instanceId));

        Assert.Null(await Host.Runtime.GetInstanceAsync(instanceId));
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await Host.Maintenance.RecoverAsync());
        Assert.Equal(1, Probe.Count(instanceId));
    }

    [Fact]
    public async Task CrashLoop_FaultsAfterMaxBurstFailures_WithoutStartingTheBurstAgain()
    {
        var key = Guid.NewGuid().ToString("N");
        var id = await Host.PublishAsync(Flow.Create()
            .Add("hang", "Test.Hang", ("key", Flow.Literal(key)))
            .Add("after", "Test.Probe", ("label", Flow.Literal("after")))
            .Chain("hang", "after").Json);

        // Each "crash" stops the executor mid-burst without releasing its lease (as a killed process would).
        string? instanceId = null;
        for (var crash = 0; crash < 3; crash++)
        {
            Hang.Armed[key] = true;
            Hang.Entered.TryRemove(key, out _);
            using var stop = new CancellationTokenSource();
            Task attempt = instanceId is null ? Host.Runtime.StartAsync(id, cancellationToken: stop.Token) : Host.Maintenance.RecoverAsync(stop.Token);
            await Hang.Entered.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(TimeSpan.FromSeconds(30));
            instanceId ??= (await Host.Runtime.ListInstancesAsync(new InstanceQuery { PageSize = 1000 })).Items.Single(i => i.DefinitionId == id).Id;
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => attempt);
            Clock.Advance(TimeSpan.FromSeconds(4));
        }

        Hang.Armed[key] = true;
        Hang.Entered.TryRemove(key, out _);
        Assert.Equal(1, await Host.Maintenance.RecoverAsync());

        Assert.False(Hang.Entered.ContainsKey(key));
        Hang.Armed.TryRemove(key, out _);
        var details = (await Host.Runtime.GetInstanceAsync(instanceId!))!;
        Assert.Equal(WorkflowSubStatus.Faulted, details.Summary.SubStatus);
        var incident = Assert.Single(details.Incidents);
        Assert.Equal("hang", incident.ActivityId);
        Assert.Contains("started 3 times without finishing", incident.Message, StringComparison.Ordinal);

        // Retrying the incident runs the step again (now unarmed) and the flow finishes.
        Assert.True(await Host.Runtime.RetryIncidentAsync(incident.Id));
        Assert.Equal(WorkflowSubStatus.Finished, (await Host.Runtime.GetInstanceAsync(instanceId!))!.Summary.SubStatus);
        Assert.Equal(1, Probe.Count(instanceId!));
    }

    [Fact]
    public async Task LongBurst_RenewsItsLease_AndCommitsOnce()
    {
        var key = Guid.NewGuid().ToString("N");
        var id = await Host.PublishAsync(Flow.Create()
            .Add("slow", "Test.SlowStep", ("key", Flow.Literal(key)), ("seconds", Flow.Literal("90")))
            .Add("after", "Test.Probe", ("label", Flow.Literal("after")))
            .Chain("slow", "after").Json);
        var running = Task.Run(() => Host.Runtime.StartAsync(id));
        await SlowStep.StartedFor(key).Task.WaitAsync(TimeSpan.FromSeconds(30));
        var instanceId = (await Host.Runtime.ListInstancesAsync(new InstanceQuery { PageSize = 1000 })).Items.Single(i => i.DefinitionId == id).Id;

        // 90 s of a 3 s lease: every second another executor looks for expired leases and finds none.
        for (var second = 1; second < 90; second++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            var renewedTo = Clock.GetUtcNow().AddSeconds(3).ToUnixTimeMilliseconds();
            var waited = Stopwatch.StartNew();
            while ((await RowAsync(instanceId)).LeaseExpiresAt < renewedTo && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(5);
            }

            Assert.Equal(0, await Host.Maintenance.RecoverAsync());
        }

        Clock.Advance(TimeSpan.FromSeconds(1));
        var started = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(WorkflowSubStatus.Finished, started.SubStatus);
        Assert.Equal(1, SlowStep.Executions[key]);
        Assert.Equal(1, Probe.Count(instanceId));
        var details = (await Host.Runtime.GetInstanceAsync(instanceId))!;
        Assert.Single(details.Journal, j => j.ActivityId == "slow");
    }
}
