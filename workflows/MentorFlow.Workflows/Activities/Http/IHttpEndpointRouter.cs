namespace MentorFlow.Workflows.Activities.Http;

/// <summary>Finds the published flow that answers a request under <c>/workflows</c> (every replica reads the same published definitions).</summary>
public interface IHttpEndpointRouter
{
    /// <summary>Matches a request path (its decoded segments after <c>/workflows</c>) and method against the published HTTP Endpoints.</summary>
    Task<HttpEndpointMatch> MatchAsync(string method, IReadOnlyList<string> segments, CancellationToken cancellationToken = default);

    /// <summary>The instances waiting in an HTTP Endpoint for <paramref name="bookmarkName"/> with this correlation id.</summary>
    Task<IReadOnlyList<string>> WaitingInstancesAsync(string bookmarkName, string correlationId, CancellationToken cancellationToken = default);
}
