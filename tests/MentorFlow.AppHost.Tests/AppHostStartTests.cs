using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.AppHost.Tests;

/// <summary>Starts the real AppHost (orchestrator included) as a newcomer's <c>dotnet run</c> would.</summary>
public sealed class AppHostStartTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Start_OnSqlite_ServerAnswersHealth200()
    {
        var data = Directory.CreateTempSubdirectory("mentorflow-apphost-").FullName;
        try
        {
            await using var app = await StartAsync(["--data-dir", data]);

            using var client = app.CreateHttpClient("server");
            var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(File.Exists(Path.Combine(data, "mentorflow.db")), "the SQLite file lives under the data directory");
            Assert.True(File.Exists(Path.Combine(data, "dev-manager-key")), "the development key is kept under the data directory");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Start_WithPostgres_ServerRunsOnDebianPostgresResource()
    {
        var data = Directory.CreateTempSubdirectory("mentorflow-apphost-pg-").FullName;
        try
        {
            var port = FreePort();
            await using (var app = await StartAsync(["--data-dir", data, "--postgres", "--postgres-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                using var client = app.CreateHttpClient("server");
                var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);

                var key = (await File.ReadAllTextAsync(Path.Combine(data, "dev-manager-key"))).Trim();
                client.DefaultRequestHeaders.Authorization = new("ApiKey", key);
                var info = await client.GetStringAsync(new Uri("/api/system", UriKind.Relative));
                Assert.Contains("\"databaseProvider\":\"Postgres\"", info, StringComparison.Ordinal);
            }

            Assert.True(File.Exists(Path.Combine(data, "postgres", "cluster", "PG_VERSION")), "the cluster is initialised under the data directory");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<DistributedApplication> StartAsync(string[] args)
    {
        using var cancel = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MentorFlow_AppHost>(
            [.. args, "--DcpPublisher:RandomizePorts=true"], cancel.Token);
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        var app = await builder.BuildAsync(cancel.Token);
        await app.StartAsync(cancel.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("server", cancel.Token);
        return app;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
