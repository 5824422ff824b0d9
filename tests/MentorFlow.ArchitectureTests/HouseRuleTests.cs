using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MentorFlow.ArchitectureTests;

/// <summary>The house rules (README, "Development"), enforced by tests instead of review.</summary>
public sealed partial class HouseRuleTests
{
    /// <summary>Dependencies point one way: AppHost → Server → modules; Reporting depends on no MentorFlow project.</summary>
    private static readonly Dictionary<string, string[]> AllowedReferences = new(StringComparer.Ordinal)
    {
        ["MentorFlow.ServiceDefaults"] = [],
        ["MentorFlow.Workflows"] = [],
        ["MentorFlow.Reporting"] = [],
        ["MentorFlow.Graph"] = ["MentorFlow.Workflows"],
        ["MentorFlow.Mentoring"] = ["MentorFlow.Workflows", "MentorFlow.Graph", "MentorFlow.Reporting"],
        ["MentorFlow.Cli"] = ["MentorFlow.Reporting"],
        ["MentorFlow.Server"] = ["MentorFlow.ServiceDefaults", "MentorFlow.Workflows", "MentorFlow.Graph", "MentorFlow.Mentoring", "MentorFlow.Reporting"],
        ["MentorFlow.AppHost"] = ["MentorFlow.Server"],
    };

    [Fact]
    public void ProductionProjects_ReferenceOnlyProjectsTheDependencyDirectionAllows()
    {
        var violations = new List<string>();
        foreach (var project in Repository.ProductionProjects())
        {
            var name = Path.GetFileNameWithoutExtension(project);
            Assert.True(AllowedReferences.ContainsKey(name), $"{name} is a new production project: add it to the dependency rules");
            var references = XDocument.Load(project).Descendants("ProjectReference")
                .Select(reference => Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value.Replace('\\', '/')));
            violations.AddRange(references.Except(AllowedReferences[name]).Select(reference => $"{name} -> {reference}"));
        }

        Assert.Empty(violations);
    }

    [Fact]
    public void ProductionCode_NeverReadsTheWallClock()
    {
        var violations = Repository.ProductionSources()
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, index)))
            .Where(entry => WallClock().IsMatch(entry.line) && !entry.line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .Select(entry => $"{Repository.Relative(entry.file)}:{entry.index + 1}: {entry.line.Trim()}")
            .ToList();

        Assert.True(violations.Count == 0, "inject TimeProvider instead:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void ProjectFiles_NeverNamePackageVersions()
    {
        var violations = Repository.AllProjects()
            .Where(project => XDocument.Load(project).Descendants("PackageReference").Any(reference => reference.Attribute("Version") is not null))
            .Select(Repository.Relative)
            .ToList();

        Assert.True(violations.Count == 0, "versions belong in Directory.Packages.props:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void BuildProperties_NeverSilenceNuGetAuditWarnings()
    {
        var files = Repository.AllProjects().Append(Path.Combine(Repository.Root, "Directory.Build.props")).Append(Path.Combine(Repository.Root, "Directory.Packages.props"));
        var violations = files.Where(file => AuditNoWarn().IsMatch(File.ReadAllText(file))).Select(Repository.Relative).ToList();

        Assert.Empty(violations);
    }

    [Fact]
    public void EveryProjectFolder_HasAReadme()
    {
        var missing = Repository.ProductionProjects()
            .Select(Path.GetDirectoryName)
            .Where(folder => !File.Exists(Path.Combine(folder!, "README.md")))
            .Select(folder => Repository.Relative(folder!))
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Solution_ListsEveryProject()
    {
        var solution = File.ReadAllText(Path.Combine(Repository.Root, "MentorFlow.sln"));
        var missing = Repository.AllProjects()
            .Select(project => Path.GetFileName(project))
            .Where(name => !solution.Contains(name, StringComparison.Ordinal))
            .ToList();

        Assert.Empty(missing);
    }

    [GeneratedRegex(@"\bDateTime(Offset)?\.(UtcNow|Now|Today)\b")]
    private static partial Regex WallClock();

    [GeneratedRegex(@"<NoWarn>[^<]*NU19\d\d")]
    private static partial Regex AuditNoWarn();
}
