using System.Diagnostics;
using System.Text;

namespace MentorFlow.Graph.Tests.Infrastructure;

/// <summary>The built server as a real child process (as an operator runs it), which a test can kill outright.</summary>
public sealed class ServerChild : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerChild(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

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

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ServerChild Start(IDictionary<string, string> environment, string workDirectory)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "MentorFlow.Server.dll");
        Assert.True(File.Exists(dll), $"built server not found at {dll}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Mentoring__Links__SigningKey"] = "graph-tests-signing-key-0123456789abcdef";
        start.Environment["Mentoring__Links__PublicBaseUrl"] = "http://localhost";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new ServerChild(Process.Start(start)!);
    }

    /// <summary>Ends the process at once (SIGKILL): no shutdown code runs, like a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancellation.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
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
        }
    }
}
