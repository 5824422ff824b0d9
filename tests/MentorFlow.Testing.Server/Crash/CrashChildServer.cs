using System.Diagnostics;
using System.Globalization;
using MentorFlow.Server.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MentorFlow.Testing.Server.Crash;

/// <summary>
/// The real server (its <c>Program</c>, every module, the background services: workflow sweeps and timers, the Graph
/// outbox dispatcher) on real Kestrel, as a child process of the crash harness: its settings come from the command
/// line (<c>key=value</c>), its clock follows the harness's <see cref="SharedClock"/> file, and it runs until it is
/// killed or its parent process is gone (so a harness that dies leaves no server behind).
/// </summary>
public sealed class CrashChildServer(IReadOnlyDictionary<string, string?> settings, TimeProvider clock) : WebApplicationFactory<MentorFlowDbContext>
{
    /// <summary>Setting: the port Kestrel listens on (loopback).</summary>
    public const string PortKey = "Crash:Port";

    /// <summary>Setting: the harness's clock file.</summary>
    public const string ClockFileKey = "Crash:ClockFile";

    /// <summary>Setting: the harness's process id; the child exits when that process is gone.</summary>
    public const string ParentKey = "Crash:ParentProcessId";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(InProcessServer.ServerContentRoot());
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings.Where(s => !s.Key.StartsWith("Crash:", StringComparison.Ordinal)))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(clock);
        });
    }

    /// <summary>The child's entry point: <c>MentorFlow.Testing.CrashServer key=value …</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var settings = args.Select(a => a.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => (string?)p[1], StringComparer.Ordinal);
        if (!settings.TryGetValue(ClockFileKey, out var clockFile) || clockFile is null
            || !settings.TryGetValue(PortKey, out var portText) || !int.TryParse(portText, CultureInfo.InvariantCulture, out var port))
        {
            await Console.Error.WriteLineAsync($"usage: MentorFlow.Testing.CrashServer {ClockFileKey}=<file> {PortKey}=<port> [{ParentKey}=<pid>] [Setting:Name=value …]");
            return 2;
        }

        using var shared = SharedClock.Follow(clockFile, TimeSpan.FromMilliseconds(10));
        using var server = new CrashChildServer(settings, shared.Clock);
        server.UseKestrel(port);
        server.StartServer();
        Console.WriteLine($"crash child {Environment.ProcessId} listening on port {port}");
        var parent = settings.TryGetValue(ParentKey, out var pid) && int.TryParse(pid, CultureInfo.InvariantCulture, out var id) ? id : (int?)null;
        while (parent is null || IsAlive(parent.Value))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return 0;
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
