using System.Diagnostics;
using MentorFlow.Testing.Server;
using Xunit.Abstractions;

namespace MentorFlow.EndToEnd;

/// <summary>
/// The lifecycle benchmark's scenario (<see cref="ProgrammeScale"/>) at test size: 200 pairs from CSV import through
/// matching, approval and confirmation by link to active, the outbox dispatched by the server's dispatcher. The pacing
/// limit is lowered to 500 requests per 10 minutes so that the ~1,300 requests need three windows of Graph time and the
/// pacer, not the sandbox's throttling, keeps every window under the limit.
/// </summary>
public sealed class ProgrammeScaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Programme_Of200Pairs_CreatesEverySeriesOnceWithinThePacing()
    {
        var clock = Stopwatch.StartNew();

        var result = await ProgrammeScale.RunAsync(new ProgrammeScaleOptions(200, RequestsPerWindow: 500, SandboxRequestsPerWindow: 550), output.WriteLine);

        output.WriteLine(result.Table());
        output.WriteLine($"test took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Empty(result.Problems());
        Assert.Equal(200, result.ActiveAfterConfirmations);
        Assert.Equal(200, result.SeriesMasters);
        Assert.Equal(200, result.PairsWithOneSeries);
        Assert.Equal(0, result.DuplicateSeries);
        Assert.Equal(0, result.DuplicateTransactionIds);
        Assert.Equal(0, result.DuplicateMails);
        Assert.InRange(result.PeakInWindow, 1, result.RequestsPerWindow);
        Assert.True(result.GraphTime >= result.Window, $"the pacing window was never full (Graph time {result.GraphTime})");
        Assert.InRange(result.PeakConcurrency, 1, result.MaxConcurrentPerMailbox);
        Assert.Equal(0, result.Throttled);
        Assert.Equal(400, result.MailsPerKind.Single(k => k.Kind == "proposed").Count);
        Assert.Equal(400, result.MailsPerKind.Single(k => k.Kind == "matched").Count);
        Assert.Equal(0, result.OutboxPending + result.OutboxFailed);
    }
}
