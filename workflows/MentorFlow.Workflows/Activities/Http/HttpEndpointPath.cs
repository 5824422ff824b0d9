using System.Text.RegularExpressions;

namespace MentorFlow.Workflows.Activities.Http;

/// <summary>
/// The path an HTTP Endpoint answers under <c>/workflows</c>, as Elsa writes it: literal segments and route parameters
/// (<c>/orders/{id}</c>). Parsed and checked at publish; matched against request paths when a request comes in.
/// </summary>
public sealed partial class HttpEndpointPath
{
    /// <summary>Longest path a flow may claim.</summary>
    public const int MaxLength = 200;

    /// <summary>Most segments a path may have.</summary>
    public const int MaxSegments = 16;

    /// <summary>First segments the server answers itself under <c>/workflows</c> (links the Studio roots at the site).</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "definitions", "instances" };

    public const string EmptyPath = "the path is empty.";

    private readonly string[] _segments;

    private HttpEndpointPath(string text, string[] segments)
    {
        Text = text;
        _segments = segments;
        Shape = "/" + string.Join('/', segments.Select(s => IsParameter(s) ? "{}" : s.ToLowerInvariant()));
        Parameters = [.. segments.Where(IsParameter).Select(s => s[1..^1])];
    }

    /// <summary>The path as normalised: a leading slash, no trailing slash (<c>/orders/{id}</c>).</summary>
    public string Text { get; }

    /// <summary>The path with parameter names erased and literals in lower case: two paths with the same shape claim the same requests.</summary>
    public string Shape { get; }

    /// <summary>The route parameters' names, in order.</summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>How many literal segments the path has (a more literal path wins over one with parameters).</summary>
    public int LiteralCount => _segments.Count(s => !IsParameter(s));

    /// <summary>Parses a flow author's path; null with the reason when it is not one flows may claim.</summary>
    public static HttpEndpointPath? Parse(string? path, out string? error)
    {
        error = null;
        var text = path?.Trim() ?? "";
        if (text.Length == 0)
        {
            error = EmptyPath;
            return null;
        }

        if (text.Length > MaxLength)
        {
            error = $"the path is longer than {MaxLength} characters.";
            return null;
        }

        if (text.StartsWith("/workflows/", StringComparison.OrdinalIgnoreCase))
        {
            error = "the path is relative to /workflows: write '/orders', not '/workflows/orders'.";
            return null;
        }

        var segments = text.Trim('/').Split('/');
        if (segments.Length > MaxSegments || segments.Any(s => s.Length == 0))
        {
            error = segments.Length > MaxSegments ? $"the path has more than {MaxSegments} segments." : "the path has an empty segment ('//') or is only '/'.";
            return null;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in segments)
        {
            if (IsParameter(segment))
            {
                if (!ParameterName().IsMatch(segment[1..^1]))
                {
                    error = $"route parameter '{segment}' must be a name in braces: letters, digits and '_' (no constraints, defaults or catch-alls).";
                    return null;
                }

                if (!names.Add(segment[1..^1]))
                {
                    error = $"route parameter '{segment}' appears twice.";
                    return null;
                }
            }
            else if (!LiteralSegment().IsMatch(segment))
            {
                error = $"segment '{segment}' may only hold letters, digits and '-', '.', '_', '~' (or be a route parameter such as '{{id}}').";
                return null;
            }
        }

        if (Reserved.Contains(segments[0]))
        {
            error = $"paths starting with '/{segments[0]}' are the Studio's own links under /workflows; choose another first segment.";
            return null;
        }

        return new HttpEndpointPath("/" + string.Join('/', segments), segments);
    }

    /// <summary>
    /// Matches a request path (relative to <c>/workflows</c>, already split into decoded segments); the route values
    /// when it matches. Literal segments compare case-insensitively.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Match(IReadOnlyList<string> request)
    {
        if (request.Count != _segments.Length)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < _segments.Length; i++)
        {
            if (IsParameter(_segments[i]))
            {
                values[_segments[i][1..^1]] = request[i];
            }
            else if (!string.Equals(_segments[i], request[i], StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        return values;
    }

    private static bool IsParameter(string segment) => segment.Length >= 2 && segment[0] == '{' && segment[^1] == '}';

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex ParameterName();

    [GeneratedRegex("^[A-Za-z0-9._~-]+$")]
    private static partial Regex LiteralSegment();
}
