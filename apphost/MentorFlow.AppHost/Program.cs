using MentorFlow.AppHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

try
{
    var (ours, others) = AppHostOptions.Split(args);
    var builder = DistributedApplication.CreateBuilder(others);
    var root = RepositoryRoot.Find(builder.AppHostDirectory);
    var options = AppHostOptions.Read(ours, key => builder.Configuration[key], root);
    var randomPorts = builder.Configuration.GetValue<bool>("DcpPublisher:RandomizePorts");

    var server = builder.AddProject<Projects.MentorFlow_Server>("server")
        .WithHttpHealthCheck("/health")
        .WithEnvironment("Security__ManagerApiKeys__0", DevelopmentKey.LoadOrCreate(options.DataDirectory))
        .WithEnvironment("Mentoring__Links__SigningKey", DevelopmentKey.LoadOrCreate(options.DataDirectory, "dev-link-signing-key"))
        .WithEnvironment("Graph__Dispatcher__Replicas", options.Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .WithEnvironment("GraphSandbox__AccessToken", SandboxToken.Create())
        .WithReplicas(options.Replicas);
    // The Graph sandbox (mail and calendars) as its own link on the server: one address in front of every replica's
    // sandbox, each replica listening on the port the orchestrator gives it. The mail lives in the shared database,
    // so whichever replica answers shows all of it.
    server.WithHttpEndpoint(name: SandboxEndpoint.Name, env: "GraphSandbox__Port")
        .WithEnvironment("GraphSandbox__Host", "localhost")
        .WithUrlForEndpoint(SandboxEndpoint.Name, url => url.DisplayText = SandboxEndpoint.DisplayText);
    if (!randomPorts)
    {
        AppHostOptions.EnsurePortFree(options.ServerPort, "MentorFlow server", "--server-port");
        AppHostOptions.EnsurePortFree(options.SandboxPort, "Graph sandbox", "--sandbox-port");
        server.WithEndpoint("http", endpoint => endpoint.Port = options.ServerPort);
        server.WithEndpoint(SandboxEndpoint.Name, endpoint => endpoint.Port = options.SandboxPort);
    }

    server.WithEnvironment("GraphSandbox__PublicUrl", server.GetEndpoint(SandboxEndpoint.Name));

    // Participants' links point at the server's address as the AppHost publishes it (the replicas' shared proxy).
    server.WithEnvironment("Mentoring__Links__PublicBaseUrl", server.GetEndpoint("http"));

    if (options.Postgres)
    {
        var postgres = builder.AddDebianPostgres(options);
        var database = builder.AddConnectionString("mentorflow", ReferenceExpression.Create($"{DebianPostgres.ConnectionString(options)}"));
        server.WithEnvironment("Database__Provider", "Postgres").WithReference(database).WaitFor(postgres);
    }
    else if (options.ExternalPostgres is { } external)
    {
        var database = builder.AddConnectionString("mentorflow", ReferenceExpression.Create($"{external}"));
        server.WithEnvironment("Database__Provider", "Postgres").WithReference(database);
    }
    else
    {
        Directory.CreateDirectory(options.DataDirectory);
        server.WithEnvironment("Database__Provider", "Sqlite")
            .WithEnvironment("ConnectionStrings__mentorflow", $"Data Source={Path.Combine(options.DataDirectory, "mentorflow.db")}");
    }

    var app = builder.Build();
    var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
    var watcher = ResourceWatcher.WatchAsync(app, lifetime.ApplicationStopping);
    await app.StartAsync();
    StartupBanner.Print(app, options);
    await app.WaitForShutdownAsync();
    await watcher;
    return 0;
}
catch (AppHostOptionsException exception)
{
    await Console.Error.WriteLineAsync($"mentorflow-apphost: {exception.Message}");
    return 2;
}
