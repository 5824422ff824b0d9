using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MentorFlow.Graph.Tests.Infrastructure;

/// <summary>
/// The real server (default Sandbox mode) with a known manager key and the real clock: on its own SQLite file (deleted
/// afterwards), or on the database <paramref name="settings"/> name (the SQLite file of a <paramref name="directory"/>
/// the test owns, or PostgreSQL), so a test can stop it and start another server on the same database.
/// </summary>
public sealed class GraphServerFactory(string? directory = null, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public const string ManagerKey = "graph-test-manager-key-0123456789";

    private readonly bool _ownsDirectory = directory is null;
    private readonly string _directory = directory ?? Directory.CreateTempSubdirectory("mentorflow-graph-server-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:mentorflow", $"Data Source={Path.Combine(_directory, "mentorflow.db")}");
        builder.UseSetting("Security:ManagerApiKeys:0", ManagerKey);
        builder.UseSetting("Mentoring:Links:PublicBaseUrl", "http://localhost");
        builder.UseSetting("GraphSandbox:Port", "0");
        builder.UseSetting("Graph:Dispatcher:PollInterval", "00:00:00.100");
        builder.UseSetting("Graph:Dispatcher:BaseBackoff", "00:00:00.100");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    public HttpClient CreateManagerClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("ApiKey", ManagerKey);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a background service: the temp folder is cleaned by the OS.
        }
    }
}
