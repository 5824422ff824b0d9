using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace MentorFlow.Server.FlowHttp;

/// <summary>
/// Reads a request for a flow: the body within its limit (never more than the limit plus one buffer is read), parsed
/// as JSON (<c>application/json</c>, <c>+json</c>), a form (<c>application/x-www-form-urlencoded</c>) or UTF-8 text;
/// query string, route values and headers as JSON objects. Credentials and cookies are never handed to the flow (they
/// would be stored in the instance). Bad input is a problem naming the part, never an exception.
/// </summary>
internal static class FlowHttpRequestReader
{
    /// <summary>Deepest JSON a request body may nest.</summary>
    public const int MaxJsonDepth = 64;

    /// <summary>Most form fields or query parameters handed to a flow.</summary>
    public const int MaxFields = 1000;

    /// <summary>Headers never handed to a flow.</summary>
    public static readonly IReadOnlySet<string> SecretHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key",
    };

    public sealed record Body(JsonNode? Content, bool TooLarge, long Length, string? ErrorField = null, string? Error = null, int ErrorStatus = StatusCodes.Status400BadRequest);

    public static async Task<Body> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return new Body(null, true, request.ContentLength.Value);
        }

        if (request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0)
        {
            return new Body(null, false, 0);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return new Body(null, true, buffer.Length + read);
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.ToArray();
        if (bytes.Length == 0)
        {
            return new Body(null, false, 0);
        }

        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        if (mediaType is null && !string.IsNullOrEmpty(request.ContentType))
        {
            return new Body(null, false, bytes.Length, "Content-Type", $"'{Clip(request.ContentType)}' is not a media type.", StatusCodes.Status415UnsupportedMediaType);
        }

        if (mediaType is "multipart/form-data")
        {
            return new Body(null, false, bytes.Length, "Content-Type", "file uploads (multipart/form-data) are not accepted by flows; send JSON, a URL-encoded form or text.", StatusCodes.Status415UnsupportedMediaType);
        }

        if (!TryText(bytes, out var text))
        {
            return new Body(null, false, bytes.Length, "body", "the body is not UTF-8 text; flows accept JSON, URL-encoded forms and text.", StatusCodes.Status415UnsupportedMediaType);
        }

        if (mediaType is "application/json" || mediaType?.EndsWith("+json", StringComparison.Ordinal) == true)
        {
            try
            {
                return new Body(JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = MaxJsonDepth }), false, bytes.Length);
            }
            catch (JsonException exception)
            {
                // Where it broke, and what to send; never the parser's own wording.
                var where = exception.LineNumber is { } line ? $" at line {line + 1}, position {(exception.BytePositionInLine ?? 0) + 1}" : "";
                return new Body(null, false, bytes.Length, "body", $"the body is not valid JSON{where}: send one complete JSON document (at most {MaxJsonDepth} levels deep), or use another Content-Type.");
            }
        }

        if (mediaType is "application/x-www-form-urlencoded")
        {
            var form = QueryHelpers.ParseQuery(text.StartsWith('?') ? text : "?" + text);
            return form.Count > MaxFields
                ? new Body(null, false, bytes.Length, "body", $"the form has more than {MaxFields} fields.")
                : new Body(Values(form.Select(f => (f.Key, (IReadOnlyList<string?>)f.Value.ToArray()))), false, bytes.Length);
        }

        return new Body(JsonValue.Create(text), false, bytes.Length);
    }

    /// <summary>Query string as a JSON object: one value as a string, repeated keys as an array (Elsa's shape for one value).</summary>
    public static JsonObject Query(HttpRequest request) => Values(request.Query.Take(MaxFields).Select(q => (q.Key, (IReadOnlyList<string?>)q.Value.ToArray())));

    /// <summary>Request headers as a JSON object, without credentials and cookies.</summary>
    public static JsonObject Headers(HttpRequest request) =>
        Values(request.Headers.Where(h => !SecretHeaders.Contains(h.Key)).Select(h => (h.Key, (IReadOnlyList<string?>)h.Value.ToArray())));

    private static JsonObject Values(IEnumerable<(string Key, IReadOnlyList<string?> Values)> pairs)
    {
        var result = new JsonObject();
        foreach (var (key, values) in pairs)
        {
            if (result.ContainsKey(key))
            {
                continue;
            }

            result[key] = values.Count == 1 ? JsonValue.Create(values[0]) : new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
        }

        return result;
    }

    private static bool TryText(byte[] bytes, out string text)
    {
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            if (text.Length > 0 && text[0] == '\uFEFF')
            {
                text = text[1..];
            }

            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    internal static string Clip(string text) => text.Length > 120 ? text[..120].ToString(CultureInfo.InvariantCulture) + "…" : text;
}
