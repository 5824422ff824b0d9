using MentorFlow.Server.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Testing.Server;

/// <summary>
/// The real server in process (<see cref="WebApplicationFactory{TEntryPoint}"/>) on its own SQLite file, with a known
/// manager key and link-signing key and a fake clock starting at <see cref="Start"/>; the settings given add to or
/// override those (the scale benchmark and the end-to-end tests use it). The entry point is named through a server
/// type other than <c>Program</c>, so an assembly with a <c>Program</c> of its own (the benchmarks) can use it too.
/// </summary>
public class InProcessServer(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<MentorFlowDbContext>
{
    public const string ManagerKey = "in-process-manager-key-0123456789abcdef";
    public const string SigningKey = "in-process-link-signing-key-0123456789abcdef";
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("mentorflow-server-").FullName;

    public FakeTimeProvider Clock { get; } = new(Start);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(ServerContentRoot());
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:mentorflow", $"Data Source={Path.Combine(_directory, "mentorflow.db")}");
        builder.UseSetting("Security:ManagerApiKeys:0", ManagerKey);
        builder.UseSetting("Mentoring:Links:SigningKey", SigningKey);
        builder.UseSetting("Mentoring:Links:PublicBaseUrl", "http://localhost");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Every simulated participant posts from the one in-process address: lift the per-IP form limit.
        builder.UseSetting("Security:RateLimiting:Forms:PermitLimit", "1000000");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    /// <summary>
    /// The server's folder, from the manifest Mvc.Testing writes next to this assembly (the factory itself looks for
    /// the manifest in the working directory, which <c>dotnet run</c> does not set to the output folder).
    /// </summary>
    internal static string ServerContentRoot()
    {
        var manifest = Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json");
        var roots = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(manifest))!;
        return roots[typeof(MentorFlowDbContext).Assembly.FullName!];
    }

    public HttpClient Manager()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new("ApiKey", ManagerKey);
        return client;
    }

    public HttpClient Participant() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

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
            // A file still held by a background service: the OS cleans the temp folder.
        }
    }
}
