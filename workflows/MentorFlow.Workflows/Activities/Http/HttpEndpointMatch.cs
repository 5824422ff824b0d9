namespace MentorFlow.Workflows.Activities.Http;

/// <summary>
/// What a request matched: nothing (<see cref="PathFound"/> false: 404), the path but not the method
/// (<see cref="AllowedMethods"/>: 405), or the routes that answer it (the start route of one flow and/or the
/// mid-flow endpoints waiting on this path), with the route values.
/// </summary>
public sealed record HttpEndpointMatch(
    bool PathFound,
    IReadOnlyList<string> AllowedMethods,
    IReadOnlyList<HttpEndpointRoute> Routes,
    IReadOnlyDictionary<string, string> RouteValues)
{
    public static readonly HttpEndpointMatch NotFound = new(false, [], [], new Dictionary<string, string>());

    /// <summary>The route that starts a flow for this request, if any.</summary>
    public HttpEndpointRoute? StartRoute => Routes.FirstOrDefault(r => r.StartsWorkflow);

    /// <summary>The mid-flow endpoints a request with a correlation id may resume.</summary>
    public IReadOnlyList<HttpEndpointRoute> ResumeRoutes => [.. Routes.Where(r => !r.StartsWorkflow)];
}
