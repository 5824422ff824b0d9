using System.Collections.Concurrent;

namespace MentorFlow.Graph.Outbox;

/// <summary>
/// Per-mailbox pacing under Graph's limits: at most <c>MaxConcurrentPerMailbox</c> requests in flight and at most
/// <c>RequestsPerWindow</c> requests in any sliding <c>Window</c>, plus a pause while Graph's Retry-After runs.
/// A request counts in the window from its completion (never earlier than Graph saw it). Limits are per process:
/// with several replicas, divide them by the replica count.
/// </summary>
public sealed class MailboxPacer(int maxConcurrent, int requestsPerWindow, TimeSpan window, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, MailboxState> _mailboxes = new(StringComparer.OrdinalIgnoreCase);

    public int RequestsPerWindow => requestsPerWindow;

    private DateTimeOffset Now => clock.GetUtcNow();

    public TimeSpan Window => window;

    /// <summary>Waits until <paramref name="requests"/> requests may go to the mailbox; dispose the lease when they are done.</summary>
    public async Task<PacerLease> AcquireAsync(string mailbox, int requests, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requests, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(requests, requestsPerWindow);
        var state = _mailboxes.GetOrAdd(mailbox, _ => new MailboxState(maxConcurrent));
        var slots = Math.Min(requests, maxConcurrent);
        await state.Turn.WaitAsync(cancellationToken);
        var taken = 0;
        try
        {
            for (; taken < slots; taken++)
            {
                await state.Slots.WaitAsync(cancellationToken);
            }

            var reservation = await ReserveAsync(state, requests, cancellationToken);
            return new PacerLease(this, state, slots, reservation);
        }
        catch
        {
            if (taken > 0)
            {
                state.Slots.Release(taken);
            }

            throw;
        }
        finally
        {
            state.Turn.Release();
        }
    }

    /// <summary>Holds every request to the mailbox until <paramref name="until"/> (Graph's Retry-After).</summary>
    public void PauseUntil(string mailbox, DateTimeOffset until)
    {
        var state = _mailboxes.GetOrAdd(mailbox, _ => new MailboxState(maxConcurrent));
        lock (state.Gate)
        {
            if (until > state.PausedUntil)
            {
                state.PausedUntil = until;
            }
        }
    }

    private async Task<Reservation> ReserveAsync(MailboxState state, int requests, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (state.Gate)
            {
                var now = clock.GetUtcNow();
                state.Reservations.RemoveAll(r => r.At is { } at && at <= now - window);
                var used = state.Reservations.Sum(r => r.Count);
                if (state.PausedUntil > now)
                {
                    wait = state.PausedUntil - now;
                }
                else if (used + requests <= requestsPerWindow)
                {
                    var reservation = new Reservation(requests);
                    state.Reservations.Add(reservation);
                    return reservation;
                }
                else
                {
                    var oldest = state.Reservations.Where(r => r.At is not null).Select(r => r.At!.Value).DefaultIfEmpty(now).Min();
                    wait = oldest + window - now;
                }
            }

            await Task.Delay(wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1), clock, cancellationToken);
        }
    }

    internal sealed class MailboxState(int maxConcurrent)
    {
        public Lock Gate { get; } = new();
        public SemaphoreSlim Turn { get; } = new(1, 1);
        public SemaphoreSlim Slots { get; } = new(maxConcurrent, maxConcurrent);
        public List<Reservation> Reservations { get; } = [];
        public DateTimeOffset PausedUntil { get; set; }
    }

    /// <summary>Requests counted in the window; <see cref="At"/> is null while they are in flight (they count from completion).</summary>
    internal sealed class Reservation(int count)
    {
        public int Count { get; set; } = count;
        public DateTimeOffset? At { get; set; }
    }

    /// <summary>Permission to send requests to one mailbox; dispose it when they are done (they count from then).</summary>
    public sealed class PacerLease : IDisposable
    {
        private readonly MailboxPacer _pacer;
        private readonly MailboxState _state;
        private readonly int _slots;
        private readonly Reservation _reservation;
        private int _disposed;

        internal PacerLease(MailboxPacer pacer, MailboxState state, int slots, Reservation reservation)
        {
            _pacer = pacer;
            _state = state;
            _slots = slots;
            _reservation = reservation;
        }

        /// <summary>
        /// Fewer requests than reserved will be sent (some rows were taken over while this lease waited for the
        /// window): only <paramref name="requests"/> count in the window, the rest goes back to the budget at once.
        /// </summary>
        public void Shrink(int requests)
        {
            lock (_state.Gate)
            {
                _reservation.Count = Math.Clamp(requests, 0, _reservation.Count);
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            lock (_state.Gate)
            {
                _reservation.At = _pacer.Now;
            }

            _state.Slots.Release(_slots);
        }
    }
}
