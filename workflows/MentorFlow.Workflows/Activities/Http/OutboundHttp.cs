using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace MentorFlow.Workflows.Activities.Http;

/// <summary>
/// The one way flows reach other servers: hosts on <c>Workflows:Http:AllowedHosts</c> only, the connected address
/// checked against private ranges (so a listed name that resolves inward is still refused), no redirects followed,
/// a timeout, and size limits both ways. Each request carries the activity execution's <c>Idempotency-Key</c>, since a
/// step re-run after a crash sends it again.
/// </summary>
internal sealed class OutboundHttp : IDisposable
{
    private readonly OutboundHttpOptions _options;
    private readonly HttpClient _client;
    private readonly TimeProvider _clock;

    public OutboundHttp(IOptions<WorkflowEngineOptions> options, TimeProvider clock)
    {
        _options = options.Value.Http;
        _clock = clock;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public OutboundHttpOptions Options => _options;

    /// <summary>Why a URL may not be called (null: it may).</summary>
    public string? Refusal(Uri url)
    {
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
        {
            return "the URL must be an absolute http or https address.";
        }

        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return "the URL may not carry a user name or password; use the Authorization input.";
        }

        var host = url.IdnHost.TrimEnd('.');
        var allowed = _options.AllowedHosts.Any(entry => entry.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(entry, host, StringComparison.OrdinalIgnoreCase));
        return allowed ? null : $"host '{host}' is not on Workflows:Http:AllowedHosts; an administrator adds it there to let flows call it.";
    }

    public async Task<OutboundHttpResponse> SendAsync(HttpRequestMessage request, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (Refusal(request.RequestUri!) is { } refusal)
        {
            throw new OutboundHttpException(OutboundHttpFailure.Refused, refusal);
        }

        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        using var deadline = new CancellationTokenSource(_options.Timeout, _clock);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.Content.Headers.ContentLength > _options.MaxResponseBytes)
            {
                throw TooLarge();
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var body = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                if (body.Length + read > _options.MaxResponseBytes)
                {
                    throw TooLarge();
                }

                body.Write(buffer, 0, read);
            }

            var headers = new JsonObject();
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                headers[name] = string.Join(", ", values);
            }

            return new OutboundHttpResponse((int)response.StatusCode, headers, response.Content.Headers.ContentType?.MediaType, body.ToArray());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OutboundHttpException(OutboundHttpFailure.Timeout, $"no answer within Workflows:Http:Timeout ({_options.Timeout}).");
        }
        catch (HttpRequestException exception) when (exception.InnerException is OutboundHttpException refused)
        {
            throw refused;
        }
        catch (HttpRequestException exception)
        {
            throw new OutboundHttpException(OutboundHttpFailure.FailedToConnect, $"could not reach {request.RequestUri!.IdnHost}: {exception.HttpRequestError}.");
        }
    }

    private OutboundHttpException TooLarge() =>
        new(OutboundHttpFailure.TooLarge, $"the response is larger than Workflows:Http:MaxResponseBytes ({_options.MaxResponseBytes} bytes).");

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var usable = addresses.Where(a => _options.AllowPrivateNetworks || IsPublic(a)).ToList();
        if (usable.Count == 0)
        {
            throw new OutboundHttpException(OutboundHttpFailure.Refused,
                $"host '{context.DnsEndPoint.Host}' resolves only to private, loopback or link-local addresses, which Workflows:Http:AllowPrivateNetworks keeps closed.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(usable.ToArray(), context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether an address is on the public internet (not private, loopback, link-local, CGNAT, multicast or unspecified).</summary>
    internal static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal);
        }

        var b = address.GetAddressBytes();
        return !(b[0] == 10 || b[0] == 0 || b[0] >= 224
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127));
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>What came back: status, headers, media type and the body (within the size limit).</summary>
internal sealed record OutboundHttpResponse(int StatusCode, JsonObject Headers, string? MediaType, byte[] Body)
{
    /// <summary>JSON bodies parsed, text as a string, anything else as base64.</summary>
    public JsonNode? ParsedContent()
    {
        if (Body.Length == 0)
        {
            return null;
        }

        if (MediaType is { } type && (type.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            try
            {
                return JsonNode.Parse(Body);
            }
            catch (JsonException)
            {
                return JsonValue.Create(Encoding.UTF8.GetString(Body));
            }
        }

        return MediaType is null || MediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || MediaType.EndsWith("xml", StringComparison.OrdinalIgnoreCase)
            ? JsonValue.Create(Encoding.UTF8.GetString(Body))
            : JsonValue.Create(Convert.ToBase64String(Body));
    }
}
