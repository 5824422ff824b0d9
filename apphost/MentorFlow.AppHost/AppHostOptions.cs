using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MentorFlow.AppHost;

/// <summary>
/// MentorFlow's own AppHost options. Each can be given on the command line or in configuration
/// (<c>MentorFlow:Postgres</c>, <c>MentorFlow__Replicas</c>, …):
/// <list type="bullet">
/// <item><c>--postgres</c>: run Debian's PostgreSQL server as an executable resource (data under data/postgres).</item>
/// <item><c>--postgres-connection "Host=…"</c> (or <c>ConnectionStrings:mentorflow</c>): use an external PostgreSQL.</item>
/// <item><c>--replicas N</c>: run N server replicas (N &gt; 1 needs PostgreSQL; <c>--postgres</c> is implied).</item>
/// <item><c>--server-port P</c>: the port the server answers on (default 5180).</item>
/// <item><c>--sandbox-port P</c>: the one address of the Graph sandbox (mail and calendars) in front of every replica (default 5099).</item>
/// <item><c>--postgres-port P</c>: the port of the PostgreSQL resource (default 5433).</item>
/// <item><c>--data-dir DIR</c>: where the SQLite file, the PostgreSQL cluster and the development key live (default data/).</item>
/// </list>
/// </summary>
public sealed record AppHostOptions(
    bool Postgres,
    string? ExternalPostgres,
    int Replicas,
    int ServerPort,
    int PostgresPort,
    string DataDirectory,
    int SandboxPort = AppHostOptions.DefaultSandboxPort)
{
    public const int DefaultServerPort = 5180;
    public const int DefaultSandboxPort = 5099;
    public const int DefaultPostgresPort = 5433;

    private static readonly string[] FlagNames = ["--postgres"];
    private static readonly string[] ValueNames = ["--postgres-connection", "--replicas", "--server-port", "--sandbox-port", "--postgres-port", "--data-dir"];

    public bool UsesPostgres => Postgres || ExternalPostgres is not null || Replicas > 1;

    /// <summary>Splits MentorFlow's options out of <paramref name="args"/>; the rest go to Aspire.</summary>
    public static (Dictionary<string, string> Ours, string[] Others) Split(string[] args)
    {
        var ours = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var name = arg.Split('=', 2)[0];
            if (FlagNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                ours[name[2..]] = arg.Contains('=', StringComparison.Ordinal) ? arg.Split('=', 2)[1] : "true";
            }
            else if (ValueNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                if (arg.Contains('=', StringComparison.Ordinal))
                {
                    ours[name[2..]] = arg.Split('=', 2)[1];
                }
                else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    ours[name[2..]] = args[++i];
                }
                else
                {
                    throw new AppHostOptionsException($"{name} needs a value.");
                }
            }
            else
            {
                rest.Add(arg);
            }
        }

        return (ours, [.. rest]);
    }

    /// <summary>Reads the options from the command line (first) and configuration (<c>MentorFlow:*</c>).</summary>
    public static AppHostOptions Read(Dictionary<string, string> commandLine, Func<string, string?> configuration, string repositoryRoot)
    {
        string? Value(string name) =>
            commandLine.TryGetValue(name, out var value) ? value : configuration("MentorFlow:" + name.Replace("-", string.Empty, StringComparison.Ordinal));

        var postgres = ParseBool("--postgres", Value("postgres"));
        var external = Value("postgres-connection") ?? configuration("ConnectionStrings:mentorflow");
        if (external is not null && string.IsNullOrWhiteSpace(external))
        {
            throw new AppHostOptionsException("--postgres-connection (ConnectionStrings:mentorflow) is empty.");
        }

        if (external is not null && !external.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            throw new AppHostOptionsException("--postgres-connection (ConnectionStrings:mentorflow) must be a PostgreSQL connection string with Host=…");
        }

        if (postgres && external is not null)
        {
            throw new AppHostOptionsException("--postgres and --postgres-connection exclude each other: run a local server or use an external one.");
        }

        var replicas = ParseInt("--replicas", Value("replicas"), 1, min: 1, max: 16);
        var serverPort = ParseInt("--server-port", Value("server-port"), DefaultServerPort, min: 1, max: 65535);
        var postgresPort = ParseInt("--postgres-port", Value("postgres-port"), DefaultPostgresPort, min: 1, max: 65535);
        var sandboxPort = ParseInt("--sandbox-port", Value("sandbox-port"), DefaultSandboxPort, min: 1, max: 65535);
        if (sandboxPort == serverPort)
        {
            throw new AppHostOptionsException($"--sandbox-port and --server-port must differ (both {serverPort}).");
        }

        var dataDirectory = Path.GetFullPath(Value("data-dir") ?? Path.Combine(repositoryRoot, "data"), repositoryRoot);
        return new AppHostOptions(postgres || (replicas > 1 && external is null), external, replicas, serverPort, postgresPort, dataDirectory, sandboxPort);
    }

    /// <summary>Fails with a clear message when a port we are about to listen on is taken.</summary>
    public static void EnsurePortFree(int port, string what, string option)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
        }
        catch (SocketException)
        {
            throw new AppHostOptionsException($"port {port} ({what}) is already in use; choose another with {option}.");
        }
    }

    private static bool ParseBool(string option, string? value) => value switch
    {
        null => false,
        _ when bool.TryParse(value, out var parsed) => parsed,
        _ => throw new AppHostOptionsException($"{option} must be true or false (got '{value}')."),
    };

    private static int ParseInt(string option, string? value, int fallback, int min, int max)
    {
        if (value is null)
        {
            return fallback;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < min || parsed > max)
        {
            throw new AppHostOptionsException($"{option} must be a whole number from {min} to {max} (got '{value}').");
        }

        return parsed;
    }
}

/// <summary>An option is invalid or the machine lacks what it needs; the message says which.</summary>
public sealed class AppHostOptionsException(string message) : Exception(message);
