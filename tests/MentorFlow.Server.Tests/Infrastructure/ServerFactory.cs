using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Server.Tests.Infrastructure;

/// <summary>
/// The real server on its own SQLite file (deleted on dispose), with a known manager key and a fake clock.
/// Pass extra settings to override configuration (e.g. to run on PostgreSQL).
/// </summary>
public class ServerFactory : WebApplicationFactory<Program>
{
    public const string ManagerKey = "test-manager-key-0123456789";

    /// <summary>Configuration overrides (set before the server starts).</summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>False to start with no configured manager key (first-run behaviour).</summary>
    public bool WithManagerKey { get; init; } = true;

    private readonly string _directory = Directory.CreateTempSubdirectory("mentorflow-server-test-").FullName;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    public string DatabasePath => Path.Combine(_directory, "mentorflow.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:mentorflow", $"Data Source={DatabasePath}");
        builder.UseSetting("Mentoring:Links:PublicBaseUrl", "http://localhost");
        if (WithManagerKey)
        {
            builder.UseSetting("Security:ManagerApiKeys:0", ManagerKey);
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
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
