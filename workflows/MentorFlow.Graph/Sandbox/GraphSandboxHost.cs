using System.Net;
using MentorFlow.Graph.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MentorFlow.Graph.Sandbox;

/// <summary>
/// Runs the sandbox on its own address (a small Kestrel host inside the process, so its root path is exactly
/// <c>/v1.0</c> whatever the main app's URLs are) and tells the Graph client where it listens and which bearer token
/// it demands. It answers only its own host names (<see cref="AllowedHostNames"/>) and only with credentials
/// (<see cref="SandboxAccess"/>); <paramref name="policy"/> checks manager keys (none accepted without one). Its own
/// host has no logging of its own: a request that throws is logged to <paramref name="logger"/> with its exception
/// (<see cref="SandboxFailureLogging"/>).
/// </summary>
public sealed class GraphSandboxHost(
    GraphSandbox sandbox,
    IOptions<GraphSandboxOptions> options,
    ILogger<GraphSandboxHost> logger,
    ISandboxAccessPolicy? policy = null,
    TimeProvider? clock = null) : IHostedService, IGraphSandboxEndpoint, IAsyncDisposable
{
    private readonly TaskCompletionSource<Uri> _baseUrl = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private WebApplication? _app;

    public GraphSandbox Sandbox => sandbox;

    /// <summary>Credentials of this sandbox: the Graph bearer token, manager keys, tickets and sessions.</summary>
    public SandboxAccess Access { get; } = new(options.Value, clock ?? TimeProvider.System, policy, sandbox.Store);

    /// <inheritdoc />
    public string AccessToken => Access.AccessToken;

    /// <summary>
    /// The Host header names answered (without port): <paramref name="host"/> itself unless it is a wildcard; the loopback
    /// names when bound to loopback or to every interface; plus <see cref="GraphSandboxOptions.AllowedHosts"/>.
    /// </summary>
    public static IReadOnlyList<string> AllowedHostNames(string host, IEnumerable<string> extra)
    {
        var names = new List<string>();
        var wildcard = host is "0.0.0.0" or "::" or "[::]" or "*" or "+";
        var loopback = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
        if (!wildcard)
        {
            names.Add(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host);
        }

        if (wildcard || loopback)
        {
            names.AddRange(["localhost", "127.0.0.1", "[::1]"]);
        }

        names.AddRange(extra.Select(name => name.Trim()).Where(name => name.Length > 0));
        return names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The origin the sandbox listens on (its mailbox view is at <c>/</c>, Graph at <c>/v1.0</c>).</summary>
    public Uri? Origin { get; private set; }

    /// <summary>The origin people open: <see cref="GraphSandboxOptions.PublicUrl"/> when set, else <see cref="Origin"/>.</summary>
    public Uri? PublicOrigin => string.IsNullOrEmpty(options.Value.PublicUrl) ? Origin : new Uri(options.Value.PublicUrl.TrimEnd('/') + "/");

    public Task<Uri> GetBaseUrlAsync(CancellationToken cancellationToken) => _baseUrl.Task.WaitAsync(cancellationToken);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        WebApplication app;
        try
        {
            app = await StartOnAsync(settings.Host, settings.Port, cancellationToken);
        }
        catch (Exception exception) when (settings.Port != 0 && exception is IOException or System.Net.Sockets.SocketException)
        {
            // The sandbox is a development aid: a taken port (another instance, parallel tests) must not stop the app.
            app = await StartOnAsync(settings.Host, 0, cancellationToken);
            logger.LogWarning("GraphSandbox:Port {Port} is taken ({Reason}); the Graph sandbox listens on {Address} instead",
                settings.Port, exception.Message, app.Urls.First());
        }

        _app = app;
        var address = app.Urls.First().Replace("[::1]", "localhost", StringComparison.Ordinal);
        Origin = new Uri(address.TrimEnd('/') + "/");
        _baseUrl.TrySetResult(new Uri(Origin, "v1.0"));
    }

    private async Task<WebApplication> StartOnAsync(string host, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(GraphSandboxHost).Assembly.GetName().Name,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                kestrel.ListenLocalhost(port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(host), port);
            }
        });
        builder.Services.AddRouting();
        builder.Services.AddHostFiltering(filtering =>
        {
            filtering.AllowedHosts = [.. AllowedHostNames(host, options.Value.AllowedHosts)];
            filtering.AllowEmptyHosts = false;
            filtering.IncludeFailureMessage = false;
        });
        builder.Services.AddRazorComponents();
        builder.Services.AddSingleton(sandbox);
        builder.Services.AddSingleton(Access);
        builder.Services.AddSingleton(_clock);
        var app = builder.Build();
        app.UseSandboxFailureLogging(logger);
        app.UseHostFiltering();
        app.UseSandboxAccess(Access);
        app.UseRouting();
        app.MapGraphSandbox();
        try
        {
            await app.StartAsync(cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            await app.DisposeAsync();
            _app = null;
        }
    }
}
