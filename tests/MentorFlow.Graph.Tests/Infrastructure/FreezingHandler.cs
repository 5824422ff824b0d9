namespace MentorFlow.Graph.Tests.Infrastructure;

/// <summary>
/// Emulates a process dying mid-batch: the first <c>freezeAfter</c> <c>$batch</c> posts pass; the next one reaches
/// Graph (so it is executed) and then this "process" never sees the answer and never records anything.
/// </summary>
public sealed class FreezingHandler(int freezeAfter) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _batches;

    public TaskCompletionSource Frozen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.RequestUri!.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal)
            && Interlocked.Increment(ref _batches) > freezeAfter)
        {
            response.Dispose();
            Frozen.TrySetResult();
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
        }

        return response;
    }
}
