using System.Diagnostics;
using MentorFlow.Testing.Server.Graph;
using Xunit.Abstractions;

namespace MentorFlow.Graph.Tests;

/// <summary>
/// The <c>graph</c> benchmark's smoke run (<see cref="GraphMeasures"/>, shared with tests/MentorFlow.Benchmarks): the
/// dispatcher as the server composes it, the real SDK, the sandbox over HTTP with Graph's throttling. The speed is the
/// benchmark's to judge; this proves both parts measured what they claim: every invite and mail delivered exactly once,
/// no 429 while paced, and 429s met and waited out (not counted as attempts, nothing lost) when over-eager.
/// </summary>
public sealed class GraphFiguresTests(ITestOutputHelper output)
{
    [Fact]
    public async Task GraphBenchmarkSmoke_DeliversEachInviteAndMailOnce_PacedWithout429_OverEagerThrottledAndNothingLost()
    {
        var clock = Stopwatch.StartNew();
        var options = GraphRunOptions.Smoke;

        var result = await GraphMeasures.RunAsync(options, TimeProvider.System);

        output.WriteLine(string.Join('\n', result.Parts.Append((object)$"test took {clock.Elapsed.TotalSeconds:0.0} s")));
        Assert.Empty(result.Failures);
        Assert.Equal([GraphPart.Paced, GraphPart.Throttled], result.Parts.Select(p => p.Part));

        var paced = result.Parts[0];
        Assert.Equal((options.Invites, options.Mails), (paced.Events, paced.Messages));
        Assert.Equal((options.Invites, options.Mails), (paced.DistinctEventTransactions, paced.DistinctMessageSubjects));
        Assert.Equal((options.Invites + options.Mails, 0, 0), (paced.OutboxSent, paced.OutboxPending, paced.OutboxFailed));
        Assert.Equal(1, paced.MaxAttempts);
        Assert.Equal(0, paced.Throttled);
        Assert.Equal(0, paced.DuplicateTransactions);
        Assert.InRange(paced.PeakConcurrency, 1, 4);
        Assert.True(paced.Batches > 0, "the dispatcher should send through $batch");

        var throttled = result.Parts[1];
        Assert.Equal(options.Limit * options.OverEagerFactor, throttled.DispatcherLimit);
        Assert.True(throttled.Queued > options.Limit, "the throttled part must queue more than one window takes");
        Assert.True(throttled.Throttled > 0, "the sandbox should have answered 429 to the over-eager dispatcher");
        Assert.Equal((options.ThrottledInvites, options.ThrottledMails), (throttled.Events, throttled.Messages));
        Assert.Equal((options.ThrottledInvites, options.ThrottledMails), (throttled.DistinctEventTransactions, throttled.DistinctMessageSubjects));
        Assert.Equal((throttled.Queued, 0, 0), (throttled.OutboxSent, throttled.OutboxPending, throttled.OutboxFailed));
        Assert.Equal(1, throttled.MaxAttempts); // a 429 is not an attempt
        Assert.Equal(0, throttled.DuplicateTransactions);
        Assert.InRange(throttled.PeakConcurrency, 1, 4);
    }
}
