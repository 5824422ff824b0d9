namespace MentorFlow.Workflows.Activities.Http;

/// <summary>A request that could not be sent or answered: refused by the guard, failed to connect, or timed out.</summary>
internal sealed class OutboundHttpException(OutboundHttpFailure failure, string message) : Exception(message)
{
    public OutboundHttpFailure Failure { get; } = failure;
}

internal enum OutboundHttpFailure
{
    Refused,
    FailedToConnect,
    Timeout,
    TooLarge,
}
