namespace MentorFlow.Workflows.Activities.Http;

/// <summary>One request waiting for the response its flow writes.</summary>
public sealed class HttpEndpointWaiter : IDisposable
{
    private readonly TaskCompletionSource<HttpEndpointResponse> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpEndpointExchanges _owner;

    internal HttpEndpointWaiter(string requestId, HttpEndpointExchanges owner)
    {
        RequestId = requestId;
        _owner = owner;
    }

    public string RequestId { get; }

    /// <summary>The instance the request reached (known once its HTTP Endpoint received it).</summary>
    public string? InstanceId { get; internal set; }

    /// <summary>Completes with the first committed response written for the request.</summary>
    public Task<HttpEndpointResponse> Response => _response.Task;

    internal void Answer(HttpEndpointResponse response) => _response.TrySetResult(response);

    public void Dispose() => _owner.Close(this);
}
