namespace MentorFlow.Workflows.Activities.Http;

/// <summary>
/// The response a flow wrote with <see cref="WriteHttpResponse"/> for one waiting request: handed to the server only
/// after the burst that wrote it committed.
/// </summary>
public sealed record HttpEndpointResponse(
    string RequestId,
    string InstanceId,
    int StatusCode,
    string? ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body);
