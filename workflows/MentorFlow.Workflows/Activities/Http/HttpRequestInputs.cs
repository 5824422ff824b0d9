using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Activities.Http;

/// <summary>Builds the request both send activities describe with Elsa's inputs (URL, method, content, headers).</summary>
internal static class HttpRequestInputs
{
    private static readonly HashSet<string> Methods = new(StringComparer.OrdinalIgnoreCase) { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS" };

    public static HttpRequestMessage Build(
        ActivityExecutionContext context, OutboundHttp http, string? url, string? method, JsonNode? content, string? contentType, string? authorization, JsonNode? headers)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri))
        {
            throw new ActivityInputException(context.ActivityId, "url", "the URL is missing or not an absolute address.");
        }

        if (http.Refusal(uri) is { } refusal)
        {
            throw new ActivityInputException(context.ActivityId, "url", refusal);
        }

        var verb = string.IsNullOrWhiteSpace(method) ? "GET" : method.Trim().ToUpperInvariant();
        if (!Methods.Contains(verb))
        {
            throw new ActivityInputException(context.ActivityId, "method", $"'{verb}' is not an HTTP method flows may use ({string.Join(", ", Methods)}).");
        }

        var request = new HttpRequestMessage(new HttpMethod(verb), uri);
        if (content is not null)
        {
            var text = content is JsonValue value && value.TryGetValue<string>(out var s) ? s : content.ToJsonString();
            if (Encoding.UTF8.GetByteCount(text) > http.Options.MaxRequestBytes)
            {
                throw new ActivityInputException(context.ActivityId, "content", $"the request body is larger than Workflows:Http:MaxRequestBytes ({http.Options.MaxRequestBytes} bytes).");
            }

            var type = string.IsNullOrWhiteSpace(contentType) ? (content is JsonValue ? "text/plain" : "application/json") : contentType.Trim();
            if (!MediaTypeHeaderValue.TryParse(type, out var mediaType))
            {
                throw new ActivityInputException(context.ActivityId, "contentType", $"'{type}' is not a media type.");
            }

            request.Content = new StringContent(text, Encoding.UTF8, mediaType.MediaType ?? "application/json");
        }

        if (!string.IsNullOrWhiteSpace(authorization) && !request.Headers.TryAddWithoutValidation("Authorization", Clean(authorization)))
        {
            throw new ActivityInputException(context.ActivityId, "authorization", "the Authorization value is not a valid header value.");
        }

        foreach (var (name, values) in Headers(headers))
        {
            if (!request.Headers.TryAddWithoutValidation(name, values.Select(Clean)) && request.Content?.Headers.TryAddWithoutValidation(name, values.Select(Clean)) != true)
            {
                throw new ActivityInputException(context.ActivityId, "requestHeaders", $"header '{name}' cannot be set.");
            }
        }

        return request;
    }

    /// <summary>Header values keep no line breaks or control characters (no header injection).</summary>
    private static string Clean(string value) => new(value.Where(c => !char.IsControl(c)).ToArray());

    private static IEnumerable<(string Name, IReadOnlyList<string> Values)> Headers(JsonNode? headers)
    {
        if (headers is not JsonObject map)
        {
            yield break;
        }

        foreach (var (name, value) in map)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Any(c => char.IsControl(c) || c is ':' or ' '))
            {
                continue;
            }

            yield return (name, value switch
            {
                JsonArray array => [.. array.Select(v => v?.ToString() ?? "")],
                null => [],
                _ => [value.ToString()],
            });
        }
    }
}
