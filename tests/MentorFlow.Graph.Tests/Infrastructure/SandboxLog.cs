using System.Collections.Concurrent;
using MentorFlow.Graph.Sandbox;
using Microsoft.Extensions.Logging;

namespace MentorFlow.Graph.Tests.Infrastructure;

/// <summary>One entry of a <see cref="SandboxLog"/>.</summary>
public sealed record SandboxLogEntry(DateTimeOffset At, LogLevel Level, string Message, Exception? Exception)
{
    public override string ToString() =>
        $"{At:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {Level}: {Message}{(Exception is null ? string.Empty : Environment.NewLine + Exception)}";
}

/// <summary>
/// The logger a test sandbox runs with: every entry is kept for the test (<see cref="Entries"/>, <see cref="Errors"/>),
/// and warnings and errors, with their exceptions, are appended to <see cref="FilePath"/> (one file per test process,
/// under <c>$MENTORFLOW_ARTIFACTS/sandbox-logs</c>, which CI keeps, or <c>sandbox-logs</c> beside the test assembly).
/// </summary>
public sealed class SandboxLog : ILogger<GraphSandboxHost>
{
    private static readonly Lock FileGate = new();
    private readonly ConcurrentQueue<SandboxLogEntry> _entries = new();

    /// <summary>The file this test process's sandboxes write their warnings and errors to.</summary>
    public static string FilePath { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("MENTORFLOW_ARTIFACTS") is { Length: > 0 } artifacts ? artifacts : AppContext.BaseDirectory,
        "sandbox-logs",
        $"graph-sandbox-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");

    /// <summary>Names the sandbox in the file (its origin once it listens).</summary>
    public string Source { get; set; } = "sandbox";

    public IReadOnlyList<SandboxLogEntry> Entries => [.. _entries];

    public IReadOnlyList<SandboxLogEntry> Errors => [.. _entries.Where(e => e.Level >= LogLevel.Error)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var entry = new SandboxLogEntry(TimeProvider.System.GetUtcNow(), logLevel, formatter(state, exception), exception);
        _entries.Enqueue(entry);
        if (logLevel < LogLevel.Warning)
        {
            return;
        }

        Append(entry.ToString());
    }

    /// <summary>Notes in the file that the test expected the errors logged so far.</summary>
    public void MarkErrorsExpected(int count) => Append($"the {count} error(s) above were expected by the test");

    private void Append(string line)
    {
        lock (FileGate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            File.AppendAllText(FilePath, $"[{Source}] {line}{Environment.NewLine}");
        }
    }
}
