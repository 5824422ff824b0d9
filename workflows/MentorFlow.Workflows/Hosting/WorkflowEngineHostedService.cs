using MentorFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MentorFlow.Workflows.Hosting;

/// <summary>
/// On start: recovers instances whose executor died mid-burst, fires overdue timers, starts the Quartz timer
/// scheduler. Then sweeps every <see cref="WorkflowEngineOptions.SweepInterval"/> (on the engine's clock).
/// </summary>
internal sealed partial class WorkflowEngineHostedService<TContext>(
    WorkflowRuntime<TContext> runtime,
    TimerScheduler<TContext> timers,
    TimeProvider clock,
    IOptions<WorkflowEngineOptions> options,
    ILogger<WorkflowEngineHostedService<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.EnableBackgroundServices)
        {
            return;
        }

        await Task.Yield();
        try
        {
            await timers.StartAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogSweepFailed(logger, exception);
        }

        // A one-shot delay per round, not a PeriodicTimer: after a long pause (or a test clock jumping months ahead)
        // the next sweep runs once and catches up by itself, instead of the timer replaying every missed tick.
        do
        {
            try
            {
                await runtime.RecoverAsync(stoppingToken);
                await runtime.FireDueTimersAsync(stoppingToken);
                await timers.LoadUpcomingAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSweepFailed(logger, exception);
            }
        }
        while (await DelayAsync(options.Value.SweepInterval, stoppingToken));
    }

    private async Task<bool> DelayAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        await Task.Delay(interval, clock, stoppingToken);
        return true;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await timers.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The workflow engine sweep failed; it runs again next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
