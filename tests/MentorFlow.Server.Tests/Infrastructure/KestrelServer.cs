using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Server.Tests.Infrastructure;

/// <summary>The server on a free loopback port (Kestrel), so a real browser can reach it; an xunit class fixture.</summary>
public class KestrelServer : ServerFactory
{
    public KestrelServer()
        : this(null)
    {
    }

    /// <summary>Starts with configuration overrides (they must be known before the server starts).</summary>
    protected KestrelServer(IDictionary<string, string?>? settings)
    {
        if (settings is not null)
        {
            Settings = settings;
        }

        UseKestrel(0);
        StartServer();
        BaseAddress = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First()
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    public Uri BaseAddress { get; }

    public HttpClient CreateKestrelClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("ApiKey", ManagerKey);
        return client;
    }
}
