namespace MentorFlow.Server.Tests.Studio;

/// <summary>Finds the unpacked Elsa Studio npm package the tests serve (installed by `npm ci` in workflows/studio).</summary>
internal static class StudioPackageLocator
{
    public static string RequirePackage()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "workflows", "studio", "node_modules", "@elsa-workflows", "elsa-studio-wasm");
            if (File.Exists(Path.Combine(candidate, "_framework", "blazor.webassembly.js")))
            {
                return candidate;
            }
        }

        Assert.Fail("The Elsa Studio npm package is not installed: run `npm ci` in workflows/studio (./test.sh and the server build do it).");
        return null!;
    }
}
