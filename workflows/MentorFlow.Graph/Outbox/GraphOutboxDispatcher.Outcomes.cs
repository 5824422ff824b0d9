using MentorFlow.Graph.Gateway;
using MentorFlow.Graph.Model;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Graph.Outbox;

/// <summary>
/// After a send: what each result means for its row (sent, retried with backoff, postponed, an incident), applied with
/// the release of the row's lease, only while this process still holds it.
/// </summary>
public sealed partial class GraphOutboxDispatcher<TContext>
{
    /// <summary>Decides what an attempt's result means for the row (looking an event up after a duplicate transactionId).</summary>
    private async Task<Action<GraphOutboxMessage>> OutcomeAsync(GraphOutboxMessage message, GraphCallResult result, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        switch (result.Outcome)
        {
            case GraphOutcome.Succeeded:
                return Succeed(message, result.Event, result.StatusCode);
            case GraphOutcome.DuplicateTransaction:
                using (await pacer.AcquireAsync(PaceKey(message), 1, cancellationToken))
                {
                    if (await Gateway(ToSandbox(message)).FindEventAsync(message.Mailbox, message.IdempotencyKey, cancellationToken) is { } existing)
                    {
                        LogReconciled(message.IdempotencyKey);
                        return Succeed(message, existing, result.StatusCode);
                    }
                }

                return Fail(message, result.StatusCode, result.ErrorCode, result.ErrorMessage);
            case GraphOutcome.Throttled or GraphOutcome.DependencyFailed:
                var retryAt = now + (result.RetryAfter ?? Backoff(1));
                if (result.Outcome == GraphOutcome.Throttled)
                {
                    pacer.PauseUntil(PaceKey(message), retryAt);
                    LogThrottled(message.Mailbox, (result.RetryAfter ?? TimeSpan.Zero).TotalSeconds);
                }

                // Not executed: the attempt does not count and nothing is left to reconcile.
                return m =>
                {
                    m.Attempts = Math.Max(0, m.Attempts - 1);
                    m.OutcomeUnknown = false;
                    Note(m, result);
                    m.NextAttemptAt = retryAt;
                };
            case GraphOutcome.Rejected when message.Kind == GraphMessageKind.CancelEvent && result.StatusCode == 404 && message.Attempts > 1:
                // An earlier cancel whose answer was lost went through: the event is gone from the calendar.
                return Succeed(message, null, result.StatusCode);
            case GraphOutcome.Rejected:
                return Fail(message, result.StatusCode, result.ErrorCode, result.ErrorMessage);
            default:
                if (message.Attempts >= Settings.MaxAttempts)
                {
                    return Fail(message, result.StatusCode, result.ErrorCode, $"Gave up after {message.Attempts} attempts: {result.ErrorMessage}");
                }

                var wait = Backoff(message.Attempts);
                if (result.RetryAfter is { } retryAfter && retryAfter > wait)
                {
                    wait = retryAfter;
                }

                if (result.RetryAfter is not null)
                {
                    pacer.PauseUntil(PaceKey(message), now + wait);
                }

                LogRetrying(message.IdempotencyKey, result.StatusCode, result.ErrorCode, wait.TotalSeconds);
                return m =>
                {
                    m.OutcomeUnknown = true;
                    Note(m, result);
                    m.NextAttemptAt = now + wait;
                };
        }
    }

    private Action<GraphOutboxMessage> Succeed(GraphOutboxMessage message, GraphEventRef? created, int? status)
    {
        var now = clock.GetUtcNow();
        return m =>
        {
            m.Status = GraphMessageStatus.Sent;
            m.SentAt = now;
            m.OutcomeUnknown = false;
            m.LastStatusCode = status;
            m.LastErrorCode = null;
            m.LastErrorMessage = null;
            m.TargetEventId = message.TargetEventId;
            m.EventId = created?.EventId ?? message.TargetEventId ?? m.EventId;
            m.ICalUId = created?.ICalUId ?? m.ICalUId;
            m.WebLink = created?.WebLink ?? m.WebLink;
        };
    }

    private Action<GraphOutboxMessage> Fail(GraphOutboxMessage message, int? status, string? code, string? error)
    {
        LogIncident(message.IdempotencyKey, message.Mailbox, status, code, error);
        return m =>
        {
            m.Status = GraphMessageStatus.Failed;
            m.LastStatusCode = status;
            m.LastErrorCode = code;
            m.LastErrorMessage = error is { Length: > 4000 } ? error[..4000] : error;
        };
    }

    private Task SucceedAsync(GraphOutboxMessage message, GraphEventRef? created, int? status, CancellationToken _) =>
        ApplyAsync([(message.Id, Succeed(message, created, status))]);

    private Task FailAsync(GraphOutboxMessage message, int? status, string? code, string? error, CancellationToken _) =>
        ApplyAsync([(message.Id, Fail(message, status, code, error))]);

    private Task PostponeAsync(GraphOutboxMessage message, DateTimeOffset until, CancellationToken _) =>
        ApplyAsync([(message.Id, m => m.NextAttemptAt = until)]);

    /// <summary>
    /// Applies changes to rows and releases their leases in one transaction, only for rows this process still
    /// holds. Outcomes are recorded even while stopping: a sent message must not look unsent.
    /// </summary>
    private async Task ApplyAsync(IReadOnlyList<(Guid Id, Action<GraphOutboxMessage> Change)> changes)
    {
        await _writes.WaitAsync(CancellationToken.None);
        try
        {
            await ApplyLockedAsync(changes);
        }
        finally
        {
            _writes.Release();
        }
    }

    private async Task ApplyLockedAsync(IReadOnlyList<(Guid Id, Action<GraphOutboxMessage> Change)> changes)
    {
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        var ids = changes.Select(c => c.Id).ToList();
        var rows = await db.Set<GraphOutboxMessage>().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, CancellationToken.None);
        foreach (var (id, change) in changes)
        {
            if (rows.TryGetValue(id, out var row) && row.LeaseOwner == _owner)
            {
                change(row);
                row.LeaseOwner = null;
                row.LeaseUntil = null;
            }
        }

        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static void Note(GraphOutboxMessage row, GraphCallResult result)
    {
        row.LastStatusCode = result.StatusCode;
        row.LastErrorCode = result.ErrorCode;
        row.LastErrorMessage = result.ErrorMessage is { Length: > 4000 } text ? text[..4000] : result.ErrorMessage;
    }

    /// <summary>Exponential backoff (base × 2^(attempt−1), capped) with seeded jitter in [50%, 100%].</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 20);
        var ceiling = Math.Min(Settings.MaxBackoff.TotalMilliseconds, Settings.BaseBackoff.TotalMilliseconds * Math.Pow(2, exponent));
        double factor;
        lock (_jitterGate)
        {
            factor = 0.5 + (_jitter.NextDouble() * 0.5);
        }

        return TimeSpan.FromMilliseconds(ceiling * factor);
    }
}
