using System.Globalization;

namespace MentorFlow.Workflows.Definitions;

/// <summary>Which version(s) of a definition a query wants (Elsa's <c>VersionOptions</c>).</summary>
public readonly record struct VersionOptions
{
    private VersionOptions(string kind, int? version)
    {
        Kind = kind;
        Version = version;
    }

    public string Kind { get; }
    public int? Version { get; }

    /// <summary>The latest version, draft or published.</summary>
    public static VersionOptions Latest { get; } = new("Latest", null);

    /// <summary>The published version.</summary>
    public static VersionOptions Published { get; } = new("Published", null);

    /// <summary>The published version if there is one, else the latest.</summary>
    public static VersionOptions LatestOrPublished { get; } = new("LatestOrPublished", null);

    /// <summary>The latest version and the published version (lists only).</summary>
    public static VersionOptions LatestAndPublished { get; } = new("LatestAndPublished", null);

    /// <summary>The latest version when it is a draft (unpublished).</summary>
    public static VersionOptions Draft { get; } = new("Draft", null);

    /// <summary>Every version (lists only).</summary>
    public static VersionOptions AllVersions { get; } = new("AllVersions", null);

    public static VersionOptions SpecificVersion(int version) => new("SpecificVersion", version);

    /// <summary>Parses Elsa's wire form: a name (case-insensitive) or a version number.</summary>
    public static bool TryParse(string? text, out VersionOptions options)
    {
        options = Latest;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
        {
            options = SpecificVersion(version);
            return true;
        }

        foreach (var candidate in new[] { Latest, Published, LatestOrPublished, LatestAndPublished, Draft, AllVersions })
        {
            if (string.Equals(candidate.Kind, text.Trim(), StringComparison.OrdinalIgnoreCase)
                || (text.Trim().Equals("All", StringComparison.OrdinalIgnoreCase) && candidate.Kind == "AllVersions"))
            {
                options = candidate;
                return true;
            }
        }

        return false;
    }

    public override string ToString() => Version is { } v ? v.ToString(CultureInfo.InvariantCulture) : Kind;
}
