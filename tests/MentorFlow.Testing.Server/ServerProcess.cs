using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MentorFlow.Testing.Server;

/// <summary>
/// A server running as a child process of a harness (the crash harness's replicas, the poison runner's server): started
/// from a <see cref="ProcessStartInfo"/> with its output kept (the last 64 K characters, and every line in a log file
/// when one is given), ready once <c>/alive</c> answers, ended with SIGKILL (no shutdown code runs, like a crash), and
/// its resident memory read from <c>/proc</c>.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>What <c>StartupGuard</c> prints before a server that cannot start exits.</summary>
    public const string StartupErrorPrefix = "mentorflow-server: ";

    private const int MaxOutputChars = 64 * 1024;
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StreamWriter? _log;

    private ServerProcess(Process process, StreamWriter? log)
    {
        _process = process;
        _log = log;
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>What the process printed so far (the last 64 K characters).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the process (its standard output and error redirected); every line also goes to <paramref name="logPath"/>
    /// when given (appended, so one file can follow a replica across restarts).
    /// </summary>
    public static ServerProcess Start(ProcessStartInfo start, string? logPath = null)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var log = logPath is null ? null : new StreamWriter(logPath, append: true) { AutoFlush = true };
        var server = new ServerProcess(new Process { StartInfo = start }, log);
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        try
        {
            server._process.Start();
        }
        catch
        {
            log?.Dispose();
            server._process.Dispose();
            throw;
        }

        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>
    /// Waits until <c>GET /alive</c> at <paramref name="baseAddress"/> answers 200 and, when given, <paramref name="printed"/>
    /// holds for the output. Fails at once when the process exits or prints a start-up error, and after
    /// <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitUntilReadyAsync(Uri baseAddress, TimeSpan timeout, Func<string, bool>? printed, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            while (true)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"the server exited with code {_process.ExitCode} while starting:\n{Tail()}");
                }

                var output = Output;
                if (output.Contains(StartupErrorPrefix, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"the server could not start:\n{Tail()}");
                }

                if ((printed is null || printed(output)) && await AliveAsync(http, deadline.Token))
                {
                    return;
                }

                await Task.Delay(50, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the server did not answer /alive{(printed is null ? "" : " with what it must print")} within {timeout.TotalSeconds:0} s:\n{Tail()}");
        }
    }

    /// <summary>The last lines of <see cref="Output"/>.</summary>
    public string Tail(int lines = 40) => string.Join('\n', Output.Split('\n').TakeLast(lines));

    /// <summary>Resident memory now (<c>VmRSS</c>), or null once the process is gone.</summary>
    public long? ResidentBytes() => StatusValue("VmRSS:");

    /// <summary>The highest resident memory since the start or the last <see cref="ResetPeak"/> (<c>VmHWM</c>).</summary>
    public long? PeakResidentBytes() => StatusValue("VmHWM:");

    /// <summary>Resets <c>VmHWM</c> to the current resident memory (<c>/proc/PID/clear_refs</c>, needs the same user).</summary>
    public bool ResetPeak()
    {
        try
        {
            File.WriteAllText($"/proc/{ProcessId.ToString(CultureInfo.InvariantCulture)}/clear_refs", "5");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Waits for the process to end by itself, at most <paramref name="timeout"/>; its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL (the process and any it started), then waits, at most 30 s, until it is gone and its output read.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(ExitWait);
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (OperationCanceledException)
        {
            // Left to the OS.
        }

        _process.Dispose();
        if (_log is not null)
        {
            lock (_output)
            {
                _log.Dispose();
            }
        }
    }

    /// <summary>A loopback port free at the time of asking.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AliveAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("/alive", UriKind.Relative), cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // the probe's own 5 s timeout
        }
    }

    private long? StatusValue(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{ProcessId.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var kilobytes = line[field.Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The process is gone.
        }

        return null;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > MaxOutputChars)
            {
                _output.Remove(0, _output.Length - MaxOutputChars);
            }

            try
            {
                _log?.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A line read after the process was disposed.
            }
        }
    }
}
