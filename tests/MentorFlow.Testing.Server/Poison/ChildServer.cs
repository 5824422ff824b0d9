using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace MentorFlow.Testing.Server.Poison;

/// <summary>
/// The built server as a child process, as a developer runs it: Development environment on its own SQLite data
/// folder, a free port, the Graph sandbox on a free port, and the manager key the server generates and prints once.
/// Reads the process's resident memory from <c>/proc</c>.
/// </summary>
public sealed partial class ChildServer : IAsyncDisposable
{
    private const int MaxOutputChars = 64 * 1024;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildServer(Process process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The Development manager key the server printed when it started.</summary>
    public string ManagerKey { get; private set; } = "";

    /// <summary>What the server printed so far (the last 64 K characters).</summary>
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
    /// The server's own build output (<c>workflows/MentorFlow.Server/bin/&lt;configuration&gt;/&lt;framework&gt;</c>, found
    /// from this assembly's folder), so it runs with exactly the packages it was built with; else the copy beside this
    /// assembly.
    /// </summary>
    public static string FindServerDll()
    {
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = baseDirectory.Name;
        var configuration = baseDirectory.Parent?.Name;
        for (var directory = baseDirectory; directory is not null && configuration is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MentorFlow.sln")))
            {
                var own = Path.Combine(directory.FullName, "workflows", "MentorFlow.Server", "bin", configuration, framework, "MentorFlow.Server.dll");
                if (File.Exists(own))
                {
                    return own;
                }

                break;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "MentorFlow.Server.dll");
    }

    /// <summary>Starts the server and waits until <c>/alive</c> answers and the manager key was printed.</summary>
    public static async Task<ChildServer> StartAsync(string serverDll, IReadOnlyDictionary<string, string> settings, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!File.Exists(serverDll))
        {
            throw new FileNotFoundException($"built server not found at {serverDll}; build tests/MentorFlow.Benchmarks or the solution first", serverDll);
        }

        var dataDirectory = Directory.CreateTempSubdirectory("mentorflow-child-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(serverDll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        start.Environment["ConnectionStrings__mentorflow"] = $"Data Source={Path.Combine(dataDirectory, "mentorflow.db")}";
        start.Environment["GraphSandbox__Port"] = "0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var child = new ChildServer(Process.Start(start)!, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), dataDirectory);
        try
        {
            await child.WaitUntilReadyAsync(timeout, cancellationToken);
            return child;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    public HttpClient CreateManagerClient(TimeSpan timeout)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = timeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", ManagerKey);
        return client;
    }

    /// <summary>Resident memory now (<c>VmRSS</c>), or null once the process is gone.</summary>
    public long? ResidentBytes() => StatusValue("VmRSS:");

    /// <summary>The highest resident memory since the last <see cref="ResetPeak"/> (<c>VmHWM</c>).</summary>
    public long? PeakResidentBytes() => StatusValue("VmHWM:");

    /// <summary>Resets <c>VmHWM</c> to the current resident memory (<c>/proc/PID/clear_refs</c>, needs the same user).</summary>
    public bool ResetPeak()
    {
        try
        {
            File.WriteAllText($"/proc/{ProcessId.ToString(CultureInfo.InvariantCulture)}/clear_refs", "5");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // Left to the OS; the data folder is removed below as far as possible.
            }
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the OS.
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            while (true)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"the server exited with code {_process.ExitCode} while starting:\n{Output}");
                }

                if (KeyLine().Match(Output) is { Success: true } match)
                {
                    ManagerKey = match.Groups["key"].Value;
                    if (await AliveAsync(http, deadline.Token))
                    {
                        return;
                    }
                }

                await Task.Delay(100, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the server did not answer /alive with its manager key printed within {timeout}:\n{Output}");
        }
    }

    private static async Task<bool> AliveAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("alive", UriKind.Relative), cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
        }
    }

    [GeneratedRegex(@"Development manager API key \(shown once, store it\): (?<key>\S+)")]
    private static partial Regex KeyLine();
}
