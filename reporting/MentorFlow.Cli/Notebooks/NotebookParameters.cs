using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.DotNet.Interactive.Documents;

namespace MentorFlow.Cli.Notebooks;

/// <summary>One parameter declared in a notebook's parameters cell: its name, C# type keyword and literal value.</summary>
public sealed record NotebookParameter(string Name, string Type, string Literal, bool Overridden)
{
    /// <summary>The value as a reader sees it (string literals unquoted).</summary>
    public string DisplayValue => Literal.StartsWith('"') && Literal.EndsWith('"') && Literal.Length >= 2
        ? Regex.Unescape(Literal[1..^1])
        : Literal;
}

/// <summary>
/// Finds a notebook's parameters cell and rewrites its declarations with command-line overrides (as Papermill does for
/// Python notebooks). The parameters cell is the first code cell tagged <c>parameters</c> in its metadata, or the
/// first code cell whose first line is a <c>// Parameters</c> comment. A parameter is a one-line declaration
/// <c>var|string|int|long|double|decimal|bool Name = literal;</c>.
/// </summary>
public static partial class NotebookParameters
{
    [GeneratedRegex(@"^(?<lead>[ \t]*(?<type>var|string|int|long|double|decimal|bool)[ \t]+(?<name>[A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*)(?<value>[^;\r\n]*?)(?<tail>[ \t]*;.*)$", RegexOptions.Multiline)]
    private static partial Regex DeclarationPattern();

    [GeneratedRegex(@"^\s*//\s*parameters\b", RegexOptions.IgnoreCase)]
    private static partial Regex ParametersCommentPattern();

    /// <summary>The parameters cell, or <c>null</c> when the notebook has none.</summary>
    public static InteractiveDocumentElement? FindCell(InteractiveDocument document)
    {
        var code = document.Elements.Where(e => e.KernelName != "markdown").ToList();
        return code.FirstOrDefault(HasParametersTag) ?? code.FirstOrDefault(e => ParametersCommentPattern().IsMatch(e.Contents));
    }

    /// <summary>The parameters declared in the notebook (empty when it has no parameters cell).</summary>
    public static IReadOnlyList<NotebookParameter> Read(InteractiveDocument document, IReadOnlySet<string>? overridden = null)
    {
        var cell = FindCell(document);
        if (cell is null)
        {
            return [];
        }

        return [.. DeclarationPattern().Matches(cell.Contents).Select(m => new NotebookParameter(
            m.Groups["name"].Value,
            m.Groups["type"].Value,
            m.Groups["value"].Value.Trim(),
            overridden?.Contains(m.Groups["name"].Value) == true))];
    }

    /// <summary>
    /// Rewrites the parameters cell with the overrides this notebook declares and returns the names it applied.
    /// Overrides the notebook does not declare are left for other notebooks (the caller checks that each is used).
    /// </summary>
    /// <exception cref="NotebookParameterException">A value does not fit the parameter's type.</exception>
    public static IReadOnlySet<string> Apply(InteractiveDocument document, IReadOnlyDictionary<string, string> overrides)
    {
        var applied = new HashSet<string>(StringComparer.Ordinal);
        var cell = FindCell(document);
        if (cell is null || overrides.Count == 0)
        {
            return applied;
        }

        cell.Contents = DeclarationPattern().Replace(cell.Contents, match =>
        {
            var name = match.Groups["name"].Value;
            if (!overrides.TryGetValue(name, out var value))
            {
                return match.Value;
            }

            var literal = ToLiteral(name, match.Groups["type"].Value, match.Groups["value"].Value.Trim(), value);
            applied.Add(name);
            return match.Groups["lead"].Value + literal + ";  // overridden by mentorflow notebooks run";
        });
        return applied;
    }

    /// <summary>Parses <c>NAME=VALUE</c> pairs from the command line.</summary>
    /// <exception cref="NotebookParameterException">A pair has no '=' or an invalid name.</exception>
    public static IReadOnlyDictionary<string, string> ParseOverrides(IEnumerable<string> pairs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            var name = split > 0 ? pair[..split].Trim() : string.Empty;
            if (split <= 0 || !SyntaxFacts.IsValidIdentifier(name))
            {
                throw new NotebookParameterException(pair, $"--param '{pair}' must be NAME=VALUE with NAME a C# identifier");
            }

            result[name] = pair[(split + 1)..];
        }

        return result;
    }

    private static bool HasParametersTag(InteractiveDocumentElement element) =>
        element.Metadata is { } metadata
        && metadata.TryGetValue("tags", out var tags)
        && tags is IEnumerable<object> list
        && list.Any(t => string.Equals(t?.ToString(), "parameters", StringComparison.OrdinalIgnoreCase));

    private static string ToLiteral(string name, string type, string original, string value)
    {
        var kind = type != "var" ? type : InferType(original);
        return kind switch
        {
            "string" => SymbolDisplay.FormatLiteral(value, quote: true),
            "int" => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
                ? i.ToString(CultureInfo.InvariantCulture)
                : throw Invalid(name, value, "a whole number"),
            "long" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
                ? l.ToString(CultureInfo.InvariantCulture) + "L"
                : throw Invalid(name, value, "a whole number"),
            "double" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? d.ToString("R", CultureInfo.InvariantCulture) + "d"
                : throw Invalid(name, value, "a number"),
            "decimal" => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var m)
                ? m.ToString(CultureInfo.InvariantCulture) + "m"
                : throw Invalid(name, value, "a number"),
            "bool" => bool.TryParse(value, out var b)
                ? (b ? "true" : "false")
                : throw Invalid(name, value, "true or false"),
            _ => throw new NotebookParameterException(name, $"parameter '{name}' is not a literal and cannot be overridden"),
        };
    }

    private static string InferType(string literal) => literal switch
    {
        _ when literal.StartsWith('"') || literal.StartsWith("@\"", StringComparison.Ordinal) => "string",
        "true" or "false" => "bool",
        _ when literal.EndsWith('m') || literal.EndsWith('M') => "decimal",
        _ when literal.EndsWith('L') || literal.EndsWith('l') => "long",
        _ when int.TryParse(literal, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => "int",
        _ when double.TryParse(literal.TrimEnd('d', 'D'), NumberStyles.Float, CultureInfo.InvariantCulture, out _) => "double",
        _ => "expression",
    };

    private static NotebookParameterException Invalid(string name, string value, string expected) =>
        new(name, $"parameter '{name}' must be {expected}, got '{value}'");
}

/// <summary>A parameter override that cannot be applied; <see cref="Parameter"/> names it.</summary>
public sealed class NotebookParameterException : Exception
{
    public NotebookParameterException(string parameter, string message)
        : base(message) => Parameter = parameter;

    public NotebookParameterException()
        : this(string.Empty, "invalid notebook parameter")
    {
    }

    public NotebookParameterException(string message)
        : this(string.Empty, message)
    {
    }

    public NotebookParameterException(string message, Exception innerException)
        : base(message, innerException) => Parameter = string.Empty;

    public string Parameter { get; }
}
