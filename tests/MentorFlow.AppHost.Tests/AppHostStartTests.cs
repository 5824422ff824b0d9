using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
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

            // The Graph sandbox answers on the server's own "sandbox" endpoint: its icon openly, its pages to a manager.
            using var sandbox = app.CreateHttpClient("server", "sandbox");
            using var icon = await sandbox.GetAsync(new Uri("/favicon.ico", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
            sandbox.DefaultRequestHeaders.Authorization = new("ApiKey", (await File.ReadAllTextAsync(Path.Combine(data, "dev-manager-key"))).Trim());
            Assert.Contains("Nothing has been sent here yet", await sandbox.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);
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

    [Fact]
    public async Task Replicas_EachServerIsToldTheReplicaCount_SoGraphPacingIsShared()
    {
        var data = Directory.CreateTempSubdirectory("mentorflow-apphost-replicas-").FullName;
        try
        {
            using var cancel = new CancellationTokenSource(StartTimeout);
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MentorFlow_AppHost>(
                ["--data-dir", data, "--replicas", "3", "--postgres-connection", "Host=127.0.0.1;Database=mf", "--DcpPublisher:RandomizePorts=true"], cancel.Token);
            await using var app = await builder.BuildAsync(cancel.Token);
            var server = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "server");

            // The environment the orchestrator would give each replica (not started: the callbacks are evaluated).
            var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(
                new DistributedApplicationExecutionContextOptions(DistributedApplicationOperation.Run) { Services = app.Services }));
            foreach (var callback in server.Annotations.OfType<EnvironmentCallbackAnnotation>())
            {
                await callback.Callback(context);
            }

            Assert.Equal("3", context.EnvironmentVariables["Graph__Dispatcher__Replicas"]?.ToString());
            var publicBaseUrl = Assert.IsType<EndpointReference>(context.EnvironmentVariables["Mentoring__Links__PublicBaseUrl"]);
            Assert.Equal(("server", "http"), (publicBaseUrl.Resource.Name, publicBaseUrl.EndpointName));
            var sandboxToken = context.EnvironmentVariables["GraphSandbox__AccessToken"]?.ToString();
            Assert.True(sandboxToken is { Length: >= 32 }, "every replica gets the run's Graph sandbox bearer token");
            Assert.Equal(3, server.Annotations.OfType<ReplicaAnnotation>().Single().Replicas);

            // One sandbox address for all replicas: the server's own "sandbox" endpoint (proxied in front of every
            // replica, each told its port), which every replica also gives people as the Mailbox address.
            var sandbox = server.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "sandbox");
            Assert.True(sandbox.IsProxied);
            Assert.True(context.EnvironmentVariables.ContainsKey("GraphSandbox__Port"), "each replica is told the port its sandbox listens on");
            Assert.Equal("localhost", context.EnvironmentVariables["GraphSandbox__Host"]?.ToString());
            var publicUrl = Assert.IsType<EndpointReference>(context.EnvironmentVariables["GraphSandbox__PublicUrl"]);
            Assert.Equal(("server", "sandbox"), (publicUrl.Resource.Name, publicUrl.EndpointName));
            Assert.Contains(server.Annotations, a => a is ResourceUrlsCallbackAnnotation);
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
