namespace MentorFlow.ArchitectureTests;

/// <summary>The source tree the tests run from (the folder holding MentorFlow.sln).</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static IEnumerable<string> ProductionProjects() =>
        new[] { "apphost", "workflows", "reporting" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Root, folder), "*.csproj", SearchOption.AllDirectories))
            .Where(path => !IsBuildOutput(path));

    public static IEnumerable<string> AllProjects() =>
        Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories).Where(path => !IsBuildOutput(path));

    public static IEnumerable<string> ProductionSources() =>
        ProductionProjects()
            .SelectMany(project => Directory.EnumerateFiles(Path.GetDirectoryName(project)!, "*.cs", SearchOption.AllDirectories))
            .Where(path => !IsBuildOutput(path) && !IsMigration(path));

    /// <summary>Every C# file of the repository except build output and generated EF Core migrations.</summary>
    public static IEnumerable<string> Sources() =>
        Directory.EnumerateFiles(Root, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(path) && !IsMigration(path));

    public static string Relative(string path) => Path.GetRelativePath(Root, path);

    private static bool IsMigration(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    /// <summary>Build output, installed packages and git's own files.</summary>
    public static bool IsIgnored(string path) =>
        IsBuildOutput(path) || path.Split(Path.DirectorySeparatorChar).Any(part => part is ".git" or "TestResults" or "artifacts");

    private static bool IsBuildOutput(string path) =>
        path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules");

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MentorFlow.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("MentorFlow.sln not found above " + AppContext.BaseDirectory);
    }
}
