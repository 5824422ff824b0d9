using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;
using MentorFlow.Workflows.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Workflows.Tests;

/// <summary>
/// The engine's parsed flowcharts are bounded by <c>Workflows:MaxCachedFlowcharts</c>: running more versions than
/// that keeps the cache at the limit (least recently used dropped), and a dropped version is parsed again from its
/// stored JSON when an instance of it resumes or starts, so every flow still runs as written.
/// </summary>
public sealed class FlowchartCacheTests
{
    private const int Limit = 3;
    private const int Flows = 7;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task MoreVersionsThanTheLimit_OnSqlite_KeepTheCacheAtTheLimit_AndEveryFlowRunsAfterItsVersionWasDroppedAndParsedAgain()
    {
        await using var database = await TestDatabase.SqliteAsync();
        await MoreVersionsThanTheLimit_KeepTheCacheAtTheLimit_AndEveryFlowRuns(database);
    }

    [Fact]
    public async Task MoreVersionsThanTheLimit_OnPostgres_KeepTheCacheAtTheLimit_AndEveryFlowRunsAfterItsVersionWasDroppedAndParsedAgain()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await MoreVersionsThanTheLimit_KeepTheCacheAtTheLimit_AndEveryFlowRuns(database);
    }

    [Fact]
    public async Task DefaultLimit_Is512Versions()
    {
        await using var database = await TestDatabase.SqliteAsync();
        await using var host = await EngineHost.StartAsync(database, _clock);

        Assert.Equal(512, host.Services.GetRequiredService<IOptions<WorkflowEngineOptions>>().Value.MaxCachedFlowcharts);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100_001)]
    public async Task ALimitOutOfRange_StopsTheEngineAtStart_NamingTheSetting(int limit)
    {
        await using var database = await TestDatabase.SqliteAsync();

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => EngineHost.StartAsync(database, _clock, o => o.MaxCachedFlowcharts = limit));

        Assert.Contains(nameof(WorkflowEngineOptions.MaxCachedFlowcharts), refused.Message, StringComparison.Ordinal);
    }

    private async Task MoreVersionsThanTheLimit_KeepTheCacheAtTheLimit_AndEveryFlowRuns(TestDatabase database)
    {
        await using var host = await EngineHost.StartAsync(database, _clock, o => o.MaxCachedFlowcharts = Limit);
        var cache = host.Services.GetRequiredService<FlowchartCache>();

        // Each flow writes a line, waits for "Go" (the instance is stored and leaves memory), then writes another.
        var versions = new List<string>();
        var instances = new List<string>();
        for (var i = 0; i < Flows; i++)
        {
            var definitionId = await host.PublishAsync(Flow.Create($"Cached {i}", $"cached-{i}")
                .Add("before", "Elsa.WriteLine", ("text", Flow.Literal($"before {i}")))
                .Add("wait", "Elsa.Event", ("eventName", Flow.Literal("Go")))
                .Add("after", "Elsa.WriteLine", ("text", Flow.Expr("Liquid", $"after {i} in {{{{ Workflow.DefinitionId }}}}")))
                .Chain("before", "wait", "after").Json);
            versions.Add((await host.Definitions.FindAsync(definitionId, VersionOptions.Published))!.Id);
            var started = await host.Runtime.StartAsync(definitionId, correlationId: $"pair-{i}");
            Assert.Equal(WorkflowSubStatus.Suspended, started.SubStatus);
            instances.Add(started.InstanceId);
            Assert.True(cache.CachedVersionIds.Count <= Limit, $"{cache.CachedVersionIds.Count} versions cached after {i + 1} flows");
        }

        Assert.Equal(versions.TakeLast(Limit).Reverse(), cache.CachedVersionIds);
        Assert.DoesNotContain(versions[0], cache.CachedVersionIds);

        // Resume the oldest first: each was dropped, so it is parsed again from its stored JSON.
        for (var i = 0; i < Flows; i++)
        {
            Assert.Equal(1, await host.Runtime.SignalAsync("Go", $"pair-{i}"));
            var details = (await host.Runtime.GetInstanceAsync(instances[i]))!;

            Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
            Assert.Equal([$"before {i}", $"after {i} in cached-{i}"], details.Journal.Where(j => j.ActivityType == "Elsa.WriteLine").Select(j => j.Message));
            Assert.Equal(versions[i], cache.CachedVersionIds[0]);
            Assert.Equal(Limit, cache.CachedVersionIds.Count);
        }

        // A new instance of a version dropped again meanwhile starts from a fresh parse too.
        Assert.DoesNotContain(versions[0], cache.CachedVersionIds);
        var again = await host.Runtime.StartAsync("cached-0", correlationId: "pair-again");
        Assert.Equal(1, await host.Runtime.SignalAsync("Go", "pair-again"));
        var rerun = (await host.Runtime.GetInstanceAsync(again.InstanceId))!;
        Assert.Equal(WorkflowSubStatus.Finished, rerun.Summary.SubStatus);
        Assert.Equal(["before 0", "after 0 in cached-0"], rerun.Journal.Where(j => j.ActivityType == "Elsa.WriteLine").Select(j => j.Message));
        Assert.Equal(Limit, cache.CachedVersionIds.Count);
    }
}
