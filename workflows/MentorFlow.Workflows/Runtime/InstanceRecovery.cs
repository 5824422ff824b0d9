using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// Runs what no executor is running: instances whose lease expired with pending work (the executor died mid-burst, or
/// a burst's retry is due) and queued commands of instances nobody holds.
/// </summary>
internal sealed partial class InstanceRecovery<TContext>(
    IDbContextFactory<TContext> dbFactory,
    WorkflowExecutor<TContext> executor,
    TimeProvider clock,
    ILogger<InstanceRecovery<TContext>> logger)
    where TContext : DbContext
{
    /// <summary>Most instances of each kind one round recovers.</summary>
    private const int RoundSize = 1000;

    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        List<string> candidates;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var now = clock.NowMs();
            var pending = await db.Set<WorkflowInstanceRecord>().AsNoTracking()
                .Where(i => i.HasPendingWork && i.LeaseExpiresAt < now)
                .Select(i => i.Id).Take(RoundSize).ToListAsync(cancellationToken);
            var queued = await db.Set<WorkflowInboxRecord>().AsNoTracking()
                .Where(m => db.Set<WorkflowInstanceRecord>().Any(i => i.Id == m.InstanceId && i.LeaseExpiresAt < now && i.SubStatus != nameof(WorkflowSubStatus.Faulted)))
                .Select(m => m.InstanceId).Distinct().Take(RoundSize).ToListAsync(cancellationToken);
            candidates = [.. pending.Union(queued)];
        }

        var recovered = 0;
        foreach (var id in candidates)
        {
            if (await executor.TryDrainAsync(id, cancellationToken))
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovered {Count} workflow instances")]
    private static partial void LogRecovered(ILogger logger, int count);
}
