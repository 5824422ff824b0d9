using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace MentorFlow.Testing.Server.Poison;

/// <summary>
/// The built server as a child process (a <see cref="ServerProcess"/>), as a developer runs it: Development environment
/// on its own SQLite data folder, a free port, the Graph sandbox on a free port, and the manager key the server
/// generates and prints once.
/// </summary>
public sealed partial class ChildServer : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private ChildServer(ServerProcess process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public int ProcessId => _process.ProcessId;

    public bool HasExited => _process.HasExited;

    /// <summary>The Development manager key the server printed when it started.</summary>
    public string ManagerKey { get; private set; } = "";

    /// <summary>What the server printed so far (the last 64 K characters).</summary>
    public string Output => _process.Output;

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
        var port = ServerProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = dataDirectory };
        start.ArgumentList.Add(serverDll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ConnectionStrings__mentorflow"] = $"Data Source={Path.Combine(dataDirectory, "mentorflow.db")}";
        start.Environment["GraphSandbox__Port"] = "0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var child = new ChildServer(ServerProcess.Start(start), new Uri($"http://127.0.0.1:{port}/"), dataDirectory);
        try
        {
            await child._process.WaitUntilReadyAsync(child.BaseAddress, timeout, output => KeyLine().IsMatch(output), cancellationToken);
            child.ManagerKey = KeyLine().Match(child.Output).Groups["key"].Value;
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
    public long? ResidentBytes() => _process.ResidentBytes();

    /// <summary>The highest resident memory since the last <see cref="ResetPeak"/> (<c>VmHWM</c>).</summary>
    public long? PeakResidentBytes() => _process.PeakResidentBytes();

    /// <summary>Resets <c>VmHWM</c> to the current resident memory.</summary>
    public bool ResetPeak() => _process.ResetPeak();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the OS.
        }
    }

    [GeneratedRegex(@"Development manager API key \(shown once, store it\): (?<key>\S+)")]
    private static partial Regex KeyLine();
}
