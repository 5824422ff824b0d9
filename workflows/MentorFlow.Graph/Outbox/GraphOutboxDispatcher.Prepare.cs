using MentorFlow.Graph.Gateway;
using MentorFlow.Graph.Model;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Graph.Outbox;

/// <summary>
/// Before a send: the target of updates and cancellations, an earlier attempt whose outcome is unknown looked up
/// instead of repeated, and the Graph operation each row becomes.
/// </summary>
public sealed partial class GraphOutboxDispatcher<TContext>
{
    /// <summary>
    /// Resolves the target of updates and cancellations and reconciles an attempt whose outcome is unknown. Returns
    /// the operation to send, or null when the row was settled or postponed here.
    /// </summary>
    private async Task<GraphOperation?> PrepareAsync(GraphOutboxMessage message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        SeriesRequest? movedSeries = null;
        try
        {
            if (message.Kind is GraphMessageKind.UpdateEvent or GraphMessageKind.CancelEvent && message.TargetEventId is null)
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                var target = await db.Set<GraphOutboxMessage>().AsNoTracking()
                    .Where(m => m.IdempotencyKey == message.TargetKey)
                    .Select(m => new { m.Status, m.EventId, m.Kind, m.Payload })
                    .FirstOrDefaultAsync(cancellationToken);
                switch (target)
                {
                    case null:
                        await FailAsync(message, null, "TargetNotFound", $"No invite was queued with key '{message.TargetKey}'.", cancellationToken);
                        return null;
                    case { Status: GraphMessageStatus.Failed }:
                        await FailAsync(message, null, "TargetFailed", $"The invite '{message.TargetKey}' it changes could not be sent.", cancellationToken);
                        return null;
                    case { Status: GraphMessageStatus.Cancelled }:
                        // The invite was withdrawn before it was sent: there is nothing to change or cancel.
                        await ApplyAsync([(message.Id, m =>
                        {
                            m.Status = GraphMessageStatus.Cancelled;
                            m.LastErrorCode = "TargetCancelled";
                            m.LastErrorMessage = $"The invite '{message.TargetKey}' it changes was withdrawn before it was sent.";
                        })]);
                        return null;
                    case { Status: GraphMessageStatus.Pending }:
                        await PostponeAsync(message, now + Settings.PollInterval + Settings.PollInterval, cancellationToken);
                        return null;
                    default:
                        message.TargetEventId = target.EventId;
                        if (message.Kind == GraphMessageKind.UpdateEvent && target.Kind == GraphMessageKind.CreateSeries)
                        {
                            movedSeries = MovedSeries(GraphOutboxMessages.Read<SeriesRequest>(target.Payload, message.TargetKey!),
                                GraphOutboxMessages.Read<InviteUpdate>(message));
                        }

                        break;
                }
            }

            if (message.OutcomeUnknown && message.Kind is GraphMessageKind.CreateEvent or GraphMessageKind.CreateSeries)
            {
                using var lease = await pacer.AcquireAsync(PaceKey(message), 1, cancellationToken);
                if (await Gateway(ToSandbox(message)).FindEventAsync(message.Mailbox, message.IdempotencyKey, cancellationToken) is { } found)
                {
                    LogReconciled(message.IdempotencyKey);
                    await SucceedAsync(message, found, 200, cancellationToken);
                    return null;
                }
            }

            if (message.OutcomeUnknown && message.Kind == GraphMessageKind.SendMail)
            {
                var lookAt = (message.LastAttemptAt ?? now) + Settings.MailReconcileDelay;
                if (lookAt > now)
                {
                    await PostponeAsync(message, lookAt, cancellationToken);
                    return null;
                }

                using var lease = await pacer.AcquireAsync(PaceKey(message), 1, cancellationToken);
                if (await Gateway(ToSandbox(message)).WasMailSentAsync(message.Mailbox, message.IdempotencyKey, cancellationToken))
                {
                    LogReconciled(message.IdempotencyKey);
                    await SucceedAsync(message, null, 202, cancellationToken);
                    return null;
                }
            }

            return ToOperation(message, movedSeries);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A lookup failed (throttled, unreachable): never send blind; try again later, and give up like a send would.
            LogPrepareFailed(exception, message.IdempotencyKey);
            var (status, code, text) = exception switch
            {
                Microsoft.Graph.Models.ODataErrors.ODataError error => (error.ResponseStatusCode, error.Error?.Code, error.Error?.Message ?? error.Message),
                Microsoft.Kiota.Abstractions.ApiException error => (error.ResponseStatusCode, null, error.Message),
                _ => ((int?)null, exception.GetType().Name, exception.Message),
            };
            var attempts = message.Attempts + 1;
            if (attempts >= Settings.MaxAttempts)
            {
                await ApplyAsync([(message.Id, m =>
                {
                    m.Attempts = attempts;
                    m.Status = GraphMessageStatus.Failed;
                    m.LastStatusCode = status;
                    m.LastErrorCode = code;
                    m.LastErrorMessage = $"Gave up after {attempts} attempts: {text}";
                })]);
                LogIncident(message.IdempotencyKey, message.Mailbox, status, code, text);
                return null;
            }

            var retryAt = now + Backoff(attempts);
            await ApplyAsync([(message.Id, m =>
            {
                m.Attempts = attempts;
                m.LastStatusCode = status;
                m.LastErrorCode = code;
                m.LastErrorMessage = text;
                m.NextAttemptAt = retryAt;
            })]);
            return null;
        }
    }

    /// <summary>The series as it becomes when an update moves its first meeting (null when the time does not change).</summary>
    private static SeriesRequest? MovedSeries(SeriesRequest series, InviteUpdate update) =>
        update.Start is { } start && update.End is { } end
            ? series with
            {
                FirstOccurrence = series.FirstOccurrence with
                {
                    Start = start,
                    End = end,
                    TimeZone = update.TimeZone ?? series.FirstOccurrence.TimeZone,
                },
            }
            : null;

    private static GraphOperation ToOperation(GraphOutboxMessage message, SeriesRequest? movedSeries)
    {
        var id = message.Id.ToString("N");
        return message.Kind switch
        {
            GraphMessageKind.CreateEvent => new CreateEventOperation(id, message.IdempotencyKey, GraphOutboxMessages.Read<InviteRequest>(message)),
            GraphMessageKind.CreateSeries => new CreateSeriesOperation(id, message.IdempotencyKey, GraphOutboxMessages.Read<SeriesRequest>(message)),
            GraphMessageKind.UpdateEvent => new UpdateEventOperation(id, message.IdempotencyKey, message.TargetEventId!,
                GraphOutboxMessages.Read<InviteUpdate>(message), movedSeries),
            GraphMessageKind.CancelEvent => new CancelEventOperation(id, message.IdempotencyKey, message.TargetEventId!,
                GraphOutboxMessages.Read<GraphOutboxMessages.CancelPayload>(message).Comment),
            GraphMessageKind.SendMail => new SendMailOperation(id, message.IdempotencyKey, GraphOutboxMessages.Read<MailRequest>(message)),
            _ => throw new InvalidOperationException($"Unknown outbox kind {message.Kind}."),
        };
    }
}
