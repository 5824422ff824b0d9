using System.Globalization;
using MentorFlow.Testing.Server;

namespace MentorFlow.Benchmarks;

/// <summary>
/// The programme lifecycle at scale (<see cref="ProgrammeScale"/>): N pairs from CSV import to active, every check-in
/// series created once within the Graph pacing. Prints the table; the exit code is 1 when a series is missing or
/// duplicated, a mail repeated, the pacing exceeded or the outbox not drained.
/// Options: <c>--pairs N</c> (2000), <c>--smoke</c> (50 pairs), <c>--limit R</c> (Graph:Dispatcher:RequestsPerWindow).
/// </summary>
public static class LifecycleBenchmark
{
    /// <summary>The options <see cref="RunAsync"/> reads; the runner refuses any other.</summary>
    public static IReadOnlyList<string> Options { get; } = ["--smoke", "--pairs", "--limit"];

    public static async Task RunAsync(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var pairs = Option(args, "--pairs") ?? (smoke ? 50 : 2_000);
        var result = await ProgrammeScale.RunAsync(new ProgrammeScaleOptions(pairs, Option(args, "--limit")), Console.WriteLine);
        Console.WriteLine();
        Console.Write(result.Table());
        var problems = result.Problems();
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync($"FAILED: {problem}");
        }

        if (problems.Count > 0)
        {
            Environment.ExitCode = 1;
        }
    }

    private static int? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
