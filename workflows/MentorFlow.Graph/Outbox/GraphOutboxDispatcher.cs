using MentorFlow.Graph.Gateway;
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
