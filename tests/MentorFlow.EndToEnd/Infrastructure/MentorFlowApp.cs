using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.EndToEnd.Infrastructure;

/// <summary>The real server (in memory) on its own SQLite file, a known manager key and signing key, and a fake clock.</summary>
public sealed class MentorFlowApp : WebApplicationFactory<Program>
{
    public const string ManagerKey = "e2e-manager-key-0123456789abcdef";
    public const string SigningKey = "e2e-link-signing-key-0123456789abcdef0123";
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly string _directory = Directory.CreateTempSubdirectory("mentorflow-e2e-").FullName;
    private readonly Dictionary<string, string?> _settings;

    public MentorFlowApp(IDictionary<string, string?>? settings = null) =>
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());

    public FakeTimeProvider Clock { get; } = new(Start);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:mentorflow", $"Data Source={Path.Combine(_directory, "mentorflow.db")}");
        builder.UseSetting("Security:ManagerApiKeys:0", ManagerKey);
        builder.UseSetting("Mentoring:Links:SigningKey", SigningKey);
        builder.UseSetting("Mentoring:Links:PublicBaseUrl", "http://localhost");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
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

public static class HttpAssertions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(MentorFlowApp.Json);

    /// <summary>The names of the fields in a problem's <c>errors</c>, sorted.</summary>
    public static async Task<string[]> ProblemFieldsAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        return problem.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).ToArray()
            : [];
    }
}
