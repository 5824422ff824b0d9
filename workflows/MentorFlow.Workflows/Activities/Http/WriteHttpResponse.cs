using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MentorFlow.Workflows.Activities.Http;

/// <summary>
/// Elsa's HTTP Response: answers the request that started or resumed this burst (through an HTTP Endpoint). The
/// response is handed to the server once the burst committed. Reached in a burst no request started (after a timer,
/// or a second time), it has no request to answer: it notes that in the journal and goes on.
/// Status codes are 200–599; headers are checked (names are tokens, values have no control characters, no hop-by-hop,
/// framing, cookie or security headers); the body is limited by <c>Workflows:HttpEndpoints:MaxResponseBytes</c>.
/// </summary>
[Activity("Elsa", "HTTP", "Write a response to the current HTTP response object.", DisplayName = "HTTP Response")]
public sealed class WriteHttpResponse : Activity
{
    /// <summary>Most headers a flow may add to one response.</summary>
    public const int MaxHeaders = 32;

    /// <summary>Longest header value a flow may write.</summary>
    public const int MaxHeaderValueLength = 4096;

    private const string RespondedItem = "http:responded";

    /// <summary>Headers a flow may not write: connection handling and framing belong to the server, cookies would be set on the server's own site, and the server's protection headers stay as they are.</summary>
    public static readonly IReadOnlySet<string> ForbiddenHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
        "Content-Length", "Content-Type", "Host", "Date", "Server", "Set-Cookie", "Set-Cookie2",
        "Content-Security-Policy", "Content-Security-Policy-Report-Only", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
        "Strict-Transport-Security", "Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy", "Cross-Origin-Resource-Policy",
        "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Headers", "Access-Control-Allow-Methods", "Access-Control-Expose-Headers",
    };

    [Input(DisplayName = "Status Code", Description = "The status code to return (a number such as 200, or Elsa's name such as OK).", DefaultValue = "OK")]
    public Input<string> StatusCode { get; init; } = new("OK");

    [Input(Description = "The content to write back. String values will be sent as-is, while objects will be serialized to a JSON string.")]
    public Input<JsonNode> Content { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(DisplayName = "Content Type", Description = "The content type to use when returning the response.",
        Options = ["", "text/plain", "text/html", "application/json", "application/xml", "application/x-www-form-urlencoded"], Content = InputContent.SingleLine)]
    public Input<string> ContentType { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(DisplayName = "Response Headers", Description = "The headers to return along with the response (name → value or values).", Category = "Advanced", DefaultSyntax = ExpressionSyntax.Object)]
    public Input<JsonNode> ResponseHeaders { get; init; } = new(WorkflowExpression.Literal(null));

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var status = ParseStatus(context, context.Get(StatusCode));
        var headers = Headers(context, context.Get(ResponseHeaders));
        var content = context.Get(Content);
        var (body, contentType) = Body(context, content, context.Get(ContentType));

        if (context.BurstItems.GetValueOrDefault(HttpEndpoint.RequestItem) is not string requestId)
        {
            context.Log("no HTTP request waits for a response in this burst (the flow was not started or resumed by a request, or the request was answered by the default response already); nothing is sent");
            return ValueTask.CompletedTask;
        }

        if (context.BurstItems.ContainsKey(RespondedItem))
        {
            context.Log("the request was answered already in this burst; this response is not sent");
            return ValueTask.CompletedTask;
        }

        context.BurstItems[RespondedItem] = true;
        context.AfterCommit(new HttpEndpointResponse(requestId, context.WorkflowInstanceId, status, contentType, headers, body));
        context.Log(string.Create(CultureInfo.InvariantCulture, $"responds {status} with {body.Length} bytes"));
        return ValueTask.CompletedTask;
    }

    private static int ParseStatus(ActivityExecutionContext context, string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return 200;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            || (Enum.TryParse<HttpStatusCode>(value, ignoreCase: true, out var named) && !int.TryParse(value, out _) && (code = (int)named) > 0))
        {
            if (code is >= 200 and <= 599)
            {
                return code;
            }
        }

        throw new ActivityInputException(context.ActivityId, "statusCode", $"'{Truncate(value)}' is not a status code a flow may answer with (200–599, or a name such as OK or NotFound).");
    }

    private static List<KeyValuePair<string, string>> Headers(ActivityExecutionContext context, JsonNode? headers)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (headers is JsonValue text && text.TryGetValue<string>(out var written))
        {
            // A literal holds the object as JSON text (Elsa writes {} for no headers).
            try
            {
                headers = string.IsNullOrWhiteSpace(written) ? null : JsonNode.Parse(written);
            }
            catch (System.Text.Json.JsonException)
            {
                headers = text;
            }
        }

        switch (headers)
        {
            case null:
                return list;
            case not JsonObject:
                throw new ActivityInputException(context.ActivityId, "responseHeaders", "the headers must be an object of name → value (or values).");
        }

        foreach (var (name, value) in (JsonObject)headers)
        {
            if (name.Length is 0 or > 128 || !name.All(IsTokenChar))
            {
                throw new ActivityInputException(context.ActivityId, "responseHeaders", $"'{Truncate(name)}' is not a header name (letters, digits and !#$%&'*+-.^_`|~ only).");
            }

            if (ForbiddenHeaders.Contains(name))
            {
                throw new ActivityInputException(context.ActivityId, "responseHeaders",
                    $"header '{name}' may not be set by a flow (connection, framing, cookie and security headers belong to the server; the content type has its own input).");
            }

            var values = value switch
            {
                null => [],
                JsonArray array => array.Select(v => v is JsonValue jv && jv.TryGetValue<string>(out var t) ? t : v?.ToJsonString() ?? "").ToList(),
                JsonValue jv when jv.TryGetValue<string>(out var t) => [t],
                _ => [value.ToJsonString()],
            };
            foreach (var headerValue in values)
            {
                if (headerValue.Length > MaxHeaderValueLength || headerValue.Any(c => char.IsControl(c) && c != '\t'))
                {
                    throw new ActivityInputException(context.ActivityId, "responseHeaders",
                        $"the value of header '{name}' holds a line break or control character, or is longer than {MaxHeaderValueLength} characters (header injection is refused).");
                }

                list.Add(new(name, headerValue));
            }
        }

        if (list.Count > MaxHeaders)
        {
            throw new ActivityInputException(context.ActivityId, "responseHeaders", $"a flow may set at most {MaxHeaders} header values.");
        }

        return list;
    }

    private static (byte[] Body, string? ContentType) Body(ActivityExecutionContext context, JsonNode? content, string? contentType)
    {
        var limit = context.Services.GetRequiredService<IOptions<WorkflowEngineOptions>>().Value.HttpEndpoints.MaxResponseBytes;
        string? text = content switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var s) => s,
            _ => content.ToJsonString(),
        };
        var type = string.IsNullOrWhiteSpace(contentType) ? null : contentType.Trim();
        if (type is not null && (!MediaTypeHeaderValue.TryParse(type, out var parsed) || parsed.MediaType is null || type.Any(char.IsControl)))
        {
            throw new ActivityInputException(context.ActivityId, "contentType", $"'{Truncate(type)}' is not a media type such as application/json.");
        }

        if (text is null)
        {
            return ([], type);
        }

        if (Encoding.UTF8.GetMaxByteCount(text.Length) > limit && Encoding.UTF8.GetByteCount(text) > limit)
        {
            throw new ActivityInputException(context.ActivityId, "content",
                $"the response body is larger than Workflows:HttpEndpoints:MaxResponseBytes ({limit.ToString(CultureInfo.InvariantCulture)} bytes).");
        }

        type ??= content is JsonValue v && v.TryGetValue<string>(out _) ? "text/plain" : "application/json";
        var media = MediaTypeHeaderValue.Parse(type);
        if (media.CharSet is null && (media.MediaType!.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || media.MediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase)))
        {
            media.CharSet = "utf-8";
        }

        return (Encoding.UTF8.GetBytes(text), media.ToString());
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    private static string Truncate(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
