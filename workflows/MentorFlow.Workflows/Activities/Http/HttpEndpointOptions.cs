namespace MentorFlow.Workflows.Activities.Http;

/// <summary>
/// Limits of flows answering inbound HTTP requests under <c>/workflows</c> (section <c>Workflows:HttpEndpoints</c>).
/// An HTTP Endpoint's own Request Size Limit and Request Timeout may be lower, never higher.
/// </summary>
public sealed class HttpEndpointOptions
{
    /// <summary>Hard cap of <see cref="MaxRequestBytes"/> and <see cref="MaxResponseBytes"/>.</summary>
    public const long HardCapBytes = 16L * 1024 * 1024;

    /// <summary>Largest request body read (bytes); a larger one is answered 413.</summary>
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest response body a flow may write (bytes); a larger one is an incident on Write HTTP Response.</summary>
    public long MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>Longest a caller waits for the flow's response; then the answer is 202 with the instance id.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests one client may send to one flow path per <see cref="RateLimitWindow"/>; then 429 with Retry-After.</summary>
    public int RateLimitPermits { get; set; } = 60;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);
}
