using Microsoft.Extensions.Logging;

namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// Keeps the executor's lease alive while it works: every interval (a third of the lease duration,
/// on the engine's clock) the expiry is pushed forward, conditional on still owning it. When the lease is gone (the
/// instance was cancelled, deleted or taken over) <see cref="Token"/> is cancelled so the burst stops; its commit
/// would be refused anyway.
/// </summary>
internal sealed partial class LeaseRenewal : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<bool>> _renew;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<string> _instanceIds;
    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private bool _disposed;

    public LeaseRenewal(Func<CancellationToken, Task<bool>> renew, TimeSpan interval, TimeProvider clock, ILogger logger, IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        _renew = renew;
        _interval = interval;
        _clock = clock;
        _logger = logger;
        _instanceIds = instanceIds;
        _source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _loop = RunAsync();
    }

    public CancellationToken Token => _source.Token;

    public bool Lost { get; private set; }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval, _clock, _stop.Token);
                if (!await _renew(_stop.Token) && !_stop.IsCancellationRequested)
                {
                    Lost = true;
                    await _source.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The next round tries again; if the lease expires meanwhile, the commit is refused.
                LogRenewFailed(_logger, exception, string.Join(',', _instanceIds));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _source.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the executor lease on workflow instance {InstanceId} failed; it is tried again")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string instanceId);
}
