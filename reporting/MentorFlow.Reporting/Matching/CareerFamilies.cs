namespace MentorFlow.Reporting.Matching;

/// <summary>
/// Career paths grouped into families, so that "related career path" is a feature. A path that is not listed is its
/// own family. The table is part of the feature schema: changing it changes <see cref="PairFeatures.SchemaVersion"/>.
/// </summary>
public static class CareerFamilies
{
    private static readonly Dictionary<string, string> FamilyOf = Build(new Dictionary<string, string[]>
    {
        ["engineering"] =
        [
            "software-engineering", "backend-engineering", "frontend-engineering", "mobile-development", "devops",
            "site-reliability", "security", "quality-engineering", "embedded-systems", "cloud-architecture",
            "engineering-management", "solutions-architecture",
        ],
        ["data"] = ["data-science", "data-engineering", "machine-learning", "analytics", "data-analysis", "ai-research"],
        ["product"] =
        [
            "product-management", "product-design", "ux-design", "ux-research", "design", "program-management",
            "project-management", "technical-writing",
        ],
        ["business"] =
        [
            "sales", "marketing", "customer-success", "operations", "finance", "consulting", "entrepreneurship",
            "business-development",
        ],
        ["people"] = ["people-management", "human-resources", "recruiting", "learning-and-development", "community-management"],
    });

    public static IReadOnlyCollection<string> KnownPaths => FamilyOf.Keys;

    public static string Of(string careerPath) =>
        FamilyOf.TryGetValue(careerPath, out var family) ? family : careerPath;

    private static Dictionary<string, string> Build(Dictionary<string, string[]> families)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (family, paths) in families)
        {
            foreach (var path in paths)
            {
                result[path] = family;
            }
        }

        return result;
    }
}
