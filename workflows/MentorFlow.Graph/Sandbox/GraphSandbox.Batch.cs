using System.Text.Json.Nodes;
using static MentorFlow.Graph.Sandbox.SandboxJson;

namespace MentorFlow.Graph.Sandbox;

/// <summary>
/// <c>POST /v1.0/$batch</c>: at most 20 steps, each run through <see cref="HandleAsync"/> (so each counts against its
/// mailbox's limits), <c>dependsOn</c> answered 424 when a dependency failed, responses returned in a seeded shuffled
/// order (Graph returns them in any order).
/// </summary>
public sealed partial class GraphSandbox
{
    private readonly Lock _batchGate = new();
    private readonly Random _batchOrder = new(options.Value.BatchOrderSeed);
    private long _batches;

    /// <summary><c>$batch</c> envelopes received.</summary>
    public long BatchCount => Interlocked.Read(ref _batches);

    private async Task<SandboxResponse> BatchAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        if (ParseObject(request) is not { } body || body["requests"] is not JsonArray steps)
        {
            return Error(request, 400, "BadRequest", "Invalid batch payload format.");
        }

        Interlocked.Increment(ref _batches);
        if (steps.Count > 20)
        {
            return Error(request, 400, "BadRequest", "Maximum number of requests allowed in a batch is 20.");
        }

        var parsed = new List<(string Id, string Method, string Url, JsonNode? Body, string[] DependsOn)>();
        foreach (var step in steps)
        {
            if (step is not JsonObject item || Text(item, "id") is not { Length: > 0 } id || Text(item, "method") is not { } method
                || Text(item, "url") is not { } url)
            {
                return Error(request, 400, "BadRequest", "Each batch request needs an id, a method and a url.");
            }

            if (parsed.Any(p => p.Id == id))
            {
                return Error(request, 400, "BadRequest", $"Batch request ids must be unique; '{id}' is repeated.");
            }

            if (item["body"] is not null && (item["headers"] is not JsonObject headers || Text(headers, "Content-Type") is null))
            {
                return Error(request, 400, "BadRequest", $"Batch request '{id}' has a body but no Content-Type header.");
            }

            var dependsOn = item["dependsOn"]?.AsArray().Select(d => d?.GetValue<string>() ?? string.Empty).ToArray() ?? [];
            parsed.Add((id, method, url, item["body"], dependsOn));
        }

        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        var responses = new List<JsonObject>();
        foreach (var step in parsed)
        {
            SandboxResponse inner;
            if (step.DependsOn.Any(d => !statuses.TryGetValue(d, out var status) || status >= 400))
            {
                inner = Error(request, 424, "FailedDependency", "Failed dependency.");
            }
            else
            {
                var (path, query) = SplitUrl(step.Url);
                inner = await HandleAsync(new SandboxRequest(step.Method, path, query, step.Body?.ToJsonString(), request.ClientRequestId), cancellationToken);
            }

            statuses[step.Id] = inner.Status;
            var headers = new JsonObject();
            foreach (var (name, value) in inner.Headers)
            {
                headers[name] = value;
            }

            var response = new JsonObject { ["id"] = step.Id, ["status"] = inner.Status, ["headers"] = headers };
            if (!string.IsNullOrEmpty(inner.Body))
            {
                response["body"] = JsonNode.Parse(inner.Body);
            }

            responses.Add(response);
        }

        lock (_batchGate)
        {
            for (var i = responses.Count - 1; i > 0; i--)
            {
                var j = _batchOrder.Next(i + 1);
                (responses[i], responses[j]) = (responses[j], responses[i]);
            }
        }

        return Json(200, new JsonObject { ["responses"] = new JsonArray(responses.Select(r => (JsonNode)r).ToArray()) });
    }

    private static (string Path, IReadOnlyDictionary<string, string> Query) SplitUrl(string url)
    {
        var relative = url;
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
        {
            relative = absolute.PathAndQuery;
        }

        var question = relative.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? relative : relative[..question];
        if (path.StartsWith("/v1.0/", StringComparison.OrdinalIgnoreCase))
        {
            path = path[5..];
        }

        var query = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (question >= 0)
        {
            foreach (var pair in relative[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
                query[name] = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }
        }

        return (path, query);
    }
}
