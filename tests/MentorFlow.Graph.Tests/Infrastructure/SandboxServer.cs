using MentorFlow.Graph.Gateway;
using MentorFlow.Graph.Sandbox;
using Microsoft.Extensions.Options;
using Microsoft.Graph;

namespace MentorFlow.Graph.Tests.Infrastructure;

/// <summary>The real sandbox on a free loopback port (real Kestrel, real HTTP) and an SDK client pointed at it.</summary>
public sealed class SandboxServer : IAsyncDisposable
{
    public const string Organizer = "organizer@contoso.test";

    private readonly GraphSandboxHost _host;

    private SandboxServer(GraphSandboxHost host, Uri baseUrl)
    {
        _host = host;
        BaseUrl = baseUrl;
        Client = GraphClientProvider.CreateSandboxClient(baseUrl.ToString().TrimEnd('/'));
    }

    public Uri BaseUrl { get; }

    public Uri Origin => _host.Origin!;

    public GraphSandbox Sandbox => _host.Sandbox;

    public GraphServiceClient Client { get; }

    public static async Task<SandboxServer> StartAsync(Action<GraphSandboxOptions>? configure = null)
    {
        var options = new GraphSandboxOptions { Port = 0 };
        configure?.Invoke(options);
        var host = new GraphSandboxHost(new GraphSandbox(Options.Create(options), TimeProvider.System), Options.Create(options),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<GraphSandboxHost>.Instance);
        await host.StartAsync(CancellationToken.None);
        return new SandboxServer(host, await host.GetBaseUrlAsync(CancellationToken.None));
    }

    /// <summary>A gateway as production builds it (SDK client without its retry handler), aimed at this sandbox.</summary>
    public GraphGateway CreateGateway() =>
        new(new GraphClientProvider(Options.Create(new GraphOptions
        {
            BaseUrl = BaseUrl.ToString().TrimEnd('/'),
            OrganizerMailbox = Organizer,
        }), EmptyServices.Instance), TimeProvider.System);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.StopAsync(CancellationToken.None);
        await _host.DisposeAsync();
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
