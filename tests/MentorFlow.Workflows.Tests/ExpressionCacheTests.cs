using MentorFlow.Workflows.Expressions;
using MentorFlow.Workflows.Runtime;
using MentorFlow.Workflows.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Workflows.Tests;

/// <summary>
/// Parsed Liquid templates and prepared scripts are bounded by <c>Workflows:MaxCachedExpressions</c> (each): a flow
/// with more distinct expressions than that keeps each cache at the limit, and the dropped ones are parsed again when
/// evaluated, with the same results.
/// </summary>
public sealed class ExpressionCacheTests
{
    private const int Limit = 2;
    private const int Expressions = 5;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task MoreExpressionsThanTheLimit_OnSqlite_KeepEachCacheAtTheLimit_AndEvaluateAlikeWhenParsedAgain()
    {
        await using var database = await TestDatabase.SqliteAsync();
        await MoreExpressionsThanTheLimit_KeepEachCacheAtTheLimit(database);
    }

    [Fact]
    public async Task MoreExpressionsThanTheLimit_OnPostgres_KeepEachCacheAtTheLimit_AndEvaluateAlikeWhenParsedAgain()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await MoreExpressionsThanTheLimit_KeepEachCacheAtTheLimit(database);
    }

    [Fact]
    public async Task DefaultLimit_Is2048OfEach()
    {
        await using var database = await TestDatabase.SqliteAsync();
        await using var host = await EngineHost.StartAsync(database, _clock);

        Assert.Equal(2048, host.Services.GetRequiredService<IOptions<WorkflowEngineOptions>>().Value.MaxCachedExpressions);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000_001)]
    public async Task ALimitOutOfRange_StopsTheEngineAtStart_NamingTheSetting(int limit)
    {
        await using var database = await TestDatabase.SqliteAsync();

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => EngineHost.StartAsync(database, _clock, o => o.MaxCachedExpressions = limit));

        Assert.Contains(nameof(WorkflowEngineOptions.MaxCachedExpressions), refused.Message, StringComparison.Ordinal);
    }

    private async Task MoreExpressionsThanTheLimit_KeepEachCacheAtTheLimit(TestDatabase database)
    {
        await using var host = await EngineHost.StartAsync(database, _clock, o => o.MaxCachedExpressions = Limit);
        var evaluator = host.Services.GetRequiredService<ExpressionEvaluator>();
        var flow = Flow.Create("Many expressions", "many-expressions");
        var ids = new List<string>();
        var expected = new List<string>();
        for (var i = 0; i < Expressions; i++)
        {
            flow.Add($"liquid-{i}", "Elsa.WriteLine", ("text", Flow.Expr("Liquid", $"liquid {i} in {{{{ Workflow.DefinitionId }}}}")));
            flow.Add($"js-{i}", "Elsa.WriteLine", ("text", Flow.Expr("JavaScript", $"'script ' + ({i} * 10) + ' in ' + getWorkflowDefinitionId()")));
            ids.AddRange([$"liquid-{i}", $"js-{i}"]);
            expected.AddRange([$"liquid {i} in many-expressions", $"script {i * 10} in many-expressions"]);
        }

        var definitionId = await host.PublishAsync(flow.Chain([.. ids]).Json);

        // Each run evaluates ten distinct expressions through caches of two: the second run parses every one again.
        for (var run = 0; run < 2; run++)
        {
            var started = await host.Runtime.StartAsync(definitionId);
            var details = (await host.Runtime.GetInstanceAsync(started.InstanceId))!;

            Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
            Assert.Equal(expected, details.Journal.Where(j => j.ActivityType == "Elsa.WriteLine").Select(j => j.Message));
            Assert.Equal((Limit, Limit), evaluator.CachedCounts);
        }
    }
}
