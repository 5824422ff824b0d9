using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace MentorFlow.Testing.Server.Crash;

/// <summary>
/// One replica of the server as a child process (<c>MentorFlow.Testing.CrashServer</c>, next to this assembly): started
/// with its settings, ready once <c>/alive</c> answers, killed with SIGKILL (<see cref="Process.Kill()"/> on Unix) and
/// started again on the same port and database. Its output goes to <c>replica-N.log</c> in the run's folder.
/// </summary>
internal sealed class ChildProcess(int index, string directory, IReadOnlyDictionary<string, string?> settings) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Lock _gate = new();
    private Process? _process;
    private volatile bool _ready;

    public int Index => index;

    public int Port { get; } = FreePort();

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public bool Ready => _ready;

    /// <summary>When it last became ready (wall clock of the harness).</summary>
    public long ReadySince { get; private set; }

    public int Starts { get; private set; }

    public string LogPath => Path.Combine(directory, $"replica-{index}.log");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var child = ChildPath();
        var start = new ProcessStartInfo(child.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in child.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add($"{CrashChildServer.PortKey}={Port.ToString(CultureInfo.InvariantCulture)}");
        start.ArgumentList.Add($"{CrashChildServer.ParentKey}={Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"{key}={value}");
        }

        var log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        await log.WriteLineAsync($"--- start {Starts + 1} of replica {index} on port {Port}");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Exited += (_, _) =>
        {
            lock (_gate)
            {
                if (ReferenceEquals(_process, process))
                {
                    _ready = false;
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_gate)
        {
            _process = process;
        }

        Starts++;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"replica {index} exited with code {process.ExitCode} while starting; see {LogPath}:\n{Tail()}");
            }

            if (waited.ElapsedMilliseconds / 1000 != (waited.ElapsedMilliseconds - 50) / 1000 && Tail(5).Contains("mentorflow-server: ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"replica {index} could not start; see {LogPath}:\n{Tail()}");
            }

            if (waited.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"replica {index} did not answer /alive within {StartTimeout.TotalSeconds:0} s; see {LogPath}:\n{Tail()}");
            }

            try
            {
                using var response = await _probe.GetAsync(new Uri(BaseAddress, "/alive"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(50, cancellationToken);
        }

        ReadySince = Stopwatch.GetTimestamp();
        _ready = true;
    }

    /// <summary>SIGKILL: no shutdown, no flush; waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
            _process = null;
        }

        _ready = false;
        if (process is null)
        {
            return;
        }

        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    public string Tail(int lines = 40)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _probe.Dispose();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

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

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
