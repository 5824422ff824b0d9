using System.Diagnostics;
using System.Net;

namespace MentorFlow.Testing.Server.Poison;

/// <summary>
/// Samples a child server every interval, in two independent loops so a slow answer does not stop the other: its
/// resident memory (<c>VmRSS</c>) and the latency of <c>GET /alive</c> (a request that fails or takes longer than
/// the probe timeout counts as a failure with the time it took).
/// </summary>
public sealed class HealthSampler : IAsyncDisposable
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);
    private readonly ChildServer _server;
    private readonly TimeSpan _interval;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(TimeSpan At, long Bytes)> _memory = [];
    private readonly List<(TimeSpan Start, TimeSpan Latency, bool Ok)> _alive = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http;
    private readonly Task _memoryLoop;
    private readonly Task _aliveLoop;

    public HealthSampler(ChildServer server, TimeSpan interval)
    {
        _server = server;
        _interval = interval;
        _http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = ProbeTimeout };
        _memoryLoop = Task.Run(SampleMemoryAsync);
        _aliveLoop = Task.Run(ProbeAliveAsync);
    }

    /// <summary>Time since the sampler started, the scale of every window.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>The samples between two moments (alive probes by their start).</summary>
    public HealthWindow Window(TimeSpan from, TimeSpan to)
    {
        lock (_memory)
        {
            var memory = _memory.Where(sample => sample.At >= from && sample.At <= to).Select(sample => sample.Bytes).ToList();
            var alive = _alive.Where(sample => sample.Start >= from && sample.Start <= to).ToList();
            return new HealthWindow(
                memory.Count == 0 ? 0 : memory.Max(),
                memory.Count,
                alive.Count == 0 ? TimeSpan.Zero : alive.Max(sample => sample.Latency),
                alive.Count,
                alive.Count(sample => !sample.Ok));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_memoryLoop, _aliveLoop);
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task SampleMemoryAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            do
            {
                if (_server.ResidentBytes() is { } bytes)
                {
                    lock (_memory)
                    {
                        _memory.Add((_clock.Elapsed, bytes));
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ProbeAliveAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var start = _clock.Elapsed;
            var ok = false;
            try
            {
                using var response = await _http.GetAsync(new Uri("alive", UriKind.Relative), _stop.Token);
                ok = response.StatusCode == HttpStatusCode.OK;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // A refused or timed-out probe is recorded as a failure below.
            }

            var latency = _clock.Elapsed - start;
            lock (_memory)
            {
                _alive.Add((start, latency, ok));
            }

            var wait = _interval - latency;
            try
            {
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>What the sampler saw in a window: peak resident memory and the slowest <c>/alive</c> answer.</summary>
public sealed record HealthWindow(long PeakResidentBytes, int MemorySamples, TimeSpan MaxAliveLatency, int AliveProbes, int AliveFailures);
