using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MentorFlow.AppHost;

/// <summary>
/// Tells the operator on the console what otherwise only the dashboard shows: when each server replica becomes
/// healthy (and how long it took), and when a resource stops — with its last log lines, so a configuration error
/// of the server is read in the terminal, not hunted for.
/// </summary>
internal static class ResourceWatcher
{
    public static Task WatchAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        var started = Stopwatch.StartNew();
        var healthy = new HashSet<string>(StringComparer.Ordinal);
        var stopped = new HashSet<string>(StringComparer.Ordinal);
        return Task.Run(async () =>
        {
            try
            {
                await foreach (var update in notifications.WatchAsync(cancellationToken))
                {
                    if (update.Resource.Name is not ("server" or "postgres"))
                    {
                        continue;
                    }

                    var state = update.Snapshot.State?.Text;
                    if (update.Snapshot.HealthStatus == HealthStatus.Healthy && state == KnownResourceStates.Running && healthy.Add(update.ResourceId))
                    {
                        Console.WriteLine($"  {update.ResourceId} is healthy after {started.Elapsed.TotalSeconds:0.0} s");
                    }
                    else if (state is not null && (state == KnownResourceStates.Exited || state == KnownResourceStates.FailedToStart || state == KnownResourceStates.Finished)
                        && !cancellationToken.IsCancellationRequested && stopped.Add(update.ResourceId))
                    {
                        await Console.Error.WriteLineAsync(
                            $"mentorflow-apphost: {update.ResourceId} stopped ({state}, exit code {update.Snapshot.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}); its last lines:");
                        var lines = new List<string>();
                        await foreach (var batch in logs.GetAllAsync(update.ResourceId).WithCancellation(cancellationToken))
                        {
                            lines.AddRange(batch.Select(line => line.Content));
                        }

                        // The line that says what went wrong first, then the last few lines for context.
                        var cause = lines.FirstOrDefault(line => line.Contains("mentorflow-server:", StringComparison.Ordinal)
                            || line.Contains("Unhandled exception", StringComparison.Ordinal));
                        foreach (var line in (cause is null ? [] : new[] { cause }).Concat(lines.TakeLast(6)).Distinct())
                        {
                            await Console.Error.WriteLineAsync("    " + line);
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // shutting down
            }
        }, cancellationToken);
    }
}
