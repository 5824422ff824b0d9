using System.Globalization;
using MentorFlow.Testing.Server.Crash;

namespace MentorFlow.Benchmarks;

/// <summary>
/// Crash anywhere (<see cref="CrashHarness"/>): the programme lifecycle in child processes killed with SIGKILL at
/// random points and restarted on the same database, on SQLite (one process) and PostgreSQL (two replicas). Prints
/// kills, restarts, lost, duplicated, stuck and time per provider; the exit code is 1 when anything was lost,
/// duplicated or stuck, or the scenario did not complete.
/// Options: <c>--kills N</c> (30; 4 with <c>--smoke</c>), <c>--seed S</c> (1), <c>--provider sqlite|postgres</c> (both),
/// <c>--mentors M</c> (4; 2 with <c>--smoke</c>; three mentees each), <c>--max-kill-delay-ms D</c> (2000),
/// <c>--timeout-minutes T</c> (90 per provider: a loaded machine restarts a replica in half a minute or more).
/// PostgreSQL needs MENTORFLOW_TEST_POSTGRES (an admin connection string; scripts/dev-postgres.sh starts a server).
/// </summary>
public static class CrashBenchmark
{
    /// <summary>The options <see cref="RunAsync"/> reads; the runner refuses any other.</summary>
    public static IReadOnlyList<string> Options { get; } = ["--smoke", "--provider", "--kills", "--seed", "--mentors", "--max-kill-delay-ms", "--timeout-minutes"];

    public static async Task RunAsync(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var providers = Text(args, "--provider") switch
        {
            null => [CrashProvider.Sqlite, CrashProvider.Postgres],
            "sqlite" => [CrashProvider.Sqlite],
            "postgres" => new[] { CrashProvider.Postgres },
            var other => throw new ArgumentException($"--provider '{other}': use sqlite or postgres"),
        };
        var results = new List<CrashResult>();
        foreach (var provider in providers)
        {
            var options = new CrashOptions
            {
                Provider = provider,
                Kills = Number(args, "--kills") ?? (smoke ? 4 : 30),
                Seed = Number(args, "--seed") ?? 1,
                Mentors = Number(args, "--mentors") ?? (smoke ? 2 : 4),
                MaxKillDelay = TimeSpan.FromMilliseconds(Number(args, "--max-kill-delay-ms") ?? 2_000),
                PostgresAdmin = Environment.GetEnvironmentVariable("MENTORFLOW_TEST_POSTGRES"),
                Timeout = TimeSpan.FromMinutes(Number(args, "--timeout-minutes") ?? 90),
            };
            var result = await CrashHarness.RunAsync(options, line => Console.WriteLine($"  {line}"));
            results.Add(result);
            foreach (var problem in result.Problems())
            {
                await Console.Error.WriteLineAsync($"FAILED ({provider}): {problem}");
            }

            if (result.Folder is not null)
            {
                await Console.Error.WriteLineAsync($"logs and database kept in {result.Folder}");
            }
        }

        Console.WriteLine();
        Console.WriteLine("| run | kills | restarts | retried requests | pairs | mails | series | lost | duplicated | stuck | time |");
        Console.WriteLine("|-----|-------|----------|------------------|-------|-------|--------|------|------------|-------|------|");
        foreach (var result in results)
        {
            Console.Write(result.Table().Split('\n', 3)[2]);
        }

        if (results.Any(r => r.Problems().Count > 0))
        {
            Environment.ExitCode = 1;
        }
    }

    private static string? Text(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int? Number(string[] args, string name) =>
        Text(args, name) is { } text && int.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : null;
}
