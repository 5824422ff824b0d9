using System.Diagnostics;
using System.Globalization;
using MentorFlow.Cli.Notebooks;
using MentorFlow.Reporting.Synthesis;

namespace MentorFlow.Benchmarks;

/// <summary>
/// The whole notebook suite (notebooks/*.ipynb), cold: the first run in a fresh process (kernel, Roslyn and the
/// library not yet loaded; NuGet packages already in the local cache), on the notebooks' default synthetic programme
/// (250 mentors, 1,000 mentees, seed 7; --smoke: 60 × 240). Target: under 60 s on 2 cores. Prints per-notebook times.
/// </summary>
public static class NotebookBenchmark
{
    public const double TargetSeconds = 60;

    /// <summary>The options <see cref="RunAsync"/> reads; the runner refuses any other.</summary>
    public static IReadOnlyList<string> Options { get; } = ["--smoke"];

    public static async Task RunAsync(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var root = RepositoryRoot();
        var work = Path.Combine(Path.GetTempPath(), "mf-notebook-bench-" + Guid.NewGuid().ToString("N"));
        var data = Path.Combine(work, "data");
        var output = Path.Combine(work, "out");
        try
        {
            var synth = Stopwatch.StartNew();
            var (mentors, mentees, seed) = smoke ? (60, 240, 7) : (250, 1000, 7);
            SyntheticData.Generate(new SynthOptions { Mentors = mentors, Mentees = mentees, Seed = seed }).WriteTo(data);
            synth.Stop();

            var wall = Stopwatch.StartNew();
            var options = new NotebookSuiteOptions(
                [Path.Combine(root, "notebooks")],
                output,
                new Dictionary<string, string> { ["DataFolder"] = data, ["TruthSeed"] = seed.ToString(CultureInfo.InvariantCulture) },
                TimeSpan.FromMinutes(10));
            var result = await new NotebookSuite(TimeProvider.System).RunAsync(options, SilentNotebookProgress.Instance, CancellationToken.None);
            wall.Stop();

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"synthetic data: {mentors} mentors × {mentees} mentees, seed {seed}, generated in {synth.Elapsed.TotalSeconds:0.00} s (not counted)"));
            Console.WriteLine($"{"notebook",-28} {"cells",5} {"seconds",8} {"slowest cell",13}  status");
            foreach (var run in result.Runs)
            {
                var slowest = run.Cells.MaxBy(c => c.Elapsed);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{run.Name,-28} {run.Cells.Count,5} {run.Elapsed.TotalSeconds,8:0.00} {(slowest is null ? "-" : $"#{slowest.CellNumber} {slowest.Elapsed.TotalSeconds:0.0} s"),13}  {(run.Succeeded ? "ok" : "FAILED at cell " + run.Failure!.CellNumber)}"));
            }

            var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
            var verdict = wall.Elapsed.TotalSeconds < TargetSeconds && result.Succeeded ? "PASS" : "FAIL";
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"whole suite, cold: {wall.Elapsed.TotalSeconds:0.00} s wall (target < {TargetSeconds:0} s) → {verdict}; peak working set {peak:0} MiB; report {result.ReportPath}"));
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MentorFlow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MentorFlow.sln not found above " + AppContext.BaseDirectory);
    }
}
