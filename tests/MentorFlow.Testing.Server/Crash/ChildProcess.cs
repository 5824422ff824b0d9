using System.Diagnostics;
using System.Globalization;

namespace MentorFlow.Testing.Server.Crash;

/// <summary>
/// One replica of the server as a child process (<c>MentorFlow.Testing.CrashServer</c>, next to this assembly, run by a
/// <see cref="ServerProcess"/>): started with its settings, ready once <c>/alive</c> answers, killed with SIGKILL and
/// started again on the same port and database. Its output goes to <c>replica-N.log</c> in the run's folder.
/// </summary>
internal sealed class ChildProcess(int index, string directory, IReadOnlyDictionary<string, string?> settings) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly int _port = ServerProcess.FreePort();
    private ServerProcess? _server;
    private volatile bool _ready;
    private int _starts;

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}");

    public bool Ready => _ready && Volatile.Read(ref _server) is { HasExited: false };

    /// <summary>When it last became ready (wall clock of the harness).</summary>
    public long ReadySince { get; private set; }

    private string LogPath => Path.Combine(directory, $"replica-{index}.log");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var child = ChildPath();
        var start = new ProcessStartInfo(child.Executable) { WorkingDirectory = AppContext.BaseDirectory };
        foreach (var argument in child.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add($"{CrashChildServer.PortKey}={_port.ToString(CultureInfo.InvariantCulture)}");
        start.ArgumentList.Add($"{CrashChildServer.ParentKey}={Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"{key}={value}");
        }

        await File.AppendAllTextAsync(LogPath, $"--- start {_starts + 1} of replica {index} on port {_port}{Environment.NewLine}", cancellationToken);
        var server = ServerProcess.Start(start, LogPath);
        Volatile.Write(ref _server, server);
        _starts++;
        try
        {
            await server.WaitUntilReadyAsync(BaseAddress, StartTimeout, printed: null, cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            throw new InvalidOperationException($"replica {index} did not start (see {LogPath}): {exception.Message}", exception);
        }

        ReadySince = Stopwatch.GetTimestamp();
        _ready = true;
    }

    /// <summary>SIGKILL: no shutdown, no flush; waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        _ready = false;
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    /// <summary>The child's apphost next to this assembly (or <c>dotnet</c> with its dll).</summary>
    private static (string Executable, string[] Arguments) ChildPath()
    {
        const string Name = "MentorFlow.Testing.CrashServer";
        var host = Path.Combine(AppContext.BaseDirectory, Name);
        if (File.Exists(host))
        {
            return (host, []);
        }

        var dll = Path.Combine(AppContext.BaseDirectory, Name + ".dll");
        return File.Exists(dll)
            ? ("dotnet", [dll])
            : throw new FileNotFoundException($"{Name} is not next to {AppContext.BaseDirectory}: reference tests/{Name} from the project that runs the crash harness.");
    }
}
