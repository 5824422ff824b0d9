using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MentorFlow.AppHost;

/// <summary>
/// Debian's PostgreSQL server as an Aspire executable resource (no container engine needed): the cluster lives in
/// <c>{data}/postgres</c>, is initialised on first use (trust auth, loopback only) and runs as the non-root user
/// <c>postgres</c> when the AppHost runs as root (the server refuses to run as root).
/// </summary>
internal static class DebianPostgres
{
    public static IResourceBuilder<ExecutableResource> AddDebianPostgres(
        this IDistributedApplicationBuilder builder, AppHostOptions options)
    {
        var bin = FindBinaries()
            ?? throw new AppHostOptionsException(
                "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: install them with 'apt-get install -y postgresql', or use --postgres-connection.");
        AppHostOptions.EnsurePortFree(options.PostgresPort, "PostgreSQL", "--postgres-port");

        var root = Path.Combine(options.DataDirectory, "postgres");
        var cluster = Path.Combine(root, "cluster");
        var sockets = Path.Combine(root, "sockets");
        var asRoot = !OperatingSystem.IsWindows() && Environment.UserName == "root";
        Directory.CreateDirectory(sockets);
        if (asRoot)
        {
            // The server runs as 'postgres': it must be able to pass through the data directory (no listing needed).
            Run("/usr/bin/chmod", "go+x", options.DataDirectory);
            Run("/usr/bin/chown", "-R", "postgres:postgres", root);
        }

        if (!File.Exists(Path.Combine(cluster, "PG_VERSION")))
        {
            var initdb = Path.Combine(bin, "initdb");
            var result = asRoot
                ? Run("/usr/sbin/runuser", "-u", "postgres", "--", initdb, "-D", cluster, "-U", "postgres", "--auth=trust", "-E", "UTF8")
                : Run(initdb, "-D", cluster, "-U", "postgres", "--auth=trust", "-E", "UTF8");
            if (result.ExitCode != 0)
            {
                throw new AppHostOptionsException($"initdb failed for {cluster}: {result.Output.Trim()}");
            }
        }

        string[] serverArgs =
        [
            "-D", cluster, "-p", options.PostgresPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-k", sockets, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200",
        ];
        var postgresPath = Path.Combine(bin, "postgres");
        var resource = asRoot
            ? builder.AddExecutable("postgres", "/usr/sbin/runuser", root, ["-u", "postgres", "--", postgresPath, .. serverArgs])
            : builder.AddExecutable("postgres", postgresPath, root, serverArgs);

        var checkName = "postgres-tcp";
        builder.Services.AddHealthChecks().AddCheck(checkName, () => CanConnect(options.PostgresPort)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"PostgreSQL is not accepting connections on port {options.PostgresPort}."));
        return resource.WithHealthCheck(checkName);
    }

    public static string ConnectionString(AppHostOptions options) =>
        $"Host=127.0.0.1;Port={options.PostgresPort};Username=postgres;Database=mentorflow";

    private static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(path => File.Exists(Path.Combine(path, "postgres")) && File.Exists(Path.Combine(path, "initdb")))
                .OrderByDescending(path => path, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new AppHostOptionsException($"cannot start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }
}
