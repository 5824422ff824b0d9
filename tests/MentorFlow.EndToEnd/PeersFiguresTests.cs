using MentorFlow.Testing.Server.Peers;
using Xunit.Abstractions;

namespace MentorFlow.EndToEnd;

/// <summary>
/// The <c>peers</c> benchmark's smoke run, shortened (50 instances, 50 items due within 1 s, 1.5 s ahead): the built benchmark in
/// a child process (<see cref="PeersBenchmarkProcess"/>; only it takes the peers and their SQLite set-up), read back
/// from its <c>--json</c> result. The speed is the benchmark's to judge; this proves the comparison ran like for like:
/// every instance of the 10-step flow finished on both engines with each step once, every delayed item fired on ours
/// exactly once and not early, Hangfire fired every item too, and the process held one native SQLite.
/// </summary>
public sealed class PeersFiguresTests(ITestOutputHelper output)
{
    private const int Instances = 50;
    private const int Items = 50;

    [Fact]
    public async Task PeersBenchmarkSmoke_BothEnginesFinishEveryInstance_OurTimersFireEachItemOnce_OnOneNativeSqlite()
    {
        var run = await PeersBenchmarkProcess.RunAsync(
            ["--smoke", "--instances", $"{Instances}", "--timers", $"{Items}", "--spread", "1", "--lead-ms", "1500"], TimeSpan.FromMinutes(4));

        output.WriteLine(run.Output);
        output.WriteLine($"benchmark took {run.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(0, run.ExitCode);
        var result = Assert.IsType<PeersRunResult>(run.Result);
        Assert.Empty(result.Failures);
        Assert.Contains("| measure", run.Output, StringComparison.Ordinal);

        Assert.Equal([PeersRunResult.Ours, PeersRunResult.WorkflowCore], result.Linear.Select(l => l.Engine));
        Assert.All(result.Linear, linear =>
        {
            Assert.Equal(Instances, linear.Instances);
            Assert.Equal(Instances, linear.Finished);
            Assert.Equal(10, linear.StepsPerInstance);
            Assert.Equal(Instances * 10L, linear.Steps);
        });

        var ours = Assert.IsType<Testing.Server.Workflows.TimerFigures>(result.OurTimers);
        Assert.Equal((Items, Items, 0, 0), (ours.Count, ours.Fired, ours.Duplicates, ours.Missing));
        Assert.True(ours.Min > -1, $"one of our timers fired {-ours.Min:N1} ms before its due millisecond");

        var hangfire = Assert.IsType<Testing.Server.Workflows.TimerFigures>(result.HangfireTimers);
        Assert.Equal((Items, Items, 0), (hangfire.Count, hangfire.Fired, hangfire.Missing));

        var sqlite = Assert.IsType<SqliteFigures>(result.Sqlite);
        Assert.Single(sqlite.NativeLibraries);
        Assert.Single(sqlite.PclRawVersions);
    }
}
