using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace MentorFlow.Graph.Gateway;

/// <summary>Tells where the embedded sandbox listens (registered by the sandbox host when it is hosted).</summary>
public interface IGraphSandboxEndpoint
{
    /// <summary>The sandbox's Graph base URL (<c>http://host:port/v1.0</c>), once it listens.</summary>
    Task<Uri> GetBaseUrlAsync(CancellationToken cancellationToken);

    /// <summary>The bearer token the sandbox demands on <c>/v1.0</c>.</summary>
    string AccessToken { get; }
}

/// <summary>
/// Replaces the innermost HTTP handler of the Graph client (a proxy, a test transport). Registered optionally.
/// </summary>
public sealed record GraphTransport(Func<HttpMessageHandler> CreateHandler);

/// <summary>
/// Builds the one <see cref="GraphServiceClient"/> of the process. The SDK's retry handler is removed from the
/// pipeline: it retries POSTs (a 503 on sendMail could send twice) and the whole <c>$batch</c>, so the outbox
/// dispatcher owns every retry. Sandbox and tenant differ only in base URL and credentials.
/// </summary>
public sealed class GraphClientProvider(IOptions<GraphOptions> options, IServiceProvider services) : IDisposable
{
    private static readonly string[] Scopes = ["https://graph.microsoft.com/.default"];
    private static readonly Lock ConstructionGate = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private GraphServiceClient? _client;
    private HttpClient? _http;
    private GraphServiceClient? _sandboxClient;
    private HttpClient? _sandboxHttp;

    /// <summary>
    /// The client for test runs: in Sandbox mode the one client; in Tenant mode one bound to the embedded sandbox
    /// (its base URL, no credentials), so a run started from the designer never reaches the real tenant.
    /// </summary>
    public async Task<GraphServiceClient> GetSandboxClientAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ParsedMode != GraphMode.Tenant)
        {
            return await GetClientAsync(cancellationToken);
        }

        if (_sandboxClient is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_sandboxClient is null)
            {
                var sandbox = services.GetService(typeof(IGraphSandboxEndpoint)) as IGraphSandboxEndpoint
                    ?? throw new InvalidOperationException(
                        "A test run's Graph message needs the embedded sandbox, but it is not hosted here (set GraphSandbox:Enabled=true in Tenant mode).");
                var baseUrl = (await sandbox.GetBaseUrlAsync(cancellationToken)).ToString().TrimEnd('/');
                _sandboxHttp = CreateHttpClient();
                _sandboxClient = Construct(() => new GraphServiceClient(_sandboxHttp, new SandboxTokenProvider(sandbox.AccessToken), baseUrl));
            }

            return _sandboxClient;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<GraphServiceClient> GetClientAsync(CancellationToken cancellationToken)
    {
        if (_client is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_client is null)
            {
                var settings = options.Value;
                var baseUrl = await ResolveBaseUrlAsync(settings, cancellationToken);
                _http = CreateHttpClient((services.GetService(typeof(GraphTransport)) as GraphTransport)?.CreateHandler());
                var http = _http;
                _client = settings.ParsedMode == GraphMode.Tenant
                    ? Construct(() => new GraphServiceClient(http, CreateCredential(settings), Scopes, baseUrl))
                    : Construct(() => new GraphServiceClient(http, SandboxAuthentication(settings), baseUrl));
            }

            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The SDK's default handler chain without its <see cref="RetryHandler"/>.</summary>
    public static HttpClient CreateHttpClient(HttpMessageHandler? finalHandler = null)
    {
        var handlers = GraphClientFactory.CreateDefaultHandlers(new GraphClientOptions())
            .Where(handler => handler is not RetryHandler)
            .ToList();
        var client = GraphClientFactory.Create(handlers, finalHandler: finalHandler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 64,
        });
        client.Timeout = TimeSpan.FromSeconds(100);
        return client;
    }

    /// <summary>A client for a sandbox at <paramref name="baseUrl"/> that sends <paramref name="accessToken"/> (tests, tools).</summary>
    public static GraphServiceClient CreateSandboxClient(string baseUrl, string? accessToken, HttpMessageHandler? finalHandler = null)
    {
        var http = CreateHttpClient(finalHandler);
        IAuthenticationProvider authentication = string.IsNullOrEmpty(accessToken) ? new AnonymousAuthenticationProvider() : new SandboxTokenProvider(accessToken);
        return Construct(() => new GraphServiceClient(http, authentication, baseUrl));
    }

    /// <summary>
    /// Every <see cref="GraphServiceClient"/> of the process is built through here, one at a time. Building one wraps
    /// the SDK's process-wide serializer registry in its backing-store proxy, and that check-then-wrap is not atomic:
    /// two clients built at once can wrap the JSON writer twice, after which every request body repeats each property
    /// set to null (<c>"recurrence":null</c> twice), which a strict reader refuses, for the rest of the process.
    /// </summary>
    private static GraphServiceClient Construct(Func<GraphServiceClient> create)
    {
        lock (ConstructionGate)
        {
            return create();
        }
    }

    /// <summary>
    /// Sandbox mode: the hosted sandbox's token, or for a sandbox elsewhere (<c>Graph:BaseUrl</c>) the configured
    /// <c>GraphSandbox:AccessToken</c> (none: no Authorization header).
    /// </summary>
    private IAuthenticationProvider SandboxAuthentication(GraphOptions settings)
    {
        var token = string.IsNullOrWhiteSpace(settings.BaseUrl)
            ? (services.GetService(typeof(IGraphSandboxEndpoint)) as IGraphSandboxEndpoint)?.AccessToken
            : (services.GetService(typeof(IOptions<Sandbox.GraphSandboxOptions>)) as IOptions<Sandbox.GraphSandboxOptions>)?.Value.AccessToken;
        return string.IsNullOrEmpty(token) ? new AnonymousAuthenticationProvider() : new SandboxTokenProvider(token);
    }

    /// <summary>Sends <c>Authorization: Bearer &lt;token&gt;</c> to the sandbox (its <c>GraphSandbox:AccessToken</c>).</summary>
    private sealed class SandboxTokenProvider(string token) : IAuthenticationProvider
    {
        public Task AuthenticateRequestAsync(Microsoft.Kiota.Abstractions.RequestInformation request,
            Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
        {
            request.Headers.TryAdd("Authorization", "Bearer " + token);
            return Task.CompletedTask;
        }
    }

    private async Task<string> ResolveBaseUrlAsync(GraphOptions settings, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(settings.BaseUrl))
        {
            return settings.BaseUrl.TrimEnd('/');
        }

        if (settings.ParsedMode == GraphMode.Tenant)
        {
            return GraphOptions.CloudBaseUrl;
        }

        var sandbox = services.GetService(typeof(IGraphSandboxEndpoint)) as IGraphSandboxEndpoint
            ?? throw new InvalidOperationException(
                "Graph:Mode is Sandbox but no sandbox is hosted here; set Graph:BaseUrl to a sandbox's /v1.0 URL.");
        return (await sandbox.GetBaseUrlAsync(cancellationToken)).ToString().TrimEnd('/');
    }

    private static TokenCredential CreateCredential(GraphOptions settings) =>
        string.IsNullOrWhiteSpace(settings.CertificatePath)
            ? new ClientSecretCredential(settings.TenantId, settings.ClientId, settings.ClientSecret)
            : new ClientCertificateCredential(settings.TenantId, settings.ClientId,
                System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                    settings.CertificatePath, settings.CertificatePassword));

    public void Dispose()
    {
        _client?.Dispose();
        _http?.Dispose();
        _sandboxClient?.Dispose();
        _sandboxHttp?.Dispose();
        _gate.Dispose();
    }
}
