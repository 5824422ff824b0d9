using Microsoft.Extensions.Logging;

namespace MentorFlow.Testing.Server.Crash;

/// <summary>
/// Hands the warnings and errors of an in-process component (the harness's Graph sandbox) to the harness's own log,
/// with their exceptions, so that a request the sandbox failed during a crash run is in the run's output.
/// </summary>
internal sealed class HarnessLogger<T>(Action<string> log) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            log($"{typeof(T).Name} {logLevel}: {formatter(state, exception)}{(exception is null ? string.Empty : Environment.NewLine + exception)}");
        }
    }
}
