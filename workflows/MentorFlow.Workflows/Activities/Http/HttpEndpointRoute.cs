using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;

namespace MentorFlow.Workflows.Activities.Http;

/// <summary>
/// What one HTTP Endpoint activity of a published flow claims: its path and methods, who may call it and its limits.
/// Read from the activity's literal inputs (they decide routing, authorisation and limits before the flow runs, so
/// publish refuses expressions there).
/// </summary>
public sealed record HttpEndpointRoute
{
    /// <summary>The methods a flow may answer (Elsa offers GET, POST, PUT, HEAD and DELETE; PATCH is accepted too).</summary>
    public static readonly IReadOnlyList<string> KnownMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

    public required string DefinitionId { get; init; }
    public required string DefinitionVersionId { get; init; }
    public required string ActivityId { get; init; }
    public required HttpEndpointPath Path { get; init; }
    public required IReadOnlyList<string> Methods { get; init; }

    /// <summary>True: callers need a manager API key. False: anyone may call (the flow author chose it).</summary>
    public bool Authorize { get; init; }

    /// <summary>Elsa's policy name; MentorFlow has one policy (the manager key), so any name means <see cref="Authorize"/>.</summary>
    public string? Policy { get; init; }

    /// <summary>The flow's own body limit in bytes (capped by <c>Workflows:HttpEndpoints:MaxRequestBytes</c>).</summary>
    public long? RequestSizeLimit { get; init; }

    /// <summary>How long the caller waits for the flow's answer (capped by <c>Workflows:HttpEndpoints:RequestTimeout</c>).</summary>
    public TimeSpan? RequestTimeout { get; init; }

    /// <summary>An oversized body completes the activity on its "Request too large" port instead of answering 413.</summary>
    public bool ExposeRequestTooLargeOutcome { get; init; }

    /// <summary>True when the activity starts the flow; false when it waits mid-flow (a request resumes an instance).</summary>
    public bool StartsWorkflow { get; init; }

    /// <summary>The bookmark name a waiting instance holds for one method of this route.</summary>
    public string BookmarkName(string method) => HttpEndpoint.BookmarkName(method, Path);

    /// <summary>Whether callers need the manager key (Authorize, or any policy named).</summary>
    public bool RequiresManagerKey => Authorize || !string.IsNullOrWhiteSpace(Policy);

    /// <summary>
    /// Reads an HTTP Endpoint's route from its definition JSON; the problems (input name and message) when it cannot
    /// be routed.
    /// </summary>
    internal static HttpEndpointRoute? Read(JsonObject activity, string definitionId, string versionId, bool startsWorkflow, List<(string Input, string Message)> problems)
    {
        var path = HttpEndpointPath.Parse(Literal(activity, "path", problems), out var pathError);
        if (path is null)
        {
            problems.Add(("path", pathError ?? "the path is invalid."));
        }

        var methods = ReadMethods(activity, problems);
        var authorize = Literal(activity, "authorize", problems) is { } a && bool.TryParse(a.Trim(), out var flag) && flag;
        var policy = Literal(activity, "policy", problems);
        long? sizeLimit = null;
        if (Literal(activity, "requestSizeLimit", problems) is { Length: > 0 } size)
        {
            if (long.TryParse(size.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes) && bytes > 0)
            {
                sizeLimit = bytes;
            }
            else
            {
                problems.Add(("requestSizeLimit", $"'{size}' is not a positive number of bytes."));
            }
        }

        TimeSpan? timeout = null;
        if (Literal(activity, "requestTimeout", problems) is { Length: > 0 } time)
        {
            if (TimeSpan.TryParse(time.Trim(), CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
            {
                timeout = span;
            }
            else
            {
                problems.Add(("requestTimeout", $"'{time}' is not a positive time span such as 00:00:30."));
            }
        }

        var expose = Literal(activity, "exposeRequestTooLargeOutcome", problems) is { } e && bool.TryParse(e.Trim(), out var exposeFlag) && exposeFlag;
        return path is null || methods.Count == 0
            ? null
            : new HttpEndpointRoute
            {
                DefinitionId = definitionId,
                DefinitionVersionId = versionId,
                ActivityId = DefinitionReader.Str(activity, "id") ?? "",
                Path = path,
                Methods = methods,
                Authorize = authorize,
                Policy = string.IsNullOrWhiteSpace(policy) ? null : policy.Trim(),
                RequestSizeLimit = sizeLimit,
                RequestTimeout = timeout,
                ExposeRequestTooLargeOutcome = expose,
                StartsWorkflow = startsWorkflow,
            };
    }

    /// <summary>The HTTP Endpoint routes of a flowchart (starting ones: the flowchart's start activity).</summary>
    internal static List<HttpEndpointRoute> Of(FlowchartDefinition flowchart, List<(string ActivityId, string Input, string Message)>? problems = null)
    {
        var routes = new List<HttpEndpointRoute>();
        var start = flowchart.StartActivity;
        foreach (var node in flowchart.ActivityOrder.Where(n => n.Type == HttpEndpoint.TypeName))
        {
            var found = new List<(string Input, string Message)>();
            if (Read(node.Json, flowchart.DefinitionId, flowchart.VersionId, ReferenceEquals(node, start), found) is { } route)
            {
                routes.Add(route);
            }

            problems?.AddRange(found.Select(p => (node.Id, p.Input, p.Message)));
        }

        return routes;
    }

    private static List<string> ReadMethods(JsonObject activity, List<(string Input, string Message)> problems)
    {
        var text = Literal(activity, "supportedMethods", problems);
        if (string.IsNullOrWhiteSpace(text))
        {
            return ["GET"];
        }

        IEnumerable<string> names;
        try
        {
            names = JsonNode.Parse(text) is JsonArray array ? array.Select(v => v?.ToString() ?? "") : text.Split(',');
        }
        catch (JsonException)
        {
            names = text.Split(',');
        }

        var methods = new List<string>();
        foreach (var name in names.Select(n => n.Trim().ToUpperInvariant()).Where(n => n.Length > 0))
        {
            if (!KnownMethods.Contains(name))
            {
                problems.Add(("supportedMethods", $"'{name}' is not a method a flow may answer ({string.Join(", ", KnownMethods)})."));
            }
            else if (!methods.Contains(name))
            {
                methods.Add(name);
            }
        }

        if (methods.Count == 0 && !problems.Exists(p => p.Input == "supportedMethods"))
        {
            problems.Add(("supportedMethods", "no method is selected."));
        }

        return methods;
    }

    /// <summary>A literal input's text (null when unset); an expression is a problem.</summary>
    private static string? Literal(JsonObject activity, string input, List<(string Input, string Message)> problems)
    {
        var expression = ActivityBinder.ReadExpression(DefinitionReader.Get(activity, input));
        if (expression is null || expression.Type == ExpressionSyntax.Literal || (expression.Type == ExpressionSyntax.Object && input == "supportedMethods"))
        {
            return expression?.Value;
        }

        problems.Add((input, $"must be a literal value ({expression.Type} given): it decides how requests reach the flow before the flow runs."));
        return null;
    }
}
