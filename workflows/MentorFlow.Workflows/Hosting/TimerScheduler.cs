using System.Collections.Concurrent;
using System.Threading.Channels;
using MentorFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace MentorFlow.Workflows.Hosting;

/// <summary>
/// Fires timer bookmarks on time with Quartz.NET. The database is the source of truth: Quartz (an in-memory job
/// store per replica) only says "look at bookmark X now"; firing claims the bookmark through the instance's inbox
/// (unique per bookmark) and the executor lease, so a timer fires once even when every replica schedules it.
/// Schedules are rebuilt from <c>wf_bookmarks</c> on start and every sweep (timers due within the lookahead).
/// A Quartz job only hands its timer to a firing loop, which fires whatever is due in batches (one claim, one load
/// and one commit for up to <see cref="TimerFiring{TContext}.BatchSize"/> timers): when many timers fall due
/// together the batches grow instead of the lag.
/// </summary>
internal sealed partial class TimerScheduler<TContext>(
    TimerFiring<TContext> firing,
    TimerNotifications notifications,
    TimeProvider clock,
    IOptions<WorkflowEngineOptions> options,
    ILogger<TimerScheduler<TContext>> logger) : ITimerSink, IAsyncDisposable
    where TContext : DbContext
{
    private const string BookmarkKey = "bookmarkId";
    private const string InstanceKey = "instanceId";
    private readonly ConcurrentDictionary<string, DateTimeOffset> _scheduled = new(StringComparer.Ordinal);
    private readonly Channel<(string BookmarkId, string InstanceId, DateTimeOffset DueAt)> _due =
        Channel.CreateUnbounded<(string BookmarkId, string InstanceId, DateTimeOffset DueAt)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private IScheduler? _scheduler;
    private Task? _firing;
    private int _disposed;

    private static readonly ConcurrentDictionary<string, TimerScheduler<TContext>> Owners = new(StringComparer.Ordinal);
    private string? _name;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _name = "mentorflow-timers-" + Guid.NewGuid().ToString("N");
        Owners[_name] = this;
        _scheduler = await QuartzSchedulerBuilder.Create(q =>
        {
            q.ConfigureScheduler(s => s.InstanceName = _name);
            q.UseDefaultThreadPool(options.Value.TimerThreads);
            q.UseInMemoryStore(store => store.MisfireThreshold = TimeSpan.FromSeconds(1));
            q.UseTimeProvider(clock);
        }).BuildScheduler(cancellationToken);
        _firing = Task.Run(() => FireLoopAsync(_stopping.Token), CancellationToken.None);
        await _scheduler.Start(cancellationToken);
        notifications.Sink = this;
        await LoadUpcomingAsync(cancellationToken);
    }

    /// <summary>Schedules every timer due within the lookahead that this replica has not scheduled yet.</summary>
    public async Task LoadUpcomingAsync(CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow() + options.Value.TimerLookahead;
        var due = await firing.ListDueBeforeAsync(until, 50_000, cancellationToken);
        foreach (var (id, instanceId, dueAt) in due)
        {
            Scheduled(id, instanceId, dueAt);
        }
    }

    public void Scheduled(string bookmarkId, string instanceId, DateTimeOffset dueAt)
    {
        if (_scheduler is null || dueAt > clock.GetUtcNow() + options.Value.TimerLookahead || !_scheduled.TryAdd(bookmarkId, dueAt))
        {
            return;
        }

        // Quartz runs on the engine's TimeProvider, so a due time means the same instant to both.
        var job = JobBuilder.Create<TimerJob>().WithIdentity(bookmarkId, "timers").UsingJobData(BookmarkKey, bookmarkId).UsingJobData(InstanceKey, instanceId).Build();
        var trigger = TriggerBuilder.Create(clock).WithIdentity(bookmarkId, "timers").StartAt(dueAt).Build();
        _ = ScheduleAsync(job, trigger, bookmarkId);
    }

    private async Task ScheduleAsync(IJobDetail job, ITrigger trigger, string bookmarkId)
    {
        try
        {
            await _scheduler!.ScheduleJob(job, trigger, default, CancellationToken.None);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Already scheduled here.
        }
        catch (SchedulerException exception)
        {
            _scheduled.TryRemove(bookmarkId, out _);
            LogScheduleFailed(logger, exception, bookmarkId);
        }
    }

    public void Removed(string bookmarkId)
    {
        if (_scheduler is not null && _scheduled.TryRemove(bookmarkId, out _))
        {
            _ = DeleteAsync(_scheduler, bookmarkId);
        }
    }

    private static async Task DeleteAsync(IScheduler scheduler, string bookmarkId)
    {
        try
        {
            await scheduler.DeleteJob(new JobKey(bookmarkId, "timers"), CancellationToken.None);
        }
        catch (SchedulerException)
        {
            // Already fired or the scheduler is shutting down: firing a removed bookmark is a no-op anyway.
        }
    }

    internal void Due(string bookmarkId, string instanceId)
    {
        if (_scheduled.TryGetValue(bookmarkId, out var dueAt))
        {
            _due.Writer.TryWrite((bookmarkId, instanceId, dueAt));
        }
    }

    private async Task FireLoopAsync(CancellationToken cancellationToken)
    {
        var batch = new List<(string BookmarkId, string InstanceId)>(TimerFiring<TContext>.BatchSize);
        try
        {
            while (await _due.Reader.WaitToReadAsync(cancellationToken))
            {
                batch.Clear();
                var latest = DateTimeOffset.MinValue;
                while (batch.Count < TimerFiring<TContext>.BatchSize && _due.Reader.TryRead(out var timer))
                {
                    batch.Add((timer.BookmarkId, timer.InstanceId));
                    latest = timer.DueAt > latest ? timer.DueAt : latest;
                }

                // Quartz fires a trigger up to a few milliseconds before its time; a timer handed over early would
                // not be due yet and would wait for the next sweep, so wait for the due time here.
                var early = latest - clock.GetUtcNow();
                if (early > TimeSpan.Zero)
                {
                    await Task.Delay(early + TimeSpan.FromMilliseconds(1), clock, cancellationToken);
                }

                try
                {
                    await firing.FireAsync(batch, cancellationToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogFireFailed(logger, exception, batch.Count);
                }
                finally
                {
                    foreach (var (bookmarkId, _) in batch)
                    {
                        _scheduled.TryRemove(bookmarkId, out _);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: timers not fired yet are still due in the database.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        notifications.Sink = null;
        if (_name is not null)
        {
            Owners.TryRemove(_name, out _);
        }

        if (_scheduler is { } scheduler)
        {
            _scheduler = null;
            await scheduler.Shutdown(false, CancellationToken.None);
        }

        _due.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_firing is { } firing)
        {
            await firing;
        }

        _stopping.Dispose();
    }

    /// <summary>Created by Quartz per firing; finds its scheduler's owner by scheduler name.</summary>
    private sealed class TimerJob : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        {
            if (Owners.TryGetValue(context.Scheduler.SchedulerName, out var owner)
                && context.MergedJobDataMap.TryGetValue(BookmarkKey, out var value) && value is string bookmarkId
                && context.MergedJobDataMap.TryGetValue(InstanceKey, out var instance) && instance is string instanceId)
            {
                owner.Due(bookmarkId, instanceId);
            }

            return ValueTask.CompletedTask;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not schedule timer {BookmarkId}; the sweep will fire it")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception, string bookmarkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Firing {Count} due timers failed; the sweep retries them")]
    private static partial void LogFireFailed(ILogger logger, Exception exception, int count);
}
