using MentorFlow.Graph.Gateway;
using MentorFlow.Graph.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MentorFlow.Graph.Outbox;

/// <summary>
/// Sends the outbox: claims due rows with a lease (so replicas and restarts never send the same row concurrently),
/// groups them per mailbox into <c>$batch</c>es of at most 20, paces each mailbox, records every attempt before it
/// is made, looks an earlier attempt up before repeating one whose outcome is unknown, honours Retry-After on
/// 429/503/504, backs off exponentially with seeded jitter, and turns a permanent failure into an incident.
/// </summary>
public sealed partial class GraphOutboxDispatcher<TContext>(
    IDbContextFactory<TContext> contexts,
    IGraphGateway gateway,
    MailboxPacer pacer,
    GraphOutboxSignal signal,
    IOptions<GraphOptions> options,
    TimeProvider clock,
    ILogger<GraphOutboxDispatcher<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private readonly string _owner = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
    private readonly Random _jitter = new(options.Value.Dispatcher.JitterSeed);
    private readonly Lock _jitterGate = new();

    // One writer at a time from this process: SQLite serializes writers anyway, and its busy retry sleeps coarsely.
    private readonly SemaphoreSlim _writes = new(1, 1);

    private GraphDispatcherOptions Settings => options.Value.Dispatcher;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                handled = await DispatchOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested && exception is not OutOfMemoryException)
            {
                LogRoundFailed(exception);
            }

            if (handled == 0)
            {
                try
                {
                    await signal.WaitAsync(Settings.PollInterval, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One round: claim what is due, send it, record the outcomes. Returns the number of rows handled.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        var chunkSize = ChunkSize(Settings.BatchSize, pacer.RequestsPerWindow);
        // Test-run rows go to the embedded sandbox in Tenant mode: a route of their own, paced per (route, mailbox).
        var work = claimed
            .GroupBy(m => (Sandbox: ToSandbox(m), Mailbox: m.Mailbox.ToUpperInvariant()))
            .Select(group => SendMailboxAsync(group.First().Mailbox, group.Key.Sandbox, group.ToList(), chunkSize, cancellationToken));
        await Task.WhenAll(work);
        return claimed.Count;
    }

    /// <summary>
    /// The batch size: at most the configured size and the window's budget, preferring a size that divides the
    /// budget so whole batches use all of it (50 per window: batches of 10, not 20 + 20 with 10 left idle).
    /// </summary>
    internal static int ChunkSize(int batchSize, int requestsPerWindow)
    {
        var largest = Math.Max(1, Math.Min(batchSize, requestsPerWindow));
        for (var size = largest; size >= (largest + 1) / 2; size--)
        {
            if (requestsPerWindow % size == 0)
            {
                return size;
            }
        }

        return largest;
    }

    private async Task<List<GraphOutboxMessage>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var leaseUntil = now + Settings.Lease;
        var due = await db.Set<GraphOutboxMessage>()
            .Where(m => m.Status == GraphMessageStatus.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .OrderBy(m => m.NextAttemptAt)
            .Select(m => m.Id)
            .Take(Settings.ClaimSize)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return [];
        }

        await db.Set<GraphOutboxMessage>()
            .Where(m => due.Contains(m.Id) && m.Status == GraphMessageStatus.Pending && (m.LeaseUntil == null || m.LeaseUntil < now))
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.LeaseOwner, _owner).SetProperty(m => m.LeaseUntil, leaseUntil), cancellationToken);
        return await db.Set<GraphOutboxMessage>()
            .Where(m => due.Contains(m.Id) && m.LeaseOwner == _owner && m.LeaseUntil == leaseUntil)
            .OrderBy(m => m.CreatedAt)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
    }

    /// <summary>Whether the row goes to the embedded sandbox rather than the configured Graph (a test run in Tenant mode).</summary>
    private bool ToSandbox(GraphOutboxMessage message) => message.SandboxOnly && options.Value.ParsedMode == GraphMode.Tenant;

    private IGraphGateway Gateway(bool sandbox) => sandbox ? gateway.Sandbox : gateway;

    /// <summary>The pacer's key: the mailbox, per route (the sandbox's window is not the tenant's).</summary>
    private static string PaceKey(string mailbox, bool sandbox) => sandbox ? "sandbox:" + mailbox : mailbox;

    private string PaceKey(GraphOutboxMessage message) => PaceKey(message.Mailbox, ToSandbox(message));

    private async Task SendMailboxAsync(
        string mailbox, bool sandbox, List<GraphOutboxMessage> messages, int chunkSize, CancellationToken cancellationToken)
    {
        var ready = new List<(GraphOutboxMessage Message, GraphOperation Operation)>();
        foreach (var message in messages)
        {
            if (await PrepareAsync(message, cancellationToken) is { } operation)
            {
                ready.Add((message, operation));
            }
        }

        var chunks = ready.Chunk(chunkSize).Select(chunk => SendChunkAsync(mailbox, sandbox, chunk, cancellationToken));
        await Task.WhenAll(chunks);
    }

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

    private async Task SendChunkAsync(
        string mailbox, bool sandbox, (GraphOutboxMessage Message, GraphOperation Operation)[] chunk, CancellationToken cancellationToken)
    {
        var lease = await pacer.AcquireAsync(PaceKey(mailbox, sandbox), chunk.Length, cancellationToken);
        IReadOnlyDictionary<string, GraphCallResult> results;
        try
        {
            var ids = chunk.Select(c => c.Message.Id).ToList();
            var attemptAt = clock.GetUtcNow();
            HashSet<Guid> owned;
            await _writes.WaitAsync(cancellationToken);
            try
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                // Record the attempt before making it (after a crash the row says its outcome is unknown), and only
                // for rows whose lease this process still holds: a row another process took over is not sent here.
                var recorded = await db.Set<GraphOutboxMessage>()
                    .Where(m => ids.Contains(m.Id) && m.LeaseOwner == _owner && m.LeaseUntil > attemptAt && m.Status == GraphMessageStatus.Pending)
                    .ExecuteUpdateAsync(set => set
                        .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                        .SetProperty(m => m.OutcomeUnknown, true)
                        .SetProperty(m => m.LastAttemptAt, attemptAt), cancellationToken);
                owned = recorded == ids.Count
                    ? [.. ids]
                    : (await db.Set<GraphOutboxMessage>()
                        .Where(m => ids.Contains(m.Id) && m.LeaseOwner == _owner && m.LastAttemptAt == attemptAt)
                        .Select(m => m.Id)
                        .ToListAsync(cancellationToken)).ToHashSet();
            }
            finally
            {
                _writes.Release();
            }

            chunk = chunk.Where(c => owned.Contains(c.Message.Id)).ToArray();
            lease.Shrink(chunk.Length);
            if (chunk.Length == 0)
            {
                return;
            }

            foreach (var (message, _) in chunk)
            {
                message.Attempts++;
                message.LastAttemptAt = attemptAt;
            }

            try
            {
                results = await Gateway(sandbox).ExecuteAsync(mailbox, chunk.Select(c => c.Operation).ToList(), CancellationToken.None);
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or FormatException)
            {
                // The request could not even be built here (e.g. a time zone this machine does not know): nothing
                // reached Graph, and retrying will not help, so each message becomes an incident.
                var refused = GraphCallResult.Failure(400, "RequestNotBuilt", $"The Graph request could not be built: {exception.Message}", null);
                results = chunk.ToDictionary(c => c.Operation.Id, _ => refused);
            }
        }
        finally
        {
            // The requests count in the mailbox's window from here; recording the outcomes does not hold the slots.
            lease.Dispose();
        }

        var changes = new List<(Guid, Action<GraphOutboxMessage>)>();
        foreach (var (message, operation) in chunk)
        {
            var result = results.TryGetValue(operation.Id, out var found)
                ? found
                : GraphCallResult.Failure(null, "MissingResult", "No result was returned for this request.", null);
            changes.Add((message.Id, await OutcomeAsync(message, result, cancellationToken)));
        }

        await ApplyAsync(changes);
    }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graph outbox round failed; retrying")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graph lookup before resending {Key} failed; postponed")]
    private partial void LogPrepareFailed(Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Graph outbox {Key} was already executed by an earlier attempt; recorded, not resent")]
    private partial void LogReconciled(string key);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Graph throttled mailbox {Mailbox}; pausing {Seconds} s")]
    private partial void LogThrottled(string mailbox, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Graph outbox {Key} got {Status} {Code}; retrying in {Seconds} s")]
    private partial void LogRetrying(string key, int? status, string? code, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Graph outbox {Key} to {Mailbox} failed for good ({Status} {Code}): {Error}")]
    private partial void LogIncident(string key, string mailbox, int? status, string? code, string? error);
}
