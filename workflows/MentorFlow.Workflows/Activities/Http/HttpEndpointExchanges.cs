using System.Collections.Concurrent;
using MentorFlow.Workflows.Runtime;

namespace MentorFlow.Workflows.Activities.Http;

/// <summary>
/// The requests this process is answering: the server opens one per request before it starts or resumes a flow, the
/// HTTP Endpoint that receives it records the instance, and the response a burst wrote is handed over once that burst
/// committed (a commit listener). A response for a request another process holds finds no waiter here and is dropped.
/// </summary>
public sealed class HttpEndpointExchanges : IWorkflowCommitListener
{
    private readonly ConcurrentDictionary<string, HttpEndpointWaiter> _waiting = new(StringComparer.Ordinal);

    /// <summary>Opens a request; dispose the waiter once the response is sent.</summary>
    public HttpEndpointWaiter Open(string requestId)
    {
        var waiter = new HttpEndpointWaiter(requestId, this);
        if (!_waiting.TryAdd(requestId, waiter))
        {
            throw new InvalidOperationException($"Request '{requestId}' is already open.");
        }

        return waiter;
    }

    /// <summary>How many requests wait for a response in this process.</summary>
    public int Count => _waiting.Count;

    internal void Reached(string requestId, string instanceId)
    {
        if (_waiting.TryGetValue(requestId, out var waiter))
        {
            waiter.InstanceId ??= instanceId;
        }
    }

    internal void Close(HttpEndpointWaiter waiter) => _waiting.TryRemove(new KeyValuePair<string, HttpEndpointWaiter>(waiter.RequestId, waiter));

    public ValueTask OnCommittedAsync(WorkflowCommit commit, CancellationToken cancellationToken)
    {
        foreach (var response in commit.Notes.OfType<HttpEndpointResponse>())
        {
            if (_waiting.TryGetValue(response.RequestId, out var waiter))
            {
                waiter.InstanceId ??= response.InstanceId;
                waiter.Answer(response);
            }
        }

        return ValueTask.CompletedTask;
    }
}
