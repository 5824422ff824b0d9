using System.Diagnostics;
using MentorFlow.Testing.Server.Poison;
using Xunit.Abstractions;

namespace MentorFlow.EndToEnd;

/// <summary>
/// The <c>poison</c> benchmark's smoke run (<see cref="PoisonFlows"/>, shared with tests/MentorFlow.Benchmarks): the
/// built server in a child process, the hostile flows published and started through the Studio's API, and the
/// server's resident memory and <c>/alive</c> sampled every 200 ms throughout.
/// </summary>
public sealed class PoisonFlowsTests(ITestOutputHelper output)
{
    /// <summary>
    /// Here the server shares two cores with the rest of the suite, so an answer within 5 s shows it never hung; the
    /// product's 1 s target is held by the <c>poison</c> benchmark on a quiet machine.
    /// </summary>
    private static readonly TimeSpan SmokeAliveTarget = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task HostileFlows_EndAsIncidentsNamingTheirLimit_CancelAndDeleteWork_AndTheServerStaysUnder1_5GiBAndNeverStopsAnsweringAlive()
    {
        var clock = Stopwatch.StartNew();
        using var progress = new StringWriter();

        var result = await PoisonFlows.RunAsync(new PoisonOptions
        {
            ServerDll = ChildServer.FindServerDll(),
            RetryWatch = TimeSpan.FromSeconds(3),
            Settings = new Dictionary<string, string> { ["Workflows:SweepInterval"] = "00:00:01" },
            AliveTarget = SmokeAliveTarget,
        }, progress, CancellationToken.None);

        output.WriteLine(progress.ToString());
        output.WriteLine($"peak RSS {PoisonFlows.MiB(result.PeakResidentBytes)}, /alive max {result.MaxAliveLatency.TotalMilliseconds:N0} ms over {result.AliveProbes} probes; test took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Empty(result.Failures);
        Assert.Equal(9, result.Cases.Count);
        Assert.All(result.Cases.Take(5), row => Assert.Contains("(Workflows:ExpressionOutputLimitBytes)", row.Incident, StringComparison.Ordinal));
        Assert.Contains("Workflows:MaxStateBytes", result.Cases.Single(row => row.Case.StartsWith("state over", StringComparison.Ordinal)).Incident, StringComparison.Ordinal);
        Assert.All(result.Cases, row => Assert.Contains("delete 204, then 404", row.Outcome, StringComparison.Ordinal));
        Assert.InRange(result.PeakResidentBytes, 1, PoisonFlows.ResidentTarget - 1);
        Assert.InRange(result.MaxAliveLatency, TimeSpan.Zero, SmokeAliveTarget - TimeSpan.FromTicks(1));
        Assert.True(result.AliveProbes >= 10, $"only {result.AliveProbes} /alive probes");
    }
}
