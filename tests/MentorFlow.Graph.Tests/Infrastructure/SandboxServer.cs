using MentorFlow.Graph.Gateway;
using MentorFlow.Graph.Sandbox;
using Microsoft.Extensions.Options;
using Microsoft.Graph;

namespace MentorFlow.Graph.Tests.Infrastructure;

/// <summary>
/// The real sandbox on a free loopback port (real Kestrel, real HTTP) on its own SQLite file (or a given database),
/// and an SDK client pointed at it. It logs to a <see cref="SandboxLog"/>: a request the sandbox failed (answered 500
/// with an unhandled exception) is written to <see cref="SandboxLog.FilePath"/> with its exception and fails the test
/// when the server is disposed, naming that exception and the file, unless the test took the errors
/// (<see cref="TakeErrors"/>).
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    public const string Organizer = "organizer@contoso.test";

    /// <summary>The manager key the sandbox's pages and controls accept here.</summary>
    public const string ManagerKey = "sandbox-test-manager-key-0123456789";

    private readonly GraphSandboxHost _host;
    private readonly TestDatabase? _ownDatabase;

    private int _errorsTaken;

    private SandboxServer(GraphSandboxHost host, Uri baseUrl, TestDatabase? ownDatabase, SandboxLog log)
    {
        _host = host;
        _ownDatabase = ownDatabase;
        BaseUrl = baseUrl;
        Log = log;
        Client = GraphClientProvider.CreateSandboxClient(baseUrl.ToString().TrimEnd('/'), host.AccessToken);
    }

    public Uri BaseUrl { get; }

    /// <summary>What the sandbox logged (warnings and errors also in <see cref="SandboxLog.FilePath"/>).</summary>
    public SandboxLog Log { get; }

    public Uri Origin => _host.Origin!;

    public GraphSandboxHost Host => _host;

    public GraphSandbox Sandbox => _host.Sandbox;

    /// <summary>The bearer token the sandbox demands on <c>/v1.0</c>.</summary>
    public string AccessToken => _host.AccessToken;

    /// <summary>An HTTP client that sends <see cref="ManagerKey"/> as <c>Authorization: ApiKey</c>.</summary>
    public HttpClient CreateManagerHttpClient()
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("ApiKey", ManagerKey);
        return http;
    }

    public GraphServiceClient Client { get; }

    /// <summary>
    /// Starts a sandbox on <paramref name="database"/> (none: a fresh SQLite file owned by the server), on
    /// <paramref name="clock"/> (none: the system's).
    /// </summary>
    public static async Task<SandboxServer> StartAsync(Action<GraphSandboxOptions>? configure = null, IGraphTestDatabase? database = null, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var options = new GraphSandboxOptions { Port = 0 };
        configure?.Invoke(options);
        var own = database is null ? new TestDatabase() : null;
        var store = new SandboxStore((database ?? own!).CreateContext);
        var log = new SandboxLog();
        var host = new GraphSandboxHost(new GraphSandbox(Options.Create(options), clock, store), Options.Create(options), log, new KeyPolicy(), clock);
        await host.StartAsync(CancellationToken.None);
        log.Source = $"sandbox {host.Origin}";
        return new SandboxServer(host, await host.GetBaseUrlAsync(CancellationToken.None), own, log);
    }

    /// <summary>The errors logged so far, which the test expected: they no longer fail it on dispose.</summary>
    public IReadOnlyList<SandboxLogEntry> TakeErrors()
    {
        var errors = Log.Errors;
        _errorsTaken = errors.Count;
        Log.MarkErrorsExpected(errors.Count);
        return errors;
    }

    /// <summary>A gateway as production builds it (SDK client without its retry handler), aimed at this sandbox.</summary>
    public GraphGateway CreateGateway() =>
        new(new GraphClientProvider(Options.Create(new GraphOptions
        {
            BaseUrl = BaseUrl.ToString().TrimEnd('/'),
            OrganizerMailbox = Organizer,
        }), new SandboxTokenServices(AccessToken)), TimeProvider.System);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.StopAsync(CancellationToken.None);
        await _host.DisposeAsync();
        _ownDatabase?.Dispose();
        var errors = Log.Errors;
        if (errors.Count > _errorsTaken)
        {
            throw new SandboxFailedException(errors.Count - _errorsTaken, errors[_errorsTaken], SandboxLog.FilePath);
        }
    }

    /// <summary>Gives the client provider the sandbox's token as <c>GraphSandbox:AccessToken</c>, as configuration would.</summary>
    private sealed class SandboxTokenServices(string token) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(IOptions<GraphSandboxOptions>) ? Options.Create(new GraphSandboxOptions { AccessToken = token }) : null;
    }

    /// <summary>The sandbox answered 500 with an unhandled exception: a bug of the sandbox, whatever the test asserted.</summary>
    public sealed class SandboxFailedException(int count, SandboxLogEntry first, string file) : Exception(
        $"The Graph sandbox failed {count} request(s) with an unhandled exception (answered 500). First: {first.Message}{Environment.NewLine}"
        + $"{first.Exception}{Environment.NewLine}Every sandbox warning and error of this test run: {file}");

    private sealed class KeyPolicy : ISandboxAccessPolicy
    {
        public bool IsManagerKey(string key) => key == ManagerKey;
    }
}
