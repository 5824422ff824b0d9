using System.Collections.Concurrent;

namespace MentorFlow.Graph.Sandbox;

/// <summary>
/// Graph's limits as the sandbox emulates them, per mailbox and per process: the sliding request window
/// (<see cref="GraphSandboxOptions.ThrottleRequests"/> per <see cref="GraphSandboxOptions.ThrottleWindow"/>, 429 with
/// an integer Retry-After), the concurrency limit (<see cref="GraphSandboxOptions.MaxConcurrentPerMailbox"/>, 429
/// <c>ApplicationThrottled</c>) and the faults a test injects.
/// </summary>
public sealed class SandboxLimits(GraphSandboxOptions options, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _windows = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _peakInFlight = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<SandboxFault> _faults = [];
    private long _throttled;

    /// <summary>Requests answered 429 by the window or the concurrency limit.</summary>
    public long ThrottledCount => Interlocked.Read(ref _throttled);

    /// <summary>The highest number of requests seen in flight at once for a mailbox.</summary>
    public int PeakConcurrency(string mailbox) => _peakInFlight.GetValueOrDefault(mailbox);

    public void InjectFault(SandboxFault fault)
    {
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    /// <summary>Forgets the request windows and the faults not yet used.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _windows.Clear();
            _faults.Clear();
        }
    }

    /// <summary>The next injected fault for <paramref name="mailbox"/> (its count decremented), if any.</summary>
    public SandboxFault? TakeFault(string mailbox)
    {
        lock (_gate)
        {
            var index = _faults.FindIndex(f => f.Mailbox is null || string.Equals(f.Mailbox, mailbox, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index];
            if (fault.Count <= 1)
            {
                _faults.RemoveAt(index);
            }
            else
            {
                _faults[index] = fault with { Count = fault.Count - 1 };
            }

            return fault;
        }
    }

    /// <summary>Counts the request in the mailbox's sliding window; returns the Retry-After seconds when over the limit.</summary>
    public int? Throttle(string mailbox)
    {
        var limit = options.ThrottleRequests;
        if (limit <= 0)
        {
            return null;
        }

        var window = options.ThrottleWindow;
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (!_windows.TryGetValue(mailbox, out var times))
            {
                _windows[mailbox] = times = new Queue<DateTimeOffset>();
            }

            while (times.Count > 0 && times.Peek() <= now - window)
            {
                times.Dequeue();
            }

            if (times.Count >= limit)
            {
                Interlocked.Increment(ref _throttled);
                var wait = times.Peek() + window - now;
                return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            }

            times.Enqueue(now);
            return null;
        }
    }

    /// <summary>
    /// Takes a concurrency slot for <paramref name="mailbox"/>; <see cref="Slot.Refused"/> when the mailbox is over
    /// its limit. Dispose the slot when the request is answered.
    /// </summary>
    public Slot Enter(string mailbox)
    {
        var inFlight = _inFlight.AddOrUpdate(mailbox, 1, (_, n) => n + 1);
        _peakInFlight.AddOrUpdate(mailbox, inFlight, (_, peak) => Math.Max(peak, inFlight));
        var refused = options.MaxConcurrentPerMailbox > 0 && inFlight > options.MaxConcurrentPerMailbox;
        if (refused)
        {
            Interlocked.Increment(ref _throttled);
        }

        return new Slot(this, mailbox, refused);
    }

    private void Leave(string mailbox) => _inFlight.AddOrUpdate(mailbox, 0, (_, n) => n - 1);

    /// <summary>A request's place among the mailbox's requests in flight.</summary>
    public readonly struct Slot(SandboxLimits limits, string mailbox, bool refused) : IDisposable
    {
        public bool Refused => refused;

        public void Dispose() => limits.Leave(mailbox);
    }
}
