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

    /// <summary>
    /// The projects that host HTTP and so need the ASP.NET Core shared framework: the server (every endpoint of the
    /// product, <see cref="EndpointRuleTests"/>), the service defaults (health probes) and Graph, whose sandbox is a web
    /// server of its own. The domain modules (Workflows, Mentoring, Reporting) stay free of HTTP.
    /// </summary>
    private static readonly string[] AspNetCoreHosts = ["MentorFlow.ServiceDefaults", "MentorFlow.Graph", "MentorFlow.Server"];

    /// <summary>
    /// The source files over <see cref="MaxLines"/> lines today, each with the count it may not exceed (none since
    /// 2026-12-05): the list only shrinks (a file split below the limit must leave it).
    /// </summary>
    private static readonly Dictionary<string, int> OversizedFiles = new(StringComparer.Ordinal);

    private const int MaxLines = 500;

    [Fact]
    public void OnlyProjectsThatHostHttp_ReferenceTheAspNetCoreFramework()
    {
        var referencing = Repository.ProductionProjects()
            .Where(project => UsesAspNetCoreFramework(XDocument.Load(project)))
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(AspNetCoreHosts.Order(StringComparer.Ordinal), referencing);
    }

    [Fact]
    public void ProductionProjects_NeverReferenceTestOrBenchmarkProjects()
    {
        var tests = Path.Combine(Repository.Root, "tests") + Path.DirectorySeparatorChar;
        var violations = Repository.ProductionProjects()
            .SelectMany(project => ReferencedProjects(project).Where(path => path.StartsWith(tests, StringComparison.Ordinal))
                .Select(path => $"{Repository.Relative(project)} -> {Repository.Relative(path)}"))
            .ToList();

        Assert.Empty(violations);
    }

    [Fact]
    public void NoProject_ReferencesTheBenchmarksExecutable()
    {
        var violations = Repository.AllProjects()
            .Where(project => ReferencedProjects(project).Any(path => Path.GetFileNameWithoutExtension(path) == "MentorFlow.Benchmarks"))
            .Select(Repository.Relative)
            .ToList();

        Assert.True(violations.Count == 0, "share code through a library (e.g. tests/MentorFlow.Testing.Server), not the benchmarks:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void SourceFiles_StayUnderTheLineLimit_ExceptTheNamedOversizedFilesWhichMayNotGrow()
    {
        var sizes = Repository.Sources().ToDictionary(file => Repository.Relative(file).Replace('\\', '/'), file => File.ReadLines(file).Count(), StringComparer.Ordinal);

        var tooLong = sizes.Where(entry => entry.Value > OversizedFiles.GetValueOrDefault(entry.Key, MaxLines))
            .Select(entry => $"{entry.Key}: {entry.Value} lines (limit {OversizedFiles.GetValueOrDefault(entry.Key, MaxLines)})")
            .ToList();
        var stale = OversizedFiles.Keys.Where(file => sizes.GetValueOrDefault(file) <= MaxLines)
            .Select(file => $"{file}: now {sizes.GetValueOrDefault(file)} lines, remove it from {nameof(OversizedFiles)}")
            .ToList();

        Assert.True(tooLong.Count == 0, $"split these files (at most {MaxLines} lines; listed files may not grow):\n" + string.Join('\n', tooLong));
        Assert.True(stale.Count == 0, string.Join('\n', stale));
    }

    [Fact]
    public void Migrations_AreMarkedGenerated()
    {
        var attributes = File.ReadAllLines(Path.Combine(Repository.Root, ".gitattributes"));

        Assert.Contains(attributes, line => line.Trim() == "workflows/MentorFlow.Server/Persistence/Migrations/** linguist-generated=true");
    }

    [Fact]
    public void CodeAndDocuments_CiteOnlyTheRepository_NeverOutsideNotesOrIssueNumbers()
    {
        string[] extensions = [".cs", ".md", ".json", ".ps1", ".sh", ".ipynb"];
        var violations = Directory.EnumerateFiles(Repository.Root, "*", SearchOption.AllDirectories)
            .Where(file => extensions.Contains(Path.GetExtension(file), StringComparer.Ordinal) && !Repository.IsIgnored(file))
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, index)))
            .Where(entry => OutsideCitation().IsMatch(entry.line))
            .Select(entry => $"{Repository.Relative(entry.file)}:{entry.index + 1}: {entry.line.Trim()}")
            .ToList();

        Assert.True(violations.Count == 0, "point to the repository's docs/ and say what the code does:\n" + string.Join('\n', violations));
    }

    /// <summary>
    /// Building a Graph client changes the SDK's process-wide serializer registry, and two built at once break every
    /// request body of the process; <c>GraphClientProvider</c> builds them one at a time, so nothing else may.
    /// </summary>
    [Fact]
    public void GraphClients_AreBuiltOnlyByTheClientProvider()
    {
        const string provider = "workflows/MentorFlow.Graph/Gateway/GraphClientProvider.cs";
        var sources = Repository.Sources().ToList();
        var violations = sources
            .Where(file => Repository.Relative(file).Replace('\\', '/') != provider)
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, index)))
            .Where(entry => GraphClientConstruction().IsMatch(entry.line))
            .Select(entry => $"{Repository.Relative(entry.file)}:{entry.index + 1}: {entry.line.Trim()}")
            .ToList();

        Assert.Contains(sources, file => Repository.Relative(file).Replace('\\', '/') == provider
            && File.ReadLines(file).Any(line => GraphClientConstruction().IsMatch(line)));
        Assert.True(violations.Count == 0, "build Graph clients through GraphClientProvider (CreateSandboxClient, GetClientAsync):\n" + string.Join('\n', violations));
    }

    private static bool UsesAspNetCoreFramework(XDocument project) =>
        project.Root?.Attribute("Sdk")?.Value == "Microsoft.NET.Sdk.Web"
        || project.Descendants("FrameworkReference").Any(reference => reference.Attribute("Include")?.Value == "Microsoft.AspNetCore.App");

    private static IEnumerable<string> ReferencedProjects(string project) =>
        XDocument.Load(project).Descendants("ProjectReference")
            .Select(reference => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar))));

    [GeneratedRegex(@"\bDateTime(Offset)?\.(UtcNow|Now|Today)\b")]
    private static partial Regex WallClock();

    // Character classes keep the pattern from matching its own source line.
    [GeneratedRegex(@"/wor[k]/|share[d]/(design|house-style)\.md|(?<!docs/)\bdesig[n]\.md|\bissu[e] #?\d+\b|as the module[s] land", RegexOptions.IgnoreCase)]
    private static partial Regex OutsideCitation();

    [GeneratedRegex(@"new\s+(Microsoft\.Graph\.)?GraphServiceClient\s*\(|\bGraphServiceClient\??\s+\w+\s*(=|=>)\s*new\s*\(")]
    private static partial Regex GraphClientConstruction();

    [GeneratedRegex(@"<NoWarn>[^<]*NU19\d\d")]
    private static partial Regex AuditNoWarn();
}
