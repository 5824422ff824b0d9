using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// Fires timer bookmarks, one or many by the same path: one UPDATE claims every free instance, one SELECT loads them;
/// an instance held by another executor gets the resume queued in its inbox (one per bookmark). A timer resumes only
/// if its bookmark is still in the committed state and due, so it fires once however many replicas fire it; a crash
/// before the commit loses nothing (the bookmark is still due and fires again).
/// </summary>
internal sealed partial class TimerFiring<TContext>(
    IDbContextFactory<TContext> dbFactory,
    InstanceLeases<TContext> leases,
    InstanceLoader<TContext> loader,
    WorkflowInbox<TContext> inbox,
    WorkflowExecutor<TContext> executor,
    BurstCommitter<TContext> commits,
    TimeProvider clock,
    IOptions<WorkflowEngineOptions> options,
    ILogger<TimerFiring<TContext>> logger)
    where TContext : DbContext
{
    /// <summary>Most timers fired in one batch (one claim, one load, one commit).</summary>
    public const int BatchSize = 100;

    /// <summary>How many due timers one round of <see cref="FireDueAsync"/> reads.</summary>
    private const int SweepSize = 500;

    public async Task<bool> FireAsync(string bookmarkId, CancellationToken cancellationToken)
    {
        string? instanceId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var now = clock.NowMs();
            instanceId = await db.Set<WorkflowBookmarkRecord>().AsNoTracking()
                .Where(b => b.Id == bookmarkId && b.DueAt != null && b.DueAt <= now).Select(b => b.InstanceId).FirstOrDefaultAsync(cancellationToken);
        }

        return instanceId is not null && await FireAsync([(bookmarkId, instanceId)], cancellationToken) > 0;
    }

    /// <summary>Fires every timer due now, oldest first, in batches of <see cref="BatchSize"/>; returns how many resumed.</summary>
    public async Task<int> FireDueAsync(CancellationToken cancellationToken)
    {
        var fired = 0;
        while (true)
        {
            List<(string BookmarkId, string InstanceId)> due;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var now = clock.NowMs();
                due = [.. (await db.Set<WorkflowBookmarkRecord>().AsNoTracking()
                    .Where(b => b.DueAt != null && b.DueAt <= now)
                    .OrderBy(b => b.DueAt).Select(b => new { b.Id, b.InstanceId }).Take(SweepSize).ToListAsync(cancellationToken))
                    .Select(b => (b.Id, b.InstanceId))];
            }

            var batch = 0;
            foreach (var chunk in due.Chunk(BatchSize))
            {
                batch += await FireAsync(chunk, cancellationToken);
            }

            fired += batch;
            if (due.Count < SweepSize || batch == 0)
            {
                return fired;
            }
        }
    }

    /// <summary>Timer bookmarks due at or before <paramref name="until"/>, soonest first.</summary>
    public async Task<IReadOnlyList<(string Id, string InstanceId, DateTimeOffset DueAt)>> ListDueBeforeAsync(DateTimeOffset until, int max, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var limit = until.ToUnixTimeMilliseconds();
        var rows = await db.Set<WorkflowBookmarkRecord>().AsNoTracking()
            .Where(b => b.DueAt != null && b.DueAt <= limit)
            .OrderBy(b => b.DueAt).Take(max).Select(b => new { b.Id, b.InstanceId, b.DueAt }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Id, r.InstanceId, DateTimeOffset.FromUnixTimeMilliseconds(r.DueAt!.Value)))];
    }

    /// <summary>
    /// Fires timers; returns how many resumed or were queued. The claimed instances whose timers are a plain resume
    /// (running, nothing pending, not faulted) run their bursts in memory and commit in one transaction when there are
    /// two or more of them; every other instance (one alone, faulted, finished, with pending work, its timer gone) is
    /// drained on its own, the resume queued first. If anything in a batch fails before its commit, nothing of it is
    /// committed and each of its timers is fired again on its own.
    /// </summary>
    public async Task<int> FireAsync(IReadOnlyList<(string BookmarkId, string InstanceId)> timers, CancellationToken cancellationToken)
    {
        if (timers.Count == 0)
        {
            return 0;
        }

        var byInstance = timers.GroupBy(t => t.InstanceId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(t => t.BookmarkId).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var ids = byInstance.Keys.ToList();
        var token = clock.NewId();
        var claimed = await leases.ClaimAsync(ids, token, cancellationToken);
        var fired = 0;

        // Held elsewhere (or gone): the resume is queued for the executor that holds it.
        foreach (var instanceId in ids.Except(claimed.Select(c => c.Id), StringComparer.Ordinal))
        {
            foreach (var bookmarkId in byInstance[instanceId])
            {
                fired += await QueueAsync(instanceId, bookmarkId, cancellationToken) ? 1 : 0;
            }
        }

        var batch = new List<(HeldInstance Held, List<BookmarkState> Due)>();
        var alone = new List<(HeldInstance Held, List<BookmarkState> Due)>();
        var ran = new List<RanBurst>();
        // A batch's leases are renewed while its bursts run and until every instance of it is drained.
        await using var lease = claimed.Count > 1 ? leases.Renew([.. claimed.Select(c => c.Id)], token, cancellationToken) : null;
        try
        {
            var nowMs = clock.NowMs();
            foreach (var record in claimed)
            {
                var held = await loader.ToHeldAsync(record, cancellationToken);
                var due = held.State.Bookmarks.Where(b => IsDue(b, nowMs) && byInstance[record.Id].Contains(b.Id)).ToList();
                (IsPlainResume(held, due) ? batch : alone).Add((held, due));
            }

            if (batch.Count < 2)
            {
                alone.AddRange(batch);
                batch.Clear();
            }

            foreach (var (held, due) in batch)
            {
                QueueWork(held, due);
                ran.Add(await executor.RunBurstAsync(held, token, null, null, lease!.Token));
            }

            if (ran.Count > 0)
            {
                await commits.CommitAsync(ran, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            foreach (var burst in ran)
            {
                await burst.DisposeAsync();
            }

            foreach (var record in claimed)
            {
                await leases.ReleaseQuietlyAsync(record.Id, token);
            }

            if (timers.Count < 2)
            {
                throw;
            }

            LogBatchFailed(logger, exception, timers.Count);
            foreach (var record in claimed)
            {
                foreach (var bookmarkId in byInstance[record.Id])
                {
                    fired += await FireAsync([(bookmarkId, record.Id)], cancellationToken);
                }
            }

            return fired;
        }

        fired += batch.Sum(b => b.Due.Count);
        foreach (var burst in ran)
        {
            try
            {
                await using (burst)
                {
                    await commits.CompleteAsync(burst, cancellationToken);
                }

                if (!burst.Released)
                {
                    await executor.DrainHeldAsync(burst.Held.Record.Id, token, cancellationToken, burst.Held);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Committed already; the drain released the lease and recovery picks up what is left.
                LogDrainFailed(logger, exception, burst.Held.Record.Id);
            }
        }

        foreach (var (held, due) in alone)
        {
            fired += await ResumeAloneAsync(held, due, token, cancellationToken);
        }

        return fired;
    }

    /// <summary>
    /// Resumes the due timers of one claimed instance and drains it: a faulted instance gets them queued in its inbox
    /// (delivered after the incident is retried), any other has them queued as work.
    /// </summary>
    private async Task<int> ResumeAloneAsync(HeldInstance held, List<BookmarkState> due, string token, CancellationToken cancellationToken)
    {
        var instanceId = held.Record.Id;
        var resumed = 0;
        try
        {
            if (held.SubStatus == WorkflowSubStatus.Faulted)
            {
                foreach (var bookmark in due)
                {
                    resumed += await inbox.TryEnqueueAsync(instanceId, InboxKinds.Resume, bookmark.Id, null, null, null, cancellationToken) ? 1 : 0;
                }
            }
            else
            {
                QueueWork(held, due);
                resumed = due.Count;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await leases.ReleaseQuietlyAsync(instanceId, token);
            throw;
        }

        await executor.DrainHeldAsync(instanceId, token, cancellationToken, held);
        return resumed;
    }

    /// <summary>Queues the resume in the inbox of an instance another executor holds, and drains it if that one let go.</summary>
    private async Task<bool> QueueAsync(string instanceId, string bookmarkId, CancellationToken cancellationToken)
    {
        var queued = await inbox.TryEnqueueAsync(instanceId, InboxKinds.Resume, bookmarkId, null, null, null, cancellationToken);
        await executor.TryDrainAsync(instanceId, cancellationToken);
        return queued;
    }

    /// <summary>
    /// A resume that needs nothing but its burst: the instance runs, has nothing pending, has not failed a burst too
    /// often and still has a due timer. Anything else is drained on its own, which knows each of those cases.
    /// </summary>
    private bool IsPlainResume(HeldInstance held, List<BookmarkState> due) =>
        held.Flowchart is not null && held.Status != WorkflowStatus.Finished && held.State.Fault is null && held.State.Queue.Count == 0
        && due.Count > 0 && held.Attempts <= options.Value.MaxBurstFailures;

    private static void QueueWork(HeldInstance held, List<BookmarkState> due)
    {
        foreach (var bookmark in due)
        {
            held.State.Queue.Add(new WorkItem { ActivityId = bookmark.ActivityId, Resume = true, BookmarkId = bookmark.Id });
        }
    }

    /// <summary>
    /// Due at the millisecond, as <c>wf_bookmarks.DueAt</c> stores it: the scheduler and the sweep find timers by that
    /// column, so the state's finer due time must not make a timer they hand over look early.
    /// </summary>
    private static bool IsDue(BookmarkState bookmark, long nowMs) =>
        bookmark.DueAt is { } dueAt && dueAt.ToUnixTimeMilliseconds() <= nowMs;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Firing a batch of {Count} timers failed; each is fired on its own")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Running workflow instance {InstanceId} failed; its lease is released for a retry")]
    private static partial void LogDrainFailed(ILogger logger, Exception exception, string instanceId);
}
