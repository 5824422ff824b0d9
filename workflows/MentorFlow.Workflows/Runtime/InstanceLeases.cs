using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// The executor lease on instances (<c>wf_instances.lease_owner/lease_expires_at</c>): claimed with a conditional
/// UPDATE (free or expired), renewed while an executor works, released when nothing is left to do. Every claim counts
/// an attempt in <c>burst_attempts</c>, which a commit or a release resets.
/// </summary>
internal sealed partial class InstanceLeases<TContext>(
    IDbContextFactory<TContext> dbFactory,
    TimeProvider clock,
    IOptions<WorkflowEngineOptions> options,
    ILogger<InstanceLeases<TContext>> logger)
    where TContext : DbContext
{
    /// <summary>The lease duration in milliseconds (<see cref="WorkflowEngineOptions.LeaseDuration"/>).</summary>
    public long DurationMs { get; } = (long)options.Value.LeaseDuration.TotalMilliseconds;

    /// <summary>Claims one instance for <paramref name="token"/> if no live lease is held on it.</summary>
    public async Task<bool> TryClaimAsync(string instanceId, string token, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.NowMs();
        var claimed = await db.Set<WorkflowInstanceRecord>()
            .Where(i => i.Id == instanceId && (i.LeaseOwner == null || i.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseOwner, token).SetProperty(i => i.LeaseExpiresAt, now + DurationMs)
                .SetProperty(i => i.BurstAttempts, i => i.BurstAttempts + 1), cancellationToken);
        return claimed > 0;
    }

    /// <summary>Claims every free instance of <paramref name="instanceIds"/> in one statement and loads the claimed rows.</summary>
    public async Task<List<WorkflowInstanceRecord>> ClaimAsync(IReadOnlyList<string> instanceIds, string token, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.NowMs();
        var until = now + DurationMs;
        await db.Set<WorkflowInstanceRecord>()
            .Where(i => instanceIds.Contains(i.Id) && (i.LeaseOwner == null || i.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseOwner, token).SetProperty(i => i.LeaseExpiresAt, until)
                .SetProperty(i => i.BurstAttempts, i => i.BurstAttempts + 1), cancellationToken);
        return await db.Set<WorkflowInstanceRecord>().AsNoTracking().Where(i => instanceIds.Contains(i.Id) && i.LeaseOwner == token).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Takes the lease of a running or faulted instance from whoever holds it (cancel): an executor in the middle of a
    /// burst then cannot commit. False when the instance is not running or faulted.
    /// </summary>
    public async Task<bool> TakeAsync(string instanceId, string token, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var until = clock.NowMs() + DurationMs;
        var taken = await db.Set<WorkflowInstanceRecord>()
            .Where(i => i.Id == instanceId && (i.Status == nameof(WorkflowStatus.Running) || i.SubStatus == nameof(WorkflowSubStatus.Faulted)))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseOwner, token).SetProperty(i => i.LeaseExpiresAt, until), cancellationToken);
        return taken > 0;
    }

    /// <summary>
    /// Releases the lease; with <paramref name="checkInbox"/> only when no command is queued (checked in the same
    /// statement), false otherwise. Without it a lease found gone throws <see cref="LeaseLostException"/>.
    /// </summary>
    public async Task<bool> ReleaseAsync(string instanceId, string token, bool checkInbox, CancellationToken cancellationToken)
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

    /// <summary>Releases the lease after a failure, keeping the attempt count; a failure to do so is logged (it expires).</summary>
    public async Task ReleaseQuietlyAsync(string instanceId, string token)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            await db.Set<WorkflowInstanceRecord>().Where(i => i.Id == instanceId && i.LeaseOwner == token)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseOwner, (string?)null).SetProperty(i => i.LeaseExpiresAt, 0L));
        }
        catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogReleaseFailed(logger, exception, instanceId);
        }
    }

    /// <summary>Releases the lease with its expiry at <paramref name="retryAtMs"/>, so recovery waits until then.</summary>
    public async Task ReleaseUntilAsync(string instanceId, string token, long retryAtMs, int attempts, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Set<WorkflowInstanceRecord>()
            .Where(i => i.Id == instanceId && i.LeaseOwner == token)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseOwner, (string?)null).SetProperty(i => i.LeaseExpiresAt, retryAtMs)
                .SetProperty(i => i.BurstAttempts, attempts), cancellationToken);
    }

    /// <summary>Keeps the lease on <paramref name="instanceIds"/> alive until the renewal is disposed.</summary>
    public LeaseRenewal Renew(IReadOnlyList<string> instanceIds, string token, CancellationToken cancellationToken) =>
        new(ct => RenewAsync(instanceIds, token, ct), TimeSpan.FromMilliseconds(Math.Max(1, DurationMs / 3)), clock, logger, instanceIds, cancellationToken);

    /// <summary>Extends the lease on the given instances if this executor still holds at least one of them.</summary>
    private async Task<bool> RenewAsync(IReadOnlyList<string> instanceIds, string token, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var until = clock.NowMs() + DurationMs;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Running workflow instance {InstanceId} failed; its lease is released for a retry")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string instanceId);
}
