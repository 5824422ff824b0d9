using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MentorFlow.AppHost.Tests;

/// <summary>The AppHost as an operator runs it: bad input ends it with one clear line and exit code 2.</summary>
public sealed class AppHostProcessTests
{
    [Fact]
    public async Task Run_WithInvalidReplicas_ExitsWithCode2AndOneLine()
    {
        var (code, stderr) = await RunAsync("--replicas", "0");

        Assert.Equal(2, code);
        Assert.Equal("mentorflow-apphost: --replicas must be a whole number from 1 to 16 (got '0').", stderr.Trim());
    }

    [Fact]
    public async Task Run_WhenServerPortIsTaken_ExitsWithCode2NamingThePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (code, stderr) = await RunAsync("--server-port", port, "--data-dir", Path.GetTempPath());

        Assert.Equal(2, code);
        Assert.Equal($"mentorflow-apphost: port {port} (MentorFlow server) is already in use; choose another with --server-port.", stderr.Trim());
    }

    private static async Task<(int Code, string StandardError)> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "MentorFlow.AppHost.dll");
        Assert.True(File.Exists(dll), $"built AppHost not found at {dll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cancel.Token);
        await stdout;
        return (process.ExitCode, stderr);
    }
}
