using System.Linq.Expressions;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MentorFlow.Workflows.Persistence;

/// <summary>
/// What an erasure removes from stored text: each personal value (an address, a name, a statement…) and what replaces
/// it. Values are matched case-insensitively as written, HTML-encoded (mail bodies) and JSON-escaped (state and
/// payload columns stored as JSON text), so a value is found however a module stored it.
/// </summary>
public sealed class Redaction
{
    /// <summary>What replaces a personal text value.</summary>
    public const string Marker = "(erased)";

    /// <summary>Values shorter than this are not searched for (they would match unrelated text).</summary>
    public const int MinLength = 3;

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);
    private readonly Dictionary<string, string> _replacements = new(StringComparer.OrdinalIgnoreCase);
    private readonly Regex? _pattern;

    /// <param name="values">Each personal value and its replacement (e.g. an address → a pseudonym, a name → <see cref="Marker"/>).</param>
    public Redaction(IEnumerable<KeyValuePair<string, string>> values)
    {
        foreach (var (value, replacement) in values)
        {
            var trimmed = value?.Trim() ?? "";
            if (trimmed.Length < MinLength)
            {
                continue;
            }

            foreach (var (variant, replaced) in Variants(trimmed, replacement))
            {
                _replacements.TryAdd(variant, replaced);
            }
        }

        if (_replacements.Count > 0)
        {
            // A value is matched as a whole word ("Ana" is not found in "Banana").
            var alternatives = _replacements.Keys.OrderByDescending(k => k.Length)
                .Select(k => (char.IsLetterOrDigit(k[0]) ? "(?<![\\p{L}\\p{N}_])" : "") + Regex.Escape(k) + (char.IsLetterOrDigit(k[^1]) ? "(?![\\p{L}\\p{N}_])" : ""));
            _pattern = new Regex(string.Join('|', alternatives), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout);
        }
    }

    /// <summary>True when there is nothing to look for.</summary>
    public bool IsEmpty => _pattern is null;

    /// <summary>Every form searched for, lower-cased (for SQL filters: <c>lower(column) LIKE '%form%'</c>).</summary>
    public IReadOnlyList<string> SearchForms => [.. _replacements.Keys.Select(k => k.ToLowerInvariant()).Distinct(StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="text"/> holds one of the values in any of its forms.</summary>
    public bool Mentions(string? text) => text is not null && _pattern is not null && _pattern.IsMatch(text);

    /// <summary>The text with every form of every value replaced (null stays null).</summary>
    public string? Scrub(string? text) =>
        text is null || _pattern is null ? text : _pattern.Replace(text, match => _replacements[match.Value]);

    /// <summary>
    /// A JSON document with every string value scrubbed (property names are kept). Text that is not JSON is scrubbed
    /// as text. Returns the input unchanged (same instance) when nothing mentions the values.
    /// </summary>
    public string? ScrubJson(string? json)
    {
        if (json is null || !Mentions(json))
        {
            return json;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return Scrub(json);
        }

        return ScrubNode(node)?.ToJsonString() ?? "null";
    }

    /// <summary>Scrubs every string value of a JSON tree in place; returns the (possibly replaced) root.</summary>
    public JsonNode? ScrubNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[name];
                    if (ScrubNode(child) is var replaced && !ReferenceEquals(replaced, child))
                    {
                        obj[name] = replaced;
                    }
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var child = array[i];
                    if (ScrubNode(child) is var replaced && !ReferenceEquals(replaced, child))
                    {
                        array[i] = replaced;
                    }
                }

                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                var scrubbed = Scrub(text);
                return ReferenceEquals(text, scrubbed) || text == scrubbed ? value : JsonValue.Create(scrubbed);
            default:
                return node;
        }
    }

    /// <summary>
    /// A filter for rows whose text column mentions a value in any form:
    /// <c>lower(column) LIKE '%form%' OR …</c> (both SQLite and PostgreSQL translate it).
    /// </summary>
    public Expression<Func<T, bool>> MentionedIn<T>(Expression<Func<T, string?>> column)
    {
        var row = column.Parameters[0];
        Expression? any = null;
        var lower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;
        var contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
        foreach (var form in SearchForms)
        {
            var holder = new FormHolder(form);
            var test = Expression.AndAlso(
                Expression.NotEqual(column.Body, Expression.Constant(null, typeof(string))),
                Expression.Call(Expression.Call(column.Body, lower), contains,
                    Expression.Property(Expression.Constant(holder), nameof(FormHolder.Value))));
            any = any is null ? test : Expression.OrElse(any, test);
        }

        return Expression.Lambda<Func<T, bool>>(any ?? Expression.Constant(false), row);
    }

    /// <summary>Combines the <see cref="MentionedIn{T}"/> filters of several columns with OR.</summary>
    public Expression<Func<T, bool>> MentionedInAny<T>(params Expression<Func<T, string?>>[] columns)
    {
        var row = Expression.Parameter(typeof(T), "row");
        Expression any = Expression.Constant(false);
        foreach (var column in columns)
        {
            var filter = MentionedIn(column);
            any = Expression.OrElse(any, new ParameterSwap(filter.Parameters[0], row).Visit(filter.Body));
        }

        return Expression.Lambda<Func<T, bool>>(any, row);
    }

    private static IEnumerable<(string Variant, string Replacement)> Variants(string value, string replacement)
    {
        var html = WebUtility.HtmlEncode(value);
        yield return (value, replacement);
        yield return (html, WebUtility.HtmlEncode(replacement));
        yield return (JsonEscaped(value), JsonEscaped(replacement));
        yield return (JsonEscaped(html), JsonEscaped(WebUtility.HtmlEncode(replacement)));
    }

    private static string JsonEscaped(string value)
    {
        var quoted = JsonSerializer.Serialize(value);
        return quoted[1..^1];
    }

    /// <summary>Makes EF send each form as a parameter rather than a literal.</summary>
    private sealed class FormHolder(string value)
    {
        public string Value { get; } = value;
    }

    private sealed class ParameterSwap(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
