using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace MentorFlow.Server.Studio;

/// <summary>
/// Where the unpacked Elsa Studio package is on disk, if anywhere. A missing package is not an error: the server starts
/// and the Studio pages say how to install it.
/// </summary>
public sealed class StudioPackage
{
    private const string RelativeToRepository = "workflows/studio/node_modules/@elsa-workflows/elsa-studio-wasm";

    private StudioPackage(string? root, IReadOnlyList<string> searched)
    {
        Root = root;
        Searched = searched;
        Files = root is null ? new NullFileProvider() : new PhysicalFileProvider(root);
    }

    /// <summary>The package folder, or null when it is not installed.</summary>
    public string? Root { get; }

    /// <summary>The folders that were looked at (shown on the "not installed" page).</summary>
    public IReadOnlyList<string> Searched { get; }

    public bool IsInstalled => Root is not null;

    public IFileProvider Files { get; }

    public static StudioPackage Locate(IOptions<StudioOptions> options, IHostEnvironment environment)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Value.PackagePath))
        {
            candidates.Add(Path.GetFullPath(options.Value.PackagePath, environment.ContentRootPath));
        }
        else
        {
            candidates.Add(Path.Combine(environment.ContentRootPath, "..", "studio", "node_modules", "@elsa-workflows", "elsa-studio-wasm"));
            foreach (var start in new[] { environment.ContentRootPath, AppContext.BaseDirectory })
            {
                for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
                {
                    candidates.Add(Path.Combine(directory.FullName, RelativeToRepository));
                }
            }
        }

        var searched = candidates.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
        var root = searched.FirstOrDefault(IsPackageFolder);
        return new StudioPackage(root, searched);
    }

    private static bool IsPackageFolder(string path) =>
        File.Exists(Path.Combine(path, "_framework", "blazor.webassembly.js"))
        && Directory.Exists(Path.Combine(path, "_content"));
}
