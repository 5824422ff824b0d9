using MentorFlow.Testing.Server.Peers;

namespace MentorFlow.Benchmarks;

/// <summary>
/// Which SQLite this process runs on: the native libraries mapped into it (<c>/proc/self/maps</c>) and the SQLitePCLRaw
/// assemblies loaded. The peers area runs our engine (EF Core, Microsoft.Data.Sqlite) and Hangfire's SQLite storage
/// (sqlite-net) in one process, so they must share one native SQLite and one SQLitePCLRaw.
/// </summary>
public static class NativeSqlite
{
    /// <summary>Prints what is loaded and returns it (a failure when more than one native SQLite or SQLitePCLRaw version is).</summary>
    public static SqliteFigures Report()
    {
        var natives = File.Exists("/proc/self/maps")
            ? File.ReadLines("/proc/self/maps")
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length >= 6 && IsNativeSqlite(Path.GetFileName(fields[5])))
                .Select(fields => fields[5])
                .Distinct(StringComparer.Ordinal)
                .ToList()
            : [];
        var assemblies = AppDomain.CurrentDomain.GetAssemblies()
            .Select(assembly => assembly.GetName())
            .Where(name => name.Name?.StartsWith("SQLitePCLRaw", StringComparison.Ordinal) == true)
            .OrderBy(name => name.Name, StringComparer.Ordinal)
            .ToList();
        var versions = assemblies.Select(name => name.Version?.ToString(3) ?? "?").Distinct(StringComparer.Ordinal).ToList();
        var version = SQLitePCL.raw.sqlite3_libversion().utf8_to_string();
        var loaded = assemblies.Select(name => $"{name.Name} {name.Version?.ToString(3)}").ToList();
        Console.WriteLine($"native SQLite loaded: {(natives.Count == 0 ? "none" : string.Join(", ", natives))}; SQLite {version}");
        Console.WriteLine($"SQLitePCLRaw loaded: {string.Join(", ", loaded)}");
        return new SqliteFigures(natives, loaded, versions, version);
    }

    /// <summary>A shared library with SQLite in its name (<c>libe_sqlite3.so</c>, <c>libsqlite3.so.0</c>), not a managed dll.</summary>
    private static bool IsNativeSqlite(string file) =>
        file.Contains("sqlite3", StringComparison.OrdinalIgnoreCase) && (file.EndsWith(".so", StringComparison.Ordinal) || file.Contains(".so.", StringComparison.Ordinal) || file.EndsWith(".dylib", StringComparison.Ordinal));
}
