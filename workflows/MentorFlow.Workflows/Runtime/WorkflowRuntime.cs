using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Expressions;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MentorFlow.Workflows.Runtime;

/// <summary>Operations the hosted services (and tests) drive: recovery and timers.</summary>
public interface IWorkflowEngineMaintenance
{
    /// <summary>Runs instances whose executor died (expired lease with pending work) and queued commands nobody is handling.</summary>
    Task<int> RecoverAsync(CancellationToken cancellationToken = default);

    /// <summary>Fires every timer due at or before the clock's now; returns how many resumed.</summary>
    Task<int> FireDueTimersAsync(CancellationToken cancellationToken = default);

    /// <summary>Fires one timer if it is (still) due; exactly one replica's firing resumes it.</summary>
    Task<bool> FireTimerAsync(string bookmarkId, CancellationToken cancellationToken = default);

    /// <summary>Timer bookmarks due before <paramref name="until"/> (for the scheduler to load).</summary>
    Task<IReadOnlyList<(string Id, string InstanceId, DateTimeOffset DueAt)>> ListTimersDueBeforeAsync(DateTimeOffset until, int max, CancellationToken cancellationToken = default);
}

internal sealed class LeaseLostException(string instanceId)
    : Exception($"The executor lease on workflow instance {instanceId} was lost before commit; the burst is discarded.");

/// <summary>A burst's state could not be stored; <see cref="LastActivity"/> is the activity that ran last in it.</summary>
internal sealed class BurstFailedException(Exception inner, ActivityNode? lastActivity)
    : Exception(inner.Message, inner)
{
    public ActivityNode? LastActivity { get; } = lastActivity;
}

internal sealed partial class WorkflowRuntime<TContext>(
    IDbContextFactory<TContext> dbFactory,
    IServiceScopeFactory scopeFactory,
    IServiceProvider services,
    FlowchartCache cache,
    BurstRunner runner,
    ExpressionEvaluator expressions,
    TimeProvider clock,
    IOptions<WorkflowEngineOptions> options,
    ILogger<WorkflowRuntime<TContext>> logger) : IWorkflowRuntime, IWorkflowEngineMaintenance
    where TContext : DbContext
{
    private const string KindResume = "Resume";
    private const string KindSignal = "Signal";
    private const string KindCancel = "Cancel";
    private const string KindRetry = "Retry";

    /// <summary>Most timers fired in one batch (one claim, one load, one commit).</summary>
    internal const int TimerBatchSize = 100;

    private readonly long _leaseMs = (long)options.Value.LeaseDuration.TotalMilliseconds;
    private readonly WorkflowEngineOptions _options = options.Value;
    private long _inboxCounter;
    private IReadOnlyList<IWorkflowCommitListener>? _listeners;

    internal ITimerSink? TimerSink { get; set; }

    private TimeProvider Clock => clock;

    private ILogger Logger => logger;

    private long NowMs => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private string NewId() => Guid.CreateVersion7(clock.GetUtcNow()).ToString("N");

    // ---------------------------------------------------------------- start

    public async Task<WorkflowStartResult> StartAsync(
        string definitionId,
        IReadOnlyDictionary<string, object?>? input = null,
        string? correlationId = null,
        VersionOptions? versionOptions = null,
        CancellationToken cancellationToken = default)
    {
        var wanted = versionOptions ?? VersionOptions.Published;
        WorkflowDefinitionRecord? record;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            record = await WorkflowDefinitionService<TContext>.QueryVersion(db.Set<WorkflowDefinitionRecord>().AsNoTracking(), definitionId, wanted)
                .FirstOrDefaultAsync(cancellationToken);
        }

        return record is null
            ? throw new WorkflowDefinitionNotFoundException($"No {wanted} version of workflow definition '{definitionId}' exists.")
            : await StartRecordAsync(record, input, correlationId, cancellationToken);
    }

    public async Task<WorkflowStartResult> StartVersionAsync(
        string definitionVersionId,
        IReadOnlyDictionary<string, object?>? input = null,
        string? correlationId = null,
        CancellationToken cancellationToken = default)
    {
        WorkflowDefinitionRecord? record;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            record = await db.Set<WorkflowDefinitionRecord>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == definitionVersionId, cancellationToken);
        }

        return record is null
            ? throw new WorkflowDefinitionNotFoundException($"Workflow definition version '{definitionVersionId}' does not exist.")
            : await StartRecordAsync(record, input, correlationId, cancellationToken);
    }

    private async Task<WorkflowStartResult> StartRecordAsync(
        WorkflowDefinitionRecord definition,
        IReadOnlyDictionary<string, object?>? input,
        string? correlationId,
        CancellationToken cancellationToken)
    {
        var token = NewId();
        var (instance, state, flowchart) = NewInstance(definition, input, correlationId, token);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.Add(instance);
            await db.SaveChangesAsync(cancellationToken);
        }

        var held = new Held
        {
            Record = instance,
            State = state,
            Flowchart = flowchart,
            Status = WorkflowStatus.Running,
            SubStatus = WorkflowSubStatus.Pending,
            Attempts = 1,
        };
        var final = await DrainHeldAsync(instance.Id, token, cancellationToken, held);
        return new WorkflowStartResult(instance.Id, final.Status, final.SubStatus);
    }

    private static JsonNode? InitialValue(VariableDefinition variable)
    {
        if (variable.Value is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return variable.Value?.DeepClone();
        }

        var text = value.GetValue<string>();
        if (variable.TypeName is "String" or null || string.IsNullOrEmpty(text))
        {
            return string.IsNullOrEmpty(text) && variable.TypeName is not "String" ? null : JsonValue.Create(text);
        }

        try
        {
            return variable.TypeName is "Boolean"
                ? JsonValue.Create(bool.Parse(text))
                : JsonNode.Parse(text);
        }
        catch (Exception exception) when (exception is JsonException or FormatException)
        {
            return JsonValue.Create(text);
        }
    }

    // ---------------------------------------------------------------- signals, cancel, retry

    public async Task<int> SignalAsync(string name, string? correlationId = null, object? payload = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var payloadJson = ValueConversion.ToNode(payload)?.ToJsonString();
        List<(string Id, string InstanceId)> hits;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var query = db.Set<WorkflowBookmarkRecord>().AsNoTracking().Where(b => b.Name == name && b.DueAt == null);
            if (correlationId is not null)
            {
                query = query.Where(b => b.CorrelationId == correlationId);
            }

            hits = [.. (await query.Select(b => new { b.Id, b.InstanceId }).ToListAsync(cancellationToken)).Select(b => (b.Id, b.InstanceId))];
        }

        var instances = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        // A signal is accepted durably (an inbox row, one per bookmark) before it is applied, so a crash after
        // SignalAsync returned never loses it; timers need no such row (the bookmark itself is durable).
        foreach (var (bookmarkId, instanceId) in hits)
        {
            if (await TryEnqueueAsync(instanceId, KindResume, bookmarkId, name, correlationId, payloadJson, cancellationToken) && instances.Add(instanceId))
            {
                count++;
            }
        }

        var queuedFor = new HashSet<string>(instances, StringComparer.Ordinal);

        if (hits.Count == 0 && correlationId is not null)
        {
            // The instance may be mid-burst and about to create the bookmark: queue the signal for it.
            List<string> executing;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var now = NowMs;
                executing = await db.Set<WorkflowInstanceRecord>().AsNoTracking()
                    .Where(i => i.CorrelationId == correlationId && i.Status == nameof(WorkflowStatus.Running) && i.LeaseOwner != null && i.LeaseExpiresAt >= now)
                    .Select(i => i.Id).ToListAsync(cancellationToken);
            }

            foreach (var instanceId in executing)
            {
                if (await TryEnqueueAsync(instanceId, KindSignal, null, name, correlationId, payloadJson, cancellationToken) && queuedFor.Add(instanceId))
                {
                    count++;
                }
            }
        }

        foreach (var instanceId in queuedFor)
        {
            await TryDrainAsync(instanceId, cancellationToken);
        }

        return count;
    }

    /// <summary>
    /// Cancels (terminates) a running or faulted instance at once: the lease is taken from whoever holds it (a burst in
    /// flight then cannot commit and is discarded) and the cancellation is written without running any activity; its
    /// bookmarks, timers and queued commands are dropped in the same transaction.
    /// </summary>
    public async Task<bool> CancelAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var token = NewId();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var until = NowMs + _leaseMs;
            var taken = await db.Set<WorkflowInstanceRecord>()
                .Where(i => i.Id == instanceId && (i.Status == nameof(WorkflowStatus.Running) || i.SubStatus == nameof(WorkflowSubStatus.Faulted)))
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseOwner, token).SetProperty(i => i.LeaseExpiresAt, until), cancellationToken);
            if (taken == 0)
            {
                return false;
            }
        }

        try
        {
            return await WriteCancelledAsync(instanceId, token, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDrainFailed(logger, exception, instanceId);
            await TryReleaseQuietlyAsync(instanceId, token);
            throw;
        }
    }

    private async Task<bool> WriteCancelledAsync(string instanceId, string token, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = await db.Set<WorkflowInstanceRecord>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId && i.LeaseOwner == token, cancellationToken);
        if (record is null)
        {
            return false;
        }

        var json = record.State;
        try
        {
            var state = InstanceState.Deserialize(record.State);
            state.Cancelled = true;
            state.Queue.Clear();
            state.Bookmarks.Clear();
            json = state.Serialize();
        }
        catch (JsonException)
        {
            // An unreadable state is kept as it is: the status columns say the instance is cancelled.
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var removed = await db.Set<WorkflowBookmarkRecord>().Where(b => b.InstanceId == instanceId).Select(b => b.Id).ToListAsync(cancellationToken);
        var updated = await db.Set<WorkflowInstanceRecord>()
            .Where(i => i.Id == instanceId && i.LeaseOwner == token)
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.State, json)
                .SetProperty(i => i.Status, nameof(WorkflowStatus.Finished))
                .SetProperty(i => i.SubStatus, nameof(WorkflowSubStatus.Cancelled))
                .SetProperty(i => i.HasPendingWork, false)
                .SetProperty(i => i.LeaseOwner, (string?)null)
                .SetProperty(i => i.LeaseExpiresAt, 0L)
                .SetProperty(i => i.BurstAttempts, 0)
                .SetProperty(i => i.UpdatedAt, now)
                .SetProperty(i => i.FinishedAt, now), cancellationToken);
        if (updated == 0)
        {
            return false;
        }

        await db.Set<WorkflowBookmarkRecord>().Where(b => b.InstanceId == instanceId).ExecuteDeleteAsync(cancellationToken);
        await db.Set<WorkflowInboxRecord>().Where(m => m.InstanceId == instanceId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var id in removed)
        {
            TimerSink?.Removed(id);
        }

        await NotifyAsync(new WorkflowCommit(instanceId, record.DefinitionId, WorkflowStatus.Finished, WorkflowSubStatus.Cancelled, []), cancellationToken);
        return true;
    }

    public async Task<bool> RetryIncidentAsync(string incidentId, CancellationToken cancellationToken = default)
    {
        string? instanceId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            instanceId = await db.Set<WorkflowIncidentRecord>().AsNoTracking()
                .Where(i => i.Id == incidentId && i.ResolvedAt == null).Select(i => i.InstanceId).FirstOrDefaultAsync(cancellationToken);
        }

        if (instanceId is null)
        {
            return false;
        }

        await TryEnqueueAsync(instanceId, KindRetry, null, incidentId, null, null, cancellationToken);
        await TryDrainAsync(instanceId, cancellationToken);
        return true;
    }

    private async Task<bool> TryEnqueueAsync(string instanceId, string kind, string? bookmarkId, string? name, string? correlationId, string? payload, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Add(NewInboxRecord(instanceId, kind, bookmarkId, name, correlationId, payload));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another replica already queued the resume of this bookmark: it is handled once.
            return false;
        }
    }

    // ---------------------------------------------------------------- timers and recovery

    public async Task<bool> FireTimerAsync(string bookmarkId, CancellationToken cancellationToken = default)
    {
        string? instanceId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var now = NowMs;
            instanceId = await db.Set<WorkflowBookmarkRecord>().AsNoTracking()
                .Where(b => b.Id == bookmarkId && b.DueAt != null && b.DueAt <= now).Select(b => b.InstanceId).FirstOrDefaultAsync(cancellationToken);
        }

        if (instanceId is null)
        {
            return false;
        }

        return await ResumeTimerAsync(instanceId, bookmarkId, null, cancellationToken);
    }

    /// <summary>Fires a timer whose instance is known (the scheduler's jobs carry it): no bookmark lookup.</summary>
    internal Task<bool> FireTimerAsync(string bookmarkId, string instanceId, CancellationToken cancellationToken) =>
        ResumeTimerAsync(instanceId, bookmarkId, null, cancellationToken);

    /// <summary>
    /// Resumes one timer bookmark: claims the instance and resumes it in place, or, when another executor holds the
    /// instance, queues the resume in its inbox (one pending resume per bookmark). True when resumed or queued.
    /// A crash before the commit loses nothing: the bookmark is still due and fires again.
    /// </summary>
    private async Task<bool> ResumeTimerAsync(string instanceId, string bookmarkId, string? payloadJson, CancellationToken cancellationToken)
    {
        var token = NewId();
        if (!await TryClaimAsync(instanceId, token, cancellationToken))
        {
            var queued = await TryEnqueueAsync(instanceId, KindResume, bookmarkId, null, null, payloadJson, cancellationToken);
            await TryDrainAsync(instanceId, cancellationToken);
            return queued;
        }

        Held? held = null;
        var resumed = false;
        try
        {
            held = await LoadHeldAsync(instanceId, cancellationToken);
            if (held is not null && held.State.Bookmarks.Find(b => b.Id == bookmarkId) is { } bookmark && IsDue(bookmark, NowMs))
            {
                if (held.SubStatus == WorkflowSubStatus.Faulted)
                {
                    // Delivered after the incident is retried.
                    resumed = await TryEnqueueAsync(instanceId, KindResume, bookmarkId, null, null, payloadJson, cancellationToken);
                }
                else
                {
                    held.State.Queue.Add(new WorkItem { ActivityId = bookmark.ActivityId, Resume = true, BookmarkId = bookmark.Id, Payload = ParsePayload(payloadJson) });
                    resumed = true;
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await TryReleaseQuietlyAsync(instanceId, token);
            throw;
        }

        await DrainHeldAsync(instanceId, token, cancellationToken, held);
        return resumed;
    }

    /// <summary>
    /// Fires a batch of due timers with a handful of statements instead of a few per timer: one UPDATE claims every
    /// free instance, one SELECT loads them, their bursts run in memory and commit in one transaction. Instances held
    /// by another executor get the resume queued in their inbox (as for a single timer). If anything in the batch
    /// fails before the commit, nothing of it is committed and each timer is fired on its own.
    /// </summary>
    internal async Task<int> FireTimersAsync(IReadOnlyList<(string BookmarkId, string InstanceId)> timers, CancellationToken cancellationToken)
    {
        var fired = 0;
        if (timers.Count <= 1)
        {
            foreach (var (bookmarkId, instanceId) in timers)
            {
                fired += await ResumeTimerAsync(instanceId, bookmarkId, null, cancellationToken) ? 1 : 0;
            }

            return fired;
        }

        var byInstance = timers.GroupBy(t => t.InstanceId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(t => t.BookmarkId).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var ids = byInstance.Keys.ToList();
        var token = NewId();
        List<WorkflowInstanceRecord> claimed;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var now = NowMs;
            var until = now + _leaseMs;
            await db.Set<WorkflowInstanceRecord>()
                .Where(i => ids.Contains(i.Id) && (i.LeaseOwner == null || i.LeaseExpiresAt < now))
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseOwner, token).SetProperty(i => i.LeaseExpiresAt, until)
                    .SetProperty(i => i.BurstAttempts, i => i.BurstAttempts + 1), cancellationToken);
            claimed = await db.Set<WorkflowInstanceRecord>().AsNoTracking().Where(i => ids.Contains(i.Id) && i.LeaseOwner == token).ToListAsync(cancellationToken);
        }

        // Held elsewhere (or gone): the single-timer path queues the resume for the executor that holds it.
        foreach (var instanceId in ids.Except(claimed.Select(c => c.Id), StringComparer.Ordinal))
        {
            foreach (var bookmarkId in byInstance[instanceId])
            {
                fired += await ResumeTimerAsync(instanceId, bookmarkId, null, cancellationToken) ? 1 : 0;
            }
        }

        var ran = new List<RanBurst>();
        var resumed = 0;
        var others = new List<Held>();
        await using var lease = new LeaseRenewal(this, [.. claimed.Select(c => c.Id)], token, cancellationToken);
        try
        {
            var nowMs = NowMs;
            foreach (var record in claimed)
            {
                var held = await ToHeldAsync(record, cancellationToken);
                var due = held.State.Bookmarks.Where(b => IsDue(b, nowMs) && byInstance[record.Id].Contains(b.Id)).ToList();
                if (held.Flowchart is null || held.Status == WorkflowStatus.Finished || held.State.Fault is not null || held.State.Queue.Count > 0 || due.Count == 0)
                {
                    // Anything but a plain resume (faulted, finished, pending work, timer no longer there) goes the
                    // single-timer way below, which knows each of those cases.
                    others.Add(held);
                    continue;
                }

                foreach (var bookmark in due)
                {
                    held.State.Queue.Add(new WorkItem { ActivityId = bookmark.ActivityId, Resume = true, BookmarkId = bookmark.Id });
                }

                resumed += due.Count;

                ran.Add(await RunBurstAsync(held, token, null, null, lease.Token));
            }

            if (ran.Count > 0)
            {
                await CommitAsync(ran, cancellationToken);
            }

            await lease.DisposeAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await lease.DisposeAsync();
            LogBatchFailed(logger, exception, timers.Count);
            foreach (var burst in ran)
            {
                await burst.DisposeAsync();
            }

            foreach (var record in claimed)
            {
                await TryReleaseQuietlyAsync(record.Id, token);
            }

            foreach (var (bookmarkId, instanceId) in timers)
            {
                fired += await ResumeTimerAsync(instanceId, bookmarkId, null, cancellationToken) ? 1 : 0;
            }

            return fired;
        }

        fired += resumed;
        foreach (var burst in ran)
        {
            try
            {
                await using (burst)
                {
                    await CompleteAsync(burst, cancellationToken);
                }

                if (!burst.Released)
                {
                    await DrainHeldAsync(burst.Held.Record.Id, token, cancellationToken, burst.Held);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Committed already; the drain released the lease and recovery picks up what is left.
                LogDrainFailed(logger, exception, burst.Held.Record.Id);
            }
        }

        foreach (var held in others)
        {
            await TryReleaseQuietlyAsync(held.Record.Id, token);
            foreach (var bookmarkId in byInstance[held.Record.Id])
            {
                fired += await ResumeTimerAsync(held.Record.Id, bookmarkId, null, cancellationToken) ? 1 : 0;
            }
        }

        return fired;
    }

    /// <summary>
    /// Due at the millisecond, as <c>wf_bookmarks.DueAt</c> stores it: the scheduler and the sweep find timers by that
    /// column, so the state's finer due time must not make a timer they hand over look early.
    /// </summary>
    private static bool IsDue(BookmarkState bookmark, long nowMs) =>
        bookmark.DueAt is { } dueAt && dueAt.ToUnixTimeMilliseconds() <= nowMs;

    private async Task<bool> TryClaimAsync(string instanceId, string token, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = NowMs;
        var claimed = await db.Set<WorkflowInstanceRecord>()
            .Where(i => i.Id == instanceId && (i.LeaseOwner == null || i.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseOwner, token).SetProperty(i => i.LeaseExpiresAt, now + _leaseMs)
                .SetProperty(i => i.BurstAttempts, i => i.BurstAttempts + 1), cancellationToken);
        return claimed > 0;
    }

    public async Task<int> FireDueTimersAsync(CancellationToken cancellationToken = default)
    {
        var fired = 0;
        while (true)
        {
            List<(string BookmarkId, string InstanceId)> due;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var now = NowMs;
                due = [.. (await db.Set<WorkflowBookmarkRecord>().AsNoTracking()
                    .Where(b => b.DueAt != null && b.DueAt <= now)
                    .OrderBy(b => b.DueAt).Select(b => new { b.Id, b.InstanceId }).Take(500).ToListAsync(cancellationToken))
                    .Select(b => (b.Id, b.InstanceId))];
            }

            var batch = 0;
            foreach (var chunk in due.Chunk(TimerBatchSize))
            {
                batch += await FireTimersAsync(chunk, cancellationToken);
            }

            fired += batch;
            if (due.Count < 500 || batch == 0)
            {
                return fired;
            }
        }
    }

    public async Task<IReadOnlyList<(string Id, string InstanceId, DateTimeOffset DueAt)>> ListTimersDueBeforeAsync(DateTimeOffset until, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var limit = until.ToUnixTimeMilliseconds();
        var rows = await db.Set<WorkflowBookmarkRecord>().AsNoTracking()
            .Where(b => b.DueAt != null && b.DueAt <= limit)
            .OrderBy(b => b.DueAt).Take(max).Select(b => new { b.Id, b.InstanceId, b.DueAt }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Id, r.InstanceId, DateTimeOffset.FromUnixTimeMilliseconds(r.DueAt!.Value)))];
    }

    public async Task<int> RecoverAsync(CancellationToken cancellationToken = default)
    {
        List<string> candidates;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var now = NowMs;
            var pending = await db.Set<WorkflowInstanceRecord>().AsNoTracking()
                .Where(i => i.HasPendingWork && i.LeaseExpiresAt < now)
                .Select(i => i.Id).Take(1000).ToListAsync(cancellationToken);
            var queued = await db.Set<WorkflowInboxRecord>().AsNoTracking()
                .Where(m => db.Set<WorkflowInstanceRecord>().Any(i => i.Id == m.InstanceId && i.LeaseExpiresAt < now && i.SubStatus != nameof(WorkflowSubStatus.Faulted)))
                .Select(m => m.InstanceId).Distinct().Take(1000).ToListAsync(cancellationToken);
            candidates = [.. pending.Union(queued)];
        }

        var recovered = 0;
        foreach (var id in candidates)
        {
            if (await TryDrainAsync(id, cancellationToken))
            {
                recovered++;
            }
        }

        if (recovered > 0)
        {
            LogRecovered(logger, recovered);
        }

        return recovered;
    }

    // ---------------------------------------------------------------- the executor

    private async Task<bool> TryDrainAsync(string instanceId, CancellationToken cancellationToken)
    {
        var token = NewId();
        if (!await TryClaimAsync(instanceId, token, cancellationToken))
        {
            return false;
        }

        await DrainHeldAsync(instanceId, token, cancellationToken);
        return true;
    }

    private readonly record struct DrainStatus(WorkflowStatus Status, WorkflowSubStatus SubStatus);

    /// <summary>What the executor holds in memory while it owns the lease (it is exactly what was last committed).</summary>
    private sealed class Held
    {
        public required WorkflowInstanceRecord Record { get; init; }
        public required InstanceState State { get; set; }
        public required FlowchartDefinition? Flowchart { get; init; }
        public WorkflowStatus Status { get; set; }
        public WorkflowSubStatus SubStatus { get; set; }

        /// <summary>Claims since the last commit (this executor's included); 0 once a burst of this drain committed.</summary>
        public int Attempts { get; set; }
    }

    private async Task<Held?> LoadHeldAsync(string instanceId, CancellationToken cancellationToken)
    {
        WorkflowInstanceRecord? record;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            record = await db.Set<WorkflowInstanceRecord>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        }

        return record is null ? null : await ToHeldAsync(record, cancellationToken);
    }

    private async Task<Held> ToHeldAsync(WorkflowInstanceRecord record, CancellationToken cancellationToken)
    {
        var flowchart = cache.TryGet(record.DefinitionVersionId);
        if (flowchart is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var definition = await db.Set<WorkflowDefinitionRecord>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == record.DefinitionVersionId, cancellationToken);
            flowchart = definition is null ? null : cache.Get(definition.Id, definition.DefinitionId, definition.Version, definition.Json);
        }

        return new Held
        {
            Record = record,
            State = InstanceState.Deserialize(record.State),
            Flowchart = flowchart,
            Status = Enum.Parse<WorkflowStatus>(record.Status),
            SubStatus = Enum.Parse<WorkflowSubStatus>(record.SubStatus),
            Attempts = record.BurstAttempts,
        };
    }

    /// <summary>
    /// With the lease held: run pending work, then each queued command, until nothing is left; then release the lease
    /// (only when no command is queued, checked in the same statement). State stays in memory between bursts.
    /// </summary>
    private async Task<DrainStatus> DrainHeldAsync(string instanceId, string token, CancellationToken cancellationToken, Held? held = null)
    {
        await using var lease = new LeaseRenewal(this, [instanceId], token, cancellationToken);
        try
        {
            held ??= await LoadHeldAsync(instanceId, cancellationToken);
            if (held is null)
            {
                return new DrainStatus(WorkflowStatus.Finished, WorkflowSubStatus.Finished);
            }

            while (true)
            {
                var state = held.State;
                var faulted = held.SubStatus == WorkflowSubStatus.Faulted;
                var ended = held.Status == WorkflowStatus.Finished && !faulted;
                if (ended || held.Flowchart is null)
                {
                    await DeleteInboxAsync(instanceId, cancellationToken);
                    if (await ReleaseAsync(instanceId, token, checkInbox: false, cancellationToken))
                    {
                        return new DrainStatus(held.Status, held.SubStatus);
                    }

                    continue;
                }

                if (held.Attempts > _options.MaxBurstFailures && state.Fault is null && !faulted)
                {
                    // Claimed again and again without a commit: the process stopped during this burst each time.
                    var from = state.Queue.Count > 0 ? state.Queue[0].ActivityId : null;
                    var message = string.Create(CultureInfo.InvariantCulture,
                        $"The burst{(from is null ? "" : $" from activity '{from}'")} was started {held.Attempts - 1} times without finishing (the process stopped during it, e.g. out of memory); it is not run again (setting Workflows:MaxBurstFailures = {_options.MaxBurstFailures}). Retry the incident after fixing the cause.");
                    if (await FaultHeldAsync(held, token, null, from, message, null, cancellationToken))
                    {
                        return new DrainStatus(held.Status, held.SubStatus);
                    }

                    continue;
                }

                if (state.Queue.Count > 0 && state.Fault is null)
                {
                    if (await RunAndCommitAsync(held, token, null, null, lease, cancellationToken))
                    {
                        return new DrainStatus(held.Status, held.SubStatus);
                    }

                    continue;
                }

                WorkflowInboxRecord? command;
                await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
                {
                    var inbox = db.Set<WorkflowInboxRecord>().AsNoTracking().Where(m => m.InstanceId == instanceId);
                    if (faulted)
                    {
                        inbox = inbox.Where(m => m.Kind == KindCancel || m.Kind == KindRetry);
                    }

                    command = await inbox.OrderBy(m => m.Sequence).FirstOrDefaultAsync(cancellationToken);
                }

                if (command is null)
                {
                    if (await ReleaseAsync(instanceId, token, checkInbox: !faulted, cancellationToken))
                    {
                        return new DrainStatus(held.Status, held.SubStatus);
                    }

                    continue;
                }

                string? resolvedIncident = null;
                switch (command.Kind)
                {
                    case KindResume:
                        if (state.Bookmarks.Find(b => b.Id == command.BookmarkId) is { } bookmark)
                        {
                            state.Queue.Add(new WorkItem { ActivityId = bookmark.ActivityId, Resume = true, BookmarkId = bookmark.Id, Payload = ParsePayload(command.Payload) });
                        }

                        break;
                    case KindSignal:
                        foreach (var match in state.Bookmarks.Where(b => b.DueAt is null && b.Name == command.Name
                                     && (command.CorrelationId is null || b.CorrelationId == command.CorrelationId)).ToList())
                        {
                            state.Queue.Add(new WorkItem { ActivityId = match.ActivityId, Resume = true, BookmarkId = match.Id, Payload = ParsePayload(command.Payload) });
                        }

                        break;
                    case KindCancel:
                        state.Cancelled = true;
                        state.Queue.Clear();
                        break;
                    case KindRetry:
                        if (state.Fault is not null && state.Fault.IncidentId == command.Name)
                        {
                            state.Fault = null;
                            resolvedIncident = command.Name;
                        }

                        break;
                    default:
                        break;
                }

                if (await RunAndCommitAsync(held, token, command.Id, resolvedIncident, lease, cancellationToken))
                {
                    return new DrainStatus(held.Status, held.SubStatus);
                }
            }
        }
        catch (Exception exception) when (exception is LeaseLostException || (exception is OperationCanceledException && lease.Lost && !cancellationToken.IsCancellationRequested))
        {
            // Cancelled, deleted or taken over by another executor: what this executor ran is discarded.
            LogLeaseLost(logger, instanceId);
            return new DrainStatus(held?.Status ?? WorkflowStatus.Running, held?.SubStatus ?? WorkflowSubStatus.Pending);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDrainFailed(logger, exception, instanceId);
            await TryReleaseQuietlyAsync(instanceId, token);
            throw;
        }
    }

    private static JsonNode? ParsePayload(string? payload) => payload is null ? null : JsonNode.Parse(payload);

    /// <summary>
    /// Runs one burst and commits it; true when the lease was released. A burst that cannot be run to the end or
    /// stored (its state too large or not serializable, the commit refused) is never retried silently: see
    /// <see cref="HandleFailedBurstAsync"/>.
    /// </summary>
    private async Task<bool> RunAndCommitAsync(Held held, string token, string? commandId, string? resolvedIncident, LeaseRenewal lease, CancellationToken cancellationToken)
    {
        var from = held.State.Queue.Count > 0 ? held.State.Queue[0].ActivityId : null;
        RanBurst? ran = null;
        try
        {
            ran = await RunBurstAsync(held, token, commandId, resolvedIncident, lease.Token);
            await CommitAsync([ran], cancellationToken);
        }
        catch (Exception exception) when (exception is not LeaseLostException && !(exception is OperationCanceledException && (lease.Lost || cancellationToken.IsCancellationRequested)))
        {
            var node = (exception as BurstFailedException)?.LastActivity ?? ran?.Burst.Journal.LastOrDefault()?.Node;
            if (ran is not null)
            {
                await ran.DisposeAsync();
            }

            return await HandleFailedBurstAsync(held, token, exception is BurstFailedException { InnerException: { } inner } ? inner : exception, node, from, cancellationToken);
        }
        catch
        {
            if (ran is not null)
            {
                await ran.DisposeAsync();
            }

            throw;
        }

        await using (ran)
        {
            await CompleteAsync(ran, cancellationToken);
        }

        held.Attempts = 0;
        return ran.Released;
    }

    /// <summary>
    /// A failed burst (nothing of it was committed). A state that cannot be stored (over
    /// <see cref="WorkflowEngineOptions.MaxStateBytes"/>, not serializable) faults the instance at once: running it again
    /// would fail the same way. Any other failure is retried with an exponential back-off (the lease is released with
    /// its expiry set to the next attempt, so recovery waits for it) until <see cref="WorkflowEngineOptions.MaxBurstFailures"/>
    /// attempts failed, then the instance faults. True when the lease was released.
    /// </summary>
    private async Task<bool> HandleFailedBurstAsync(Held held, string token, Exception cause, ActivityNode? node, string? from, CancellationToken cancellationToken)
    {
        var attempts = Math.Max(1, held.Attempts);
        var max = _options.MaxBurstFailures;
        var activity = node?.Id ?? from;
        if (cause is WorkflowStateTooLargeException)
        {
            LogStateTooLarge(logger, held.Record.Id, activity);
            return await FaultHeldAsync(held, token, node, from, cause.Message, cause: null, cancellationToken); // a limit: no stack trace kept
        }

        if (cause is JsonException or NotSupportedException or InsufficientExecutionStackException or OutOfMemoryException)
        {
            var unstorable = $"The instance state after activity '{activity}' could not be stored ({cause.GetType().Name}: {cause.Message}). Keep variables and outputs to plain values, or retry the incident after fixing the flow.";
            return await FaultHeldAsync(held, token, node, from, unstorable, cause, cancellationToken);
        }

        if (attempts >= max)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"The burst{(activity is null ? "" : $" at activity '{activity}'")} failed {attempts} times in a row and is not retried again (setting Workflows:MaxBurstFailures = {max}); last error: {cause.GetType().Name}. Retry the incident after fixing the cause; the details are in the incident's exception.");
            return await FaultHeldAsync(held, token, node, from, message, cause, cancellationToken);
        }

        var delay = RetryDelay(attempts);
        LogBurstFailed(logger, cause, held.Record.Id, attempts, max, delay);
        var retryAt = NowMs + (long)delay.TotalMilliseconds;
        var instanceId = held.Record.Id;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Set<WorkflowInstanceRecord>()
            .Where(i => i.Id == instanceId && i.LeaseOwner == token)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseOwner, (string?)null).SetProperty(i => i.LeaseExpiresAt, retryAt)
                .SetProperty(i => i.BurstAttempts, attempts), cancellationToken);
        return true;
    }

    /// <summary>The wait before the next attempt after <paramref name="failures"/> failed ones: doubling, capped.</summary>
    internal TimeSpan RetryDelay(int failures)
    {
        var first = _options.BurstRetryDelay;
        var cap = _options.BurstRetryMaxDelay;
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        return first.TotalMilliseconds * factor >= cap.TotalMilliseconds ? cap : TimeSpan.FromMilliseconds(first.TotalMilliseconds * factor);
    }

    /// <summary>
    /// Faults the instance from its last committed state (the failed burst is dropped): an incident naming the cause
    /// and a Faulted journal entry; retrying the incident runs the pending work again. True when the lease was released.
    /// </summary>
    private async Task<bool> FaultHeldAsync(Held held, string token, ActivityNode? node, string? from, string message, Exception? cause, CancellationToken cancellationToken)
    {
        var instanceId = held.Record.Id;
        WorkflowInstanceRecord? record;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            record = await db.Set<WorkflowInstanceRecord>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId && i.LeaseOwner == token, cancellationToken);
        }

        if (record is null)
        {
            return true;
        }

        var committed = await ToHeldAsync(record, cancellationToken);
        if (held.Flowchart is null)
        {
            return await ReleaseAsync(instanceId, token, checkInbox: false, cancellationToken);
        }

        held.State = committed.State;
        held.Status = committed.Status;
        held.SubStatus = committed.SubStatus;
        var state = held.State;
        var activityId = node?.Id ?? from ?? held.Flowchart.StartActivity?.Id ?? "workflow";
        var activityNode = node ?? held.Flowchart.Activities.GetValueOrDefault(activityId) ?? new ActivityNode(activityId, "?", 1, null, []);
        var scope = scopeFactory.CreateAsyncScope();
        var burst = new BurstContext(instanceId, held.Flowchart, state, scope.ServiceProvider, clock, expressions, cancellationToken);
        var now = clock.GetUtcNow();
        var incident = new WorkflowIncidentDraft(burst.NewId(), activityNode.Id, activityNode.Type, message, cause?.ToString(), now);
        burst.Incidents.Add(incident);
        state.Fault = new FaultState { ActivityId = activityNode.Id, Message = message, IncidentId = incident.Id };
        burst.Journal.Add(new WorkflowJournalEntryDraft(++state.JournalSequence, activityNode, JournalEvents.Faulted, now, now, [], null, message));
        await using var ran = new RanBurst
        {
            Held = held,
            Token = token,
            CommandId = null,
            ResolvedIncident = null,
            Scope = scope,
            Burst = burst,
            Status = WorkflowStatus.Finished,
            SubStatus = WorkflowSubStatus.Faulted,
            Json = state.Serialize(),
            Now = now,
        };
        await CommitAsync([ran], cancellationToken);
        await CompleteAsync(ran, cancellationToken);
        held.Attempts = 0;
        LogPoisonFaulted(logger, instanceId, activityNode.Id);
        return ran.Released;
    }

    /// <summary>
    /// Keeps the executor's lease alive while it works: every third of the lease duration (on the engine's clock) the
    /// expiry is pushed forward, conditional on still owning it. When the lease is gone (the instance was cancelled,
    /// deleted or taken over) <see cref="Token"/> is cancelled so the burst stops; its commit would be refused anyway.
    /// </summary>
    private sealed class LeaseRenewal : IAsyncDisposable
    {
        private readonly WorkflowRuntime<TContext> _runtime;
        private readonly IReadOnlyList<string> _instanceIds;
        private readonly string _token;
        private readonly CancellationTokenSource _source;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private bool _disposed;

        public LeaseRenewal(WorkflowRuntime<TContext> runtime, IReadOnlyList<string> instanceIds, string token, CancellationToken cancellationToken)
        {
            _runtime = runtime;
            _instanceIds = instanceIds;
            _token = token;
            _source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _loop = RunAsync();
        }

        public CancellationToken Token => _source.Token;

        public bool Lost { get; private set; }

        private async Task RunAsync()
        {
            var interval = TimeSpan.FromMilliseconds(Math.Max(1, _runtime._leaseMs / 3));
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(interval, _runtime.Clock, _stop.Token);
                    if (!await _runtime.RenewAsync(_instanceIds, _token, _stop.Token) && !_stop.IsCancellationRequested)
                    {
                        Lost = true;
                        await _source.CancelAsync();
                        return;
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The next round tries again; if the lease expires meanwhile, the commit is refused.
                    LogRenewFailed(_runtime.Logger, exception, string.Join(',', _instanceIds));
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
            _source.Dispose();
        }
    }

    /// <summary>Extends the lease on the given instances if this executor still holds at least one of them.</summary>
    private async Task<bool> RenewAsync(IReadOnlyList<string> instanceIds, string token, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var until = NowMs + _leaseMs;
        if (instanceIds.Count == 0)
        {
            return false;
        }

        var renewed = instanceIds.Count == 1
            ? await db.Set<WorkflowInstanceRecord>().Where(i => i.Id == instanceIds[0] && i.LeaseOwner == token)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseExpiresAt, until), cancellationToken)
            : await db.Set<WorkflowInstanceRecord>().Where(i => instanceIds.Contains(i.Id) && i.LeaseOwner == token)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseExpiresAt, until), cancellationToken);
        return renewed > 0;
    }

    /// <summary>A burst that ran in memory and waits to be committed (alone or with others in one transaction).</summary>
    private sealed class RanBurst : IAsyncDisposable
    {
        public required Held Held { get; init; }
        public required string Token { get; init; }
        public required string? CommandId { get; init; }
        public required string? ResolvedIncident { get; init; }
        public required AsyncServiceScope Scope { get; init; }
        public required BurstContext Burst { get; init; }
        public required WorkflowStatus Status { get; init; }
        public required WorkflowSubStatus SubStatus { get; init; }
        public required string Json { get; init; }
        public required DateTimeOffset Now { get; init; }
        public bool Ended => Status == WorkflowStatus.Finished && SubStatus != WorkflowSubStatus.Faulted;
        public bool Faulted => SubStatus == WorkflowSubStatus.Faulted;
        public bool HasPending => Held.State.Queue.Count > 0 && Held.State.Fault is null;
        public bool Released { get; set; }

        public ValueTask DisposeAsync() => Scope.DisposeAsync();
    }

    private async Task<RanBurst> RunBurstAsync(Held held, string token, string? commandId, string? resolvedIncident, CancellationToken cancellationToken)
    {
        var state = held.State;
        var scope = scopeFactory.CreateAsyncScope();
        try
        {
            var burst = new BurstContext(held.Record.Id, held.Flowchart!, state, scope.ServiceProvider, clock, expressions, cancellationToken);
            if (state.Cancelled)
            {
                foreach (var bookmark in state.Bookmarks)
                {
                    burst.RemovedBookmarkIds.Add(bookmark.Id);
                }

                state.Bookmarks.Clear();
            }
            else
            {
                await runner.RunAsync(burst);
            }

            var (status, subStatus) = state switch
            {
                { Cancelled: true } => (WorkflowStatus.Finished, WorkflowSubStatus.Cancelled),
                { Fault: not null } => (WorkflowStatus.Finished, WorkflowSubStatus.Faulted),
                { Finished: true } => (WorkflowStatus.Finished, WorkflowSubStatus.Finished),
                { Queue.Count: > 0 } => (WorkflowStatus.Running, WorkflowSubStatus.Executing),
                _ => (WorkflowStatus.Running, WorkflowSubStatus.Suspended),
            };
            return new RanBurst
            {
                Held = held,
                Token = token,
                CommandId = commandId,
                ResolvedIncident = resolvedIncident,
                Scope = scope,
                Burst = burst,
                Status = status,
                SubStatus = subStatus,
                Json = SerializeBurstState(state, burst),
                Now = clock.GetUtcNow(),
            };
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    private string SerializeBurstState(InstanceState state, BurstContext burst)
    {
        try
        {
            return state.Serialize(_options.MaxStateBytes);
        }
        catch (Exception exception) when (exception is WorkflowStateTooLargeException or JsonException or NotSupportedException or InsufficientExecutionStackException or OutOfMemoryException)
        {
            throw new BurstFailedException(exception, burst.Journal.LastOrDefault()?.Node);
        }
    }

    /// <summary>
    /// Commits bursts in one transaction: for each, the state (conditional on the executor's lease, which is released
    /// in the same statement when nothing is left to do), bookmarks, journal, incidents and enlisted rows (outbox).
    /// Throws <see cref="LeaseLostException"/> (nothing committed) when any lease was lost.
    /// </summary>
    private async Task CommitAsync(IReadOnlyList<RanBurst> bursts, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var ran in bursts)
        {
            await WriteAsync(db, ran, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        var mayRelease = bursts.Where(b => !b.HasPending).Select(b => b.Held.Record.Id).ToList();
        var released = mayRelease.Count == 0
            ? []
            : await db.Set<WorkflowInstanceRecord>().Where(i => mayRelease.Contains(i.Id) && i.LeaseOwner == null).Select(i => i.Id).ToListAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var ran in bursts)
        {
            ran.Released = released.Contains(ran.Held.Record.Id);
        }
    }

    private async Task WriteAsync(TContext db, RanBurst ran, CancellationToken cancellationToken)
    {
        var record = ran.Held.Record;
        var burst = ran.Burst;
        var token = ran.Token;
        var commandId = ran.CommandId;
        var ended = ran.Ended;
        var faulted = ran.Faulted;
        var hasPending = ran.HasPending;
        var json = ran.Json;
        var status = ran.Status;
        var subStatus = ran.SubStatus;
        var now = ran.Now;
        var keepUntil = now.ToUnixTimeMilliseconds() + _leaseMs;
        var incidentDelta = burst.Incidents.Count - (ran.ResolvedIncident is null ? 0 : 1);
        DateTimeOffset? finishedAt = status == WorkflowStatus.Finished ? now : null;
        var inbox = db.Set<WorkflowInboxRecord>();
        var instanceId = record.Id;

        // The lease is released in the same statement when nothing is left to do: no pending work and no queued
        // command (other than the one this burst handles); otherwise the executor keeps it and drains on.
        var updated = await db.Set<WorkflowInstanceRecord>()
            .Where(i => i.Id == instanceId && i.LeaseOwner == token)
            .ExecuteUpdateAsync(s => s
                .SetProperty(
                    i => i.LeaseOwner,
                    i => hasPending || (!ended && inbox.Any(m => m.InstanceId == instanceId && m.Id != commandId
                            && (!faulted || m.Kind == KindCancel || m.Kind == KindRetry)))
                        ? token
                        : null)
                .SetProperty(i => i.State, json)
                .SetProperty(i => i.Status, status.ToString())
                .SetProperty(i => i.SubStatus, subStatus.ToString())
                .SetProperty(i => i.HasPendingWork, hasPending)
                .SetProperty(i => i.BurstAttempts, 0)
                .SetProperty(i => i.IncidentCount, i => i.IncidentCount + incidentDelta)
                .SetProperty(i => i.UpdatedAt, now)
                .SetProperty(i => i.FinishedAt, finishedAt)
                .SetProperty(
                    i => i.LeaseExpiresAt,
                    i => hasPending || (!ended && inbox.Any(m => m.InstanceId == instanceId && m.Id != commandId
                            && (!faulted || m.Kind == KindCancel || m.Kind == KindRetry)))
                        ? keepUntil
                        : 0L), cancellationToken);
        if (updated == 0)
        {
            throw new LeaseLostException(record.Id);
        }

        if (ended)
        {
            await db.Set<WorkflowBookmarkRecord>().Where(b => b.InstanceId == record.Id).ExecuteDeleteAsync(cancellationToken);
            await db.Set<WorkflowInboxRecord>().Where(m => m.InstanceId == record.Id).ExecuteDeleteAsync(cancellationToken);
        }
        else
        {
            if (burst.RemovedBookmarkIds.Count > 0)
            {
                var removed = burst.RemovedBookmarkIds.ToList();
                await db.Set<WorkflowBookmarkRecord>().Where(b => removed.Contains(b.Id)).ExecuteDeleteAsync(cancellationToken);
            }

            foreach (var bookmark in burst.AddedBookmarks)
            {
                db.Add(new WorkflowBookmarkRecord
                {
                    Id = bookmark.Id,
                    InstanceId = record.Id,
                    ActivityId = bookmark.ActivityId,
                    Name = bookmark.Name,
                    CorrelationId = bookmark.CorrelationId,
                    DueAt = bookmark.DueAt?.ToUnixTimeMilliseconds(),
                    Payload = bookmark.Payload?.ToJsonString(),
                    CreatedAt = bookmark.CreatedAt,
                });
            }

            if (commandId is not null)
            {
                await db.Set<WorkflowInboxRecord>().Where(m => m.Id == commandId).ExecuteDeleteAsync(cancellationToken);
            }
        }

        if (ran.ResolvedIncident is { } resolvedIncident)
        {
            await db.Set<WorkflowIncidentRecord>().Where(i => i.Id == resolvedIncident)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.ResolvedAt, now), cancellationToken);
        }

        foreach (var entry in burst.Journal)
        {
            db.Add(new WorkflowJournalRecord
            {
                Id = NewId(),
                InstanceId = record.Id,
                Sequence = entry.Sequence,
                ActivityId = entry.Node.Id,
                ActivityType = entry.Node.Type,
                ActivityTypeVersion = entry.Node.Version,
                ActivityName = entry.Node.Name,
                EventName = entry.EventName,
                StartedAt = entry.StartedAt,
                CompletedAt = entry.CompletedAt,
                Outcomes = entry.Outcomes.Count == 0 ? null : JsonSerializer.Serialize(entry.Outcomes),
                Message = entry.Message,
                Error = entry.Error,
            });
        }

        foreach (var incident in burst.Incidents)
        {
            db.Add(new WorkflowIncidentRecord
            {
                Id = incident.Id,
                InstanceId = record.Id,
                ActivityId = incident.ActivityId,
                ActivityType = incident.ActivityType,
                Message = incident.Message,
                Exception = incident.Exception,
                Timestamp = incident.Timestamp,
            });
        }

        foreach (var entity in burst.Enlisted)
        {
            db.Add(entity);
        }
    }

    /// <summary>After the commit: the held state is what was committed; timers are (un)scheduled, listeners told.</summary>
    private async Task CompleteAsync(RanBurst ran, CancellationToken cancellationToken)
    {
        var held = ran.Held;
        held.Status = ran.Status;
        held.SubStatus = ran.SubStatus;
        AfterCommit(held.Record, ran.Burst, ran.Status, ran.SubStatus, ran.Ended);
        await NotifyAsync(new WorkflowCommit(held.Record.Id, held.Record.DefinitionId, ran.Status, ran.SubStatus, ran.Burst.Enlisted), cancellationToken);
    }

    private void AfterCommit(WorkflowInstanceRecord record, BurstContext burst, WorkflowStatus status, WorkflowSubStatus subStatus, bool ended)
    {
        _ = record;
        _ = status;
        _ = subStatus;
        if (TimerSink is not { } sink)
        {
            return;
        }

        foreach (var id in burst.RemovedBookmarkIds)
        {
            sink.Removed(id);
        }

        if (ended)
        {
            return;
        }

        foreach (var bookmark in burst.AddedBookmarks)
        {
            if (bookmark.DueAt is { } due)
            {
                sink.Scheduled(bookmark.Id, record.Id, due);
            }
        }
    }

    private async Task NotifyAsync(WorkflowCommit commit, CancellationToken cancellationToken)
    {
        _listeners ??= [.. services.GetServices<IWorkflowCommitListener>()];
        foreach (var listener in _listeners)
        {
            try
            {
                await listener.OnCommittedAsync(commit, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogListenerFailed(logger, exception, commit.InstanceId);
            }
        }
    }

    private async Task<bool> ReleaseAsync(string instanceId, string token, bool checkInbox, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<WorkflowInstanceRecord>().Where(i => i.Id == instanceId && i.LeaseOwner == token);
        if (checkInbox)
        {
            query = query.Where(i => !db.Set<WorkflowInboxRecord>().Any(m => m.InstanceId == instanceId));
        }

        var released = await query.ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseOwner, (string?)null).SetProperty(i => i.LeaseExpiresAt, 0L)
            .SetProperty(i => i.BurstAttempts, 0), cancellationToken);
        if (released == 0 && !checkInbox)
        {
            throw new LeaseLostException(instanceId);
        }

        return released > 0;
    }

    private async Task TryReleaseQuietlyAsync(string instanceId, string token)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            await db.Set<WorkflowInstanceRecord>().Where(i => i.Id == instanceId && i.LeaseOwner == token)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseOwner, (string?)null).SetProperty(i => i.LeaseExpiresAt, 0L));
        }
        catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogDrainFailed(logger, exception, instanceId);
        }
    }

    private async Task DeleteInboxAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Set<WorkflowInboxRecord>().Where(m => m.InstanceId == instanceId).ExecuteDeleteAsync(cancellationToken);
    }

    // ---------------------------------------------------------------- queries

    public async Task<WorkflowInstanceDetails?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = await db.Set<WorkflowInstanceRecord>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var state = InstanceState.Deserialize(record.State);
        var journal = await db.Set<WorkflowJournalRecord>().AsNoTracking().Where(j => j.InstanceId == instanceId)
            .OrderBy(j => j.Sequence).ToListAsync(cancellationToken);
        var incidents = await db.Set<WorkflowIncidentRecord>().AsNoTracking().Where(i => i.InstanceId == instanceId)
            .OrderBy(i => i.Timestamp).ToListAsync(cancellationToken);
        return new WorkflowInstanceDetails(
            ToSummary(record),
            state.Input,
            state.Output,
            state.Variables,
            [.. state.Bookmarks.Select(b => b.ToInfo())],
            [.. journal.Select(j => new JournalEntry(j.Sequence, j.ActivityId, j.ActivityType, j.ActivityTypeVersion, j.ActivityName, j.EventName,
                j.StartedAt, j.CompletedAt, j.Outcomes is null ? [] : JsonSerializer.Deserialize<string[]>(j.Outcomes) ?? [], j.Message, j.Error))],
            [.. incidents.Select(i => new WorkflowIncident(i.Id, i.ActivityId, i.ActivityType, i.Message, i.Exception, i.Timestamp, i.ResolvedAt))]);
    }

    public async Task<PagedResult<WorkflowInstanceSummary>> ListInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var q = db.Set<WorkflowInstanceRecord>().AsNoTracking();
        if (query.DefinitionId is { Length: > 0 } definitionId)
        {
            q = q.Where(i => i.DefinitionId == definitionId);
        }

        if (query.DefinitionVersionId is { Length: > 0 } versionId)
        {
            q = q.Where(i => i.DefinitionVersionId == versionId);
        }

        if (query.CorrelationId is { Length: > 0 } correlationId)
        {
            q = q.Where(i => i.CorrelationId == correlationId);
        }

        if (query.SearchTerm is { Length: > 0 } term)
        {
            q = q.Where(i => i.Id.Contains(term) || (i.Name != null && i.Name.Contains(term)) || (i.CorrelationId != null && i.CorrelationId.Contains(term)));
        }

        if (query.Statuses is { Count: > 0 } statuses)
        {
            var names = statuses.Select(s => s.ToString()).ToList();
            q = q.Where(i => names.Contains(i.Status));
        }

        if (query.SubStatuses is { Count: > 0 } subStatuses)
        {
            var names = subStatuses.Select(s => s.ToString()).ToList();
            q = q.Where(i => names.Contains(i.SubStatus));
        }

        if (query.HasIncidents is { } hasIncidents)
        {
            q = hasIncidents ? q.Where(i => i.IncidentCount > 0) : q.Where(i => i.IncidentCount == 0);
        }

        var total = await q.LongCountAsync(cancellationToken);
        q = query.Descending ? q.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id) : q.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id);
        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        var rows = await q.Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize)
            .Select(i => new WorkflowInstanceRecord
            {
                Id = i.Id,
                DefinitionId = i.DefinitionId,
                DefinitionVersionId = i.DefinitionVersionId,
                Version = i.Version,
                Name = i.Name,
                CorrelationId = i.CorrelationId,
                Status = i.Status,
                SubStatus = i.SubStatus,
                IncidentCount = i.IncidentCount,
                CreatedAt = i.CreatedAt,
                UpdatedAt = i.UpdatedAt,
                FinishedAt = i.FinishedAt,
                State = "",
            })
            .ToListAsync(cancellationToken);
        return new PagedResult<WorkflowInstanceSummary>([.. rows.Select(ToSummary)], total);
    }

    /// <summary>
    /// Deletes an instance in any state with its journal, incidents, bookmarks, timers and queued commands, in one
    /// transaction. A running instance simply stops: an executor in the middle of a burst loses its lease with the
    /// row, so its burst is discarded (nothing of it is committed).
    /// </summary>
    public async Task<bool> DeleteInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var timers = await db.Set<WorkflowBookmarkRecord>().Where(b => b.InstanceId == instanceId && b.DueAt != null).Select(b => b.Id).ToListAsync(cancellationToken);
        var deleted = await db.Set<WorkflowInstanceRecord>().Where(i => i.Id == instanceId).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return false;
        }

        await db.Set<WorkflowJournalRecord>().Where(j => j.InstanceId == instanceId).ExecuteDeleteAsync(cancellationToken);
        await db.Set<WorkflowIncidentRecord>().Where(j => j.InstanceId == instanceId).ExecuteDeleteAsync(cancellationToken);
        await db.Set<WorkflowBookmarkRecord>().Where(j => j.InstanceId == instanceId).ExecuteDeleteAsync(cancellationToken);
        await db.Set<WorkflowInboxRecord>().Where(j => j.InstanceId == instanceId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var id in timers)
        {
            TimerSink?.Removed(id);
        }

        return true;
    }

    private static WorkflowInstanceSummary ToSummary(WorkflowInstanceRecord r) => new(
        r.Id, r.DefinitionId, r.DefinitionVersionId, r.Version, r.Name, r.CorrelationId,
        Enum.Parse<WorkflowStatus>(r.Status), Enum.Parse<WorkflowSubStatus>(r.SubStatus), r.IncidentCount,
        r.CreatedAt, r.UpdatedAt, r.FinishedAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Running workflow instance {InstanceId} failed; its lease is released for a retry")]
    private static partial void LogDrainFailed(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A burst of workflow instance {InstanceId} failed (attempt {Attempt} of {Max}); it is retried in {Delay}")]
    private static partial void LogBurstFailed(ILogger logger, Exception exception, string instanceId, int attempt, int max, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Workflow instance {InstanceId} faulted: a burst at activity {ActivityId} could not be run or stored")]
    private static partial void LogPoisonFaulted(ILogger logger, string instanceId, string activityId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The state of workflow instance {InstanceId} after activity {ActivityId} is over Workflows:MaxStateBytes; the instance faults")]
    private static partial void LogStateTooLarge(ILogger logger, string instanceId, string? activityId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow instance {InstanceId} was cancelled, deleted or taken over while this executor ran it; its burst is discarded")]
    private static partial void LogLeaseLost(ILogger logger, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the executor lease on workflow instance {InstanceId} failed; it is tried again")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A commit listener failed for workflow instance {InstanceId}")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Firing a batch of {Count} timers failed; each is fired on its own")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovered {Count} workflow instances")]
    private static partial void LogRecovered(ILogger logger, int count);

    internal static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
