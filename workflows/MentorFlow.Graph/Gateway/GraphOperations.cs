using MentorFlow.Graph.Model;

namespace MentorFlow.Graph.Gateway;

/// <summary>One call to an organizer mailbox; <see cref="Id"/> is unique within a batch.</summary>
public abstract record GraphOperation(string Id, string IdempotencyKey);

public sealed record CreateEventOperation(string Id, string IdempotencyKey, InviteRequest Invite)
    : GraphOperation(Id, IdempotencyKey);

public sealed record CreateSeriesOperation(string Id, string IdempotencyKey, SeriesRequest Series)
    : GraphOperation(Id, IdempotencyKey);

/// <summary>A PATCH; when it moves a series, <see cref="Series"/> is the series as it becomes (its recurrence is re-sent).</summary>
public sealed record UpdateEventOperation(string Id, string IdempotencyKey, string EventId, InviteUpdate Update, SeriesRequest? Series = null)
    : GraphOperation(Id, IdempotencyKey);

public sealed record CancelEventOperation(string Id, string IdempotencyKey, string EventId, string? Comment)
    : GraphOperation(Id, IdempotencyKey);

public sealed record SendMailOperation(string Id, string IdempotencyKey, MailRequest Mail)
    : GraphOperation(Id, IdempotencyKey);

/// <summary>How a Graph call ended, as far as the caller can tell.</summary>
public enum GraphOutcome
{
    /// <summary>2xx.</summary>
    Succeeded,

    /// <summary>429: not executed; retry after <see cref="GraphCallResult.RetryAfter"/>.</summary>
    Throttled,

    /// <summary>503/504, another 5xx, a timeout or a broken connection: it may or may not have been executed.</summary>
    Unknown,

    /// <summary>An event with this transactionId exists already (an earlier attempt went through).</summary>
    DuplicateTransaction,

    /// <summary>424 in a batch: a request it depended on failed; not executed.</summary>
    DependencyFailed,

    /// <summary>Another 4xx: Graph refused it; retrying will not help.</summary>
    Rejected,
}

/// <summary>The outcome of one operation, with Graph's error code and message when it failed.</summary>
public sealed record GraphCallResult(
    GraphOutcome Outcome,
    int? StatusCode,
    GraphEventRef? Event = null,
    string? ErrorCode = null,
    string? ErrorMessage = null,
    TimeSpan? RetryAfter = null)
{
    public static GraphCallResult Success(int status, GraphEventRef? created = null) => new(GraphOutcome.Succeeded, status, created);

    /// <summary>Classifies an HTTP status and Graph's error code.</summary>
    public static GraphCallResult Failure(int? status, string? code, string? message, TimeSpan? retryAfter)
    {
        var outcome = status switch
        {
            429 => GraphOutcome.Throttled,
            424 => GraphOutcome.DependencyFailed,
            >= 400 and < 500 when string.Equals(code, "ErrorDuplicateTransactionId", StringComparison.OrdinalIgnoreCase)
                => GraphOutcome.DuplicateTransaction,
            409 when string.Equals(code, "ErrorDuplicateTransactionId", StringComparison.OrdinalIgnoreCase)
                => GraphOutcome.DuplicateTransaction,
            408 => GraphOutcome.Unknown,
            >= 400 and < 500 => GraphOutcome.Rejected,
            _ => GraphOutcome.Unknown,
        };
        return new GraphCallResult(outcome, status, null, code, message, retryAfter);
    }
}
