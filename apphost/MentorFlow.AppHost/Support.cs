using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.AppHost;

internal static class RepositoryRoot
{
    /// <summary>The folder holding MentorFlow.sln (the AppHost lives two levels below it).</summary>
    public static string Find(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MentorFlow.sln")))
            {
                return directory.FullName;
            }
        }

        return Path.GetFullPath(Path.Combine(start, "..", ".."));
    }
}

/// <summary>
/// Secrets the AppHost gives every server replica in development, created once under the data directory (mode 600):
/// the manager API key (printed with the URLs on every start, so the Studio and the API can be used at once) and the key that signs
/// participant links (the same for all replicas, so a link signed by one is accepted by another).
/// </summary>
internal static class DevelopmentKey
{
    public static string LoadOrCreate(string dataDirectory, string fileName = "dev-manager-key")
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, fileName);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: >= 16 } existing)
        {
            return existing;
        }

        var key = "mf_dev_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        File.WriteAllText(path, key + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }
}

/// <summary>
/// The bearer token the embedded Graph sandbox demands on <c>/v1.0</c> (<c>GraphSandbox:AccessToken</c>): random per
/// AppHost run and the same for every replica, so only the servers' own Graph clients can send mail through it.
/// </summary>
internal static class SandboxToken
{
    public static string Create() => "mf_sandbox_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}

/// <summary>The server's second endpoint: the Graph sandbox's one address (its mailbox view and Graph v1.0).</summary>
public static class SandboxEndpoint
{
    public const string Name = "sandbox";

    public const string DisplayText = "Mailbox (Graph sandbox)";
}

/// <summary>What the AppHost prints once everything is started: the addresses to open and the key to use.</summary>
public static class StartupBanner
{
    public static void Print(DistributedApplication app, AppHostOptions options)
    {
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        var key = File.ReadAllText(Path.Combine(options.DataDirectory, "dev-manager-key")).Trim();
        Console.WriteLine();
        foreach (var line in Lines(options, configuration["ASPNETCORE_URLS"], configuration["AppHost:BrowserToken"], key))
        {
            Console.WriteLine(line);
        }
    }

    public static IReadOnlyList<string> Lines(AppHostOptions options, string? dashboardUrls, string? browserToken, string managerKey)
    {
        var dashboard = dashboardUrls?.Split(';')[0] ?? "(see the log above)";
        var server = $"http://localhost:{options.ServerPort}";
        var sandbox = $"http://localhost:{options.SandboxPort}";
        var database = options.Postgres ? $"PostgreSQL (Debian, port {options.PostgresPort})"
            : options.ExternalPostgres is not null ? "PostgreSQL (external)"
            : $"SQLite ({Path.Combine(options.DataDirectory, "mentorflow.db")})";
        return
        [
            "MentorFlow is starting:",
            $"  server     {server}   (health: {server}/health, API docs: {server}/scalar, Studio: {server}/studio/)",
            $"  mailbox    {sandbox}   (Graph sandbox: every participant's mail and calendar, all replicas; sign in with the API key)",
            string.IsNullOrEmpty(browserToken)
                ? $"  dashboard  {dashboard}   (its login link is in the log: 'Login to the dashboard at …')"
                : $"  dashboard  {dashboard}/login?t={browserToken}   (the login link, valid for this run)",
            $"  database   {database}, replicas: {options.Replicas}",
            $"  API key    {managerKey}   (Authorization: ApiKey <key>)",
            "Press Ctrl+C to stop everything.",
        ];
    }
}
