using System.Diagnostics;
using MentorFlow.Testing.Server.Workflows;
using Xunit.Abstractions;

namespace MentorFlow.EndToEnd;

/// <summary>
/// The <c>workflows</c> benchmark's smoke run (<see cref="WorkflowMeasures"/>, shared with tests/MentorFlow.Benchmarks):
/// the engine alone on its own SQLite files, every part at smoke size. The speed is the benchmark's to judge; this
/// proves each part measured what it claims, so the benchmark cannot break unseen (its history seeding writes the
/// engine's tables with raw SQL and must follow every new column).
/// </summary>
public sealed class WorkflowFiguresTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WorkflowBenchmarkSmoke_RunsEveryPart_FiresEachTimerOnce_AndTheEngineListsTheSeededHistory()
    {
        var clock = Stopwatch.StartNew();
        var options = WorkflowRunOptions.Smoke;

        var result = await WorkflowMeasures.RunAsync(options);

        output.WriteLine(string.Join('\n', result.Memory, result.Persisted, result.Timers, result.History, $"test took {clock.Elapsed.TotalSeconds:0.0} s"));
        Assert.Empty(result.Failures);

        var memory = Assert.IsType<InMemoryFigures>(result.Memory);
        Assert.True(memory.Finished);
        Assert.Equal(options.MemoryExecutions + 2, memory.Executions); // two per item, the start and the loop's end
        Assert.True(memory.ExecutionsPerSecond > 0);

        var persisted = Assert.IsType<PersistedFigures>(result.Persisted);
        Assert.Equal(2 * options.PersistedInstances, persisted.StartsFinished);
        Assert.Equal((2 * options.PersistedInstances) + 1, persisted.InstancesListedFinished); // one more to warm up
        Assert.True(persisted.SequentialPerSecond > 0 && persisted.ParallelPerSecond > 0);

        var timers = Assert.IsType<TimerFigures>(result.Timers);
        Assert.Equal(options.Timers, timers.Fired);
        Assert.Equal(0, timers.Duplicates);
        Assert.Equal(0, timers.Missing);
        Assert.True(timers.Min > -1, $"a timer fired {-timers.Min:N1} ms before its due millisecond");

        var history = Assert.IsType<HistoryFigures>(result.History);
        Assert.Equal(new HistoryRows(options.HistoryInstances, options.HistoryInstances, options.HistoryInstances / 10), history.Seeded);
        Assert.Equal(options.HistoryInstances, history.ListedSeeded);
        Assert.Equal(options.HistoryInstances / 10, history.ListedSeededWaiting);
        Assert.Equal(2 * options.HistorySamples, history.SamplesWaiting);
        Assert.True(history.EmptyMedianMs > 0 && history.LoadedMedianMs > 0);
    }
}
