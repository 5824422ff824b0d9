using MentorFlow.Workflows.Persistence;
using MentorFlow.Workflows.Runtime;
using MentorFlow.Workflows.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Workflows.Tests;

/// <summary>Two engine hosts (replicas) on one database resume the same bookmarks at the same time.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task TwoHostsOnPostgres_Resume500BookmarksConcurrently_EachExactlyOnce()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await RunTwoHostsAsync(database, 500);
    }

    [Fact]
    public async Task TwoHostsOnSqlite_Resume100BookmarksConcurrently_EachExactlyOnce()
    {
        await using var database = await TestDatabase.SqliteAsync();
        await RunTwoHostsAsync(database, 100);
    }

    [Fact]
    public async Task TwoHostsWithQuartz_FireEachTimerOnce()
    {
        await using var database = await TestDatabase.SqliteAsync();
        await using var first = await EngineHost.StartAsync(database, TimeProvider.System, background: true);
        var id = await first.PublishAsync(Flow.Create()
            .Add("delay", "Elsa.Delay", ("timeSpan", Flow.Literal("00:00:02", "TimeSpan")))
            .Add("after", "Test.Probe")
            .Chain("delay", "after").Json);
        var instances = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            instances.Add((await first.Runtime.StartAsync(id)).InstanceId);
        }

        await using var second = await EngineHost.StartAsync(database, TimeProvider.System, background: true);
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            var finished = await first.Runtime.ListInstancesAsync(new InstanceQuery { DefinitionId = id, Statuses = [WorkflowStatus.Finished] });
            if (finished.TotalCount == instances.Count)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.All(instances, instance => Assert.Equal(1, Probe.Count(instance)));
        var all = await first.Runtime.ListInstancesAsync(new InstanceQuery { DefinitionId = id, PageSize = 100 });
        Assert.All(all.Items, i => Assert.Equal(WorkflowSubStatus.Finished, i.SubStatus));
    }

    [Fact]
    public async Task TwoHostsOnPostgres_FireTheSame300DueTimersInBatches_EachExactlyOnce()
    {
        await using var database = await TestDatabase.PostgresAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        await using var first = await EngineHost.StartAsync(database, clock);
        await using var second = await EngineHost.StartAsync(database, clock);
        var id = await first.PublishAsync(Flow.Create()
            .Add("delay", "Elsa.Delay", ("timeSpan", Flow.Literal("00:05:00", "TimeSpan")))
            .Add("after", "Test.Probe")
            .Chain("delay", "after").Json);
        var instances = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            instances.Add((await first.Runtime.StartAsync(id)).InstanceId);
        }

        clock.Advance(TimeSpan.FromMinutes(5));
        var fired = await Task.WhenAll(
            Task.Run(() => first.Maintenance.FireDueTimersAsync()),
            Task.Run(() => second.Maintenance.FireDueTimersAsync()));
        await first.Maintenance.RecoverAsync();

        Assert.InRange(fired.Sum(), 300, 600);
        Assert.All(instances, i => Assert.Equal(1, Probe.Count(i)));
        await using var db = database.CreateContext();
        Assert.Equal(300, await db.Set<WorkflowInstanceRecord>().CountAsync(i => i.DefinitionId == id && i.SubStatus == nameof(WorkflowSubStatus.Finished)));
        Assert.Equal(300, await db.Set<WorkflowJournalRecord>().CountAsync(j => instances.Contains(j.InstanceId) && j.ActivityId == "after"));
        Assert.Equal(0, await db.Set<WorkflowBookmarkRecord>().CountAsync(b => instances.Contains(b.InstanceId)));
    }

    private static async Task RunTwoHostsAsync(TestDatabase database, int count)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        await using var first = await EngineHost.StartAsync(database, clock);
        await using var second = await EngineHost.StartAsync(database, clock);
        var id = await first.PublishAsync(Flow.Create()
            .Add("wait", "Test.CountResumes")
            .Add("after", "Test.Probe")
            .Chain("wait", "after").Json);
        var prefix = Guid.NewGuid().ToString("N")[..8];
        var correlations = Enumerable.Range(0, count).Select(i => $"{prefix}-{i}").ToList();
        var instances = new List<string>();
        foreach (var correlation in correlations)
        {
            instances.Add((await first.Runtime.StartAsync(id, correlationId: correlation)).InstanceId);
        }

        async Task SignalAllAsync(EngineHost host, IEnumerable<string> order) =>
            await Parallel.ForEachAsync(order, new ParallelOptions { MaxDegreeOfParallelism = 6 },
                async (correlation, ct) => await host.Runtime.SignalAsync("go", correlation, cancellationToken: ct));

        await Task.WhenAll(
            Task.Run(() => SignalAllAsync(first, correlations)),
            Task.Run(() => SignalAllAsync(second, Enumerable.Reverse(correlations))));
        await first.Maintenance.RecoverAsync();
        await second.Maintenance.RecoverAsync();

        var resumed = instances.Sum(i => CountResumes.Resumes.GetValueOrDefault(i));
        var duplicates = instances.Count(i => CountResumes.Resumes.GetValueOrDefault(i) > 1);
        var lost = instances.Count(i => CountResumes.Resumes.GetValueOrDefault(i) == 0);
        Assert.Equal((count, 0, 0), (resumed, duplicates, lost));
        Assert.All(instances, i => Assert.Equal(1, Probe.Count(i)));
        await using var db = database.CreateContext();
        Assert.Equal(count, await db.Set<WorkflowInstanceRecord>().CountAsync(i => i.SubStatus == nameof(WorkflowSubStatus.Finished)));
        Assert.Equal(0, await db.Set<WorkflowInboxRecord>().CountAsync());
        Assert.Equal(0, await db.Set<WorkflowBookmarkRecord>().CountAsync());
        Assert.Equal(count, await db.Set<WorkflowJournalRecord>().CountAsync(j => j.ActivityId == "wait" && j.EventName == JournalEvents.Resumed));
    }
}
