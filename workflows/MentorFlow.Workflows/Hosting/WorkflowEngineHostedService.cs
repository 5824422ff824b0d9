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

        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
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
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await timers.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The workflow engine sweep failed; it runs again next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
