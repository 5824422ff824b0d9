using System.Text.RegularExpressions;

namespace MentorFlow.ArchitectureTests;

/// <summary>
/// One rule for HTTP endpoints (docs/house-style.md, "Endpoints"): the server maps every endpoint of the product, each
/// module's from its folder in the server, in files named <c>XApi.cs</c> (JSON) or <c>XPages.cs</c> (pages) through a
/// <c>MapXApi</c> / <c>MapXPages(this IEndpointRouteBuilder)</c> extension; <c>Program.cs</c> only composes modules.
/// </summary>
public sealed partial class EndpointRuleTests
{
    private const string Server = "workflows/MentorFlow.Server/";

    /// <summary>Where endpoints are mapped outside the server's module folders, and why.</summary>
    private static readonly Dictionary<string, string> OtherHosts = new(StringComparer.Ordinal)
    {
        // The health probes every service of the AppHost maps (Aspire's MapDefaultEndpoints).
        ["apphost/MentorFlow.ServiceDefaults/"] = "health probes",
        // Microsoft Graph's stand-in: a web application of its own on its own address, with Graph's routes.
        ["workflows/MentorFlow.Graph/Sandbox/"] = "Graph sandbox",
    };

    [Fact]
    public void Endpoints_AreMappedOnlyInTheServersApiAndPagesFiles()
    {
        var mapping = MappingFiles();
        var violations = mapping
            .Where(file => !OtherHosts.Keys.Any(file.StartsWith) && !(file.StartsWith(Server, StringComparison.Ordinal) && IsEndpointFile(file)))
            .ToList();

        Assert.Contains(mapping, file => file.StartsWith(Server, StringComparison.Ordinal) && file.EndsWith("Api.cs", StringComparison.Ordinal));
        Assert.True(violations.Count == 0,
            "map endpoints in the server, in a module's XApi.cs (JSON) or XPages.cs (pages):\n" + string.Join('\n', violations));
    }

    [Fact]
    public void EveryApiAndPagesFile_DeclaresAMapExtensionNamedAfterIt()
    {
        var violations = MappingFiles()
            .Where(file => file.StartsWith(Server, StringComparison.Ordinal) && IsEndpointFile(file))
            .Where(file =>
            {
                var name = Path.GetFileNameWithoutExtension(file);
                return !Regex.IsMatch(File.ReadAllText(Path.Combine(Repository.Root, file)),
                    $@"static\s+IEndpointRouteBuilder\s+Map{name}\(this\s+IEndpointRouteBuilder\s");
            })
            .ToList();

        Assert.True(violations.Count == 0,
            "each XApi.cs / XPages.cs declares 'public static IEndpointRouteBuilder MapX(this IEndpointRouteBuilder …)':\n" + string.Join('\n', violations));
    }

    [Fact]
    public void Program_OnlyComposesModules_AndMapsNothingItself()
    {
        var program = File.ReadAllLines(Path.Combine(Repository.Root, Server, "Program.cs"));
        var violations = program.Select((line, index) => (line, index))
            .Where(entry => RouteMapping().IsMatch(entry.line) || ModuleEndpoints().IsMatch(entry.line) || CallWithArguments().IsMatch(entry.line))
            .Select(entry => $"Program.cs:{entry.index + 1}: {entry.line.Trim()}")
            .ToList();

        Assert.Contains(program, line => line.Contains("app.MapMentoring();", StringComparison.Ordinal));
        Assert.True(violations.Count == 0,
            "Program.cs calls builder.AddX(), app.UseX() and app.MapX() of modules, without arguments; routes belong in a module's XApi.cs:\n"
            + string.Join('\n', violations));
    }

    /// <summary>Production source files (relative, '/'-separated) that map a route.</summary>
    private static List<string> MappingFiles() =>
        Repository.ProductionSources()
            .Where(file => RouteMapping().IsMatch(File.ReadAllText(file)))
            .Select(file => Repository.Relative(file).Replace('\\', '/'))
            .ToList();

    private static bool IsEndpointFile(string file) =>
        file.EndsWith("Api.cs", StringComparison.Ordinal) || file.EndsWith("Pages.cs", StringComparison.Ordinal);

    [GeneratedRegex(@"\.(Map(Get|Post|Put|Delete|Patch|Methods|Group|Fallback\w*|OpenApi|ScalarApiReference|HealthChecks|RazorComponents|Controllers\w*|Hub|StaticAssets)\s*[(<]|Map\(\s*"")")]
    private static partial Regex RouteMapping();

    [GeneratedRegex(@"\.Map\w+(Api|Pages)\(")]
    private static partial Regex ModuleEndpoints();

    [GeneratedRegex(@"\b(app|builder)\.\w+(<[^<>()]*>)?\((?!\))")]
    private static partial Regex CallWithArguments();
}
