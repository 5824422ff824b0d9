using MentorFlow.Graph.Outbox;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Graph.Tests;

/// <summary>The per-mailbox window budget: what counts, and what goes back when fewer requests are sent.</summary>
public sealed class MailboxPacerTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task FullWindow_MakesTheNextRequestWaitUntilTheOldestLeavesIt()
    {
        var pacer = new MailboxPacer(4, 10, TimeSpan.FromMinutes(10), _clock);
        (await pacer.AcquireAsync("a@contoso.test", 10, CancellationToken.None)).Dispose();

        var next = pacer.AcquireAsync("a@contoso.test", 1, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(next.IsCompleted);

        _clock.Advance(TimeSpan.FromMinutes(10));
        (await next.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task ShrunkLease_GivesTheUnsentRequestsBackToTheWindowAtOnce()
    {
        var pacer = new MailboxPacer(4, 10, TimeSpan.FromMinutes(10), _clock);
        using (var lease = await pacer.AcquireAsync("a@contoso.test", 10, CancellationToken.None))
        {
            lease.Shrink(3); // 7 of the 10 rows were taken over by another dispatcher while this one waited
        }

        var more = pacer.AcquireAsync("a@contoso.test", 7, CancellationToken.None);
        (await more.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();

        var over = pacer.AcquireAsync("a@contoso.test", 1, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(over.IsCompleted);
        _clock.Advance(TimeSpan.FromMinutes(10));
        (await over.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task LeaseShrunkToNothing_CountsNothing()
    {
        var pacer = new MailboxPacer(4, 5, TimeSpan.FromMinutes(10), _clock);
        using (var lease = await pacer.AcquireAsync("a@contoso.test", 5, CancellationToken.None))
        {
            lease.Shrink(0);
        }

        (await pacer.AcquireAsync("a@contoso.test", 5, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }
}
