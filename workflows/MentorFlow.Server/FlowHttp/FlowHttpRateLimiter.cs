using System.Threading.RateLimiting;
using MentorFlow.Workflows;
using Microsoft.Extensions.Options;

namespace MentorFlow.Server.FlowHttp;

/// <summary>
/// Requests per client address and flow path (<c>Workflows:HttpEndpoints:RateLimitPermits</c> per
/// <c>RateLimitWindow</c>, fixed windows); unknown paths share one partition per client.
/// </summary>
internal sealed class FlowHttpRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<(string Client, string Route)> _limiter;

    public FlowHttpRateLimiter(IOptions<WorkflowEngineOptions> options)
    {
        var settings = options.Value.HttpEndpoints;
        _limiter = PartitionedRateLimiter.Create<(string Client, string Route), (string, string)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.RateLimitPermits,
                Window = settings.RateLimitWindow,
                QueueLimit = 0,
            }));
    }

    /// <summary>Null when the request may go on; otherwise how long the client should wait.</summary>
    public TimeSpan? Refuse(string client, string route)
    {
        using var lease = _limiter.AttemptAcquire((client, route));
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(60);
    }

    public void Dispose() => _limiter.Dispose();
}
