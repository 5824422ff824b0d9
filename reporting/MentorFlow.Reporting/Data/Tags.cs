namespace MentorFlow.Reporting.Data;

/// <summary>
/// Lists inside a cell are separated by <c>;</c>; tags are compared case-insensitively after trimming, so they are
/// stored trimmed and lower-cased (invariant culture), without empty entries and without duplicates, in file order.
/// </summary>
public static class Tags
{
    public const char Separator = ';';

    public static IReadOnlyList<string> Split(string? cell)
    {
        if (string.IsNullOrWhiteSpace(cell))
        {
            return [];
        }

        var result = new List<string>();
        foreach (var part in cell.Split(Separator))
        {
            var tag = Normalise(part);
            if (tag.Length > 0 && !result.Contains(tag, StringComparer.Ordinal))
            {
                result.Add(tag);
            }
        }

        return result;
    }

    public static string Normalise(string tag) => tag.Trim().ToLowerInvariant();

    public static string Join(IEnumerable<string> tags) => string.Join(Separator, tags);
}
