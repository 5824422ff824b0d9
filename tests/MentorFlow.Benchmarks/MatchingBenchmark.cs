using System.Diagnostics;
using System.Globalization;
using MentorFlow.Reporting.Matching;
using MentorFlow.Reporting.Synthesis;

namespace MentorFlow.Benchmarks;

/// <summary>
/// Match quality and speed. Prints:
/// 1. the quality table on synthetic data (250 mentors × 1,000 mentees, seeds 7–9): total true success of the
///    model's min-cost-flow assignment vs the oracle (optimal assignment on the hidden true probabilities), greedy
///    and random — target ≥ 0.90 of the oracle;
/// 2. score + assign (+ reasons of the proposed pairs) of 1,000 mentees × 250 mentors — target &lt; 0.5 s (interactive);
/// 3. score + assign of 10,000 mentees × 2,500 mentors (capacity 1–4) — targets ≤ 5 s wall and ≤ 1 GiB peak.
/// Training is timed apart (it runs once per history, not per matching). --smoke: small sizes, seconds long.
/// </summary>
public static class MatchingBenchmark
{
    public static Task RunAsync(string[] args)
    {
        var smoke = args.Contains("--smoke");
        Quality(smoke ? [(60, 240, 21)] : [(250, 1000, 7), (250, 1000, 8), (250, 1000, 9)]);
        Speed("interactive", smoke ? 100 : 250, smoke ? 400 : 1000, TimeSpan.FromSeconds(0.5), null);
        if (!smoke)
        {
            Speed("large", 2500, 10_000, TimeSpan.FromSeconds(5), 1024);
        }

        return Task.CompletedTask;
    }

    private static void Quality(IEnumerable<(int Mentors, int Mentees, int Seed)> worlds)
    {
        Console.WriteLine("quality: total true success of the assigned pairs (min-score 0 for all methods)");
        Console.WriteLine($"{"data",-22} {"method",-38} {"matched",8} {"true success",13} {"of oracle",10} {"mean p",7}");
        foreach (var (mentors, mentees, seed) in worlds)
        {
            var data = SyntheticData.Generate(new SynthOptions { Mentors = mentors, Mentees = mentees, Seed = seed });
            var report = MatchQuality.Evaluate(data, seed: 42);
            var label = $"{mentors}×{mentees} seed {seed}";
            foreach (var row in report.Rows)
            {
                Console.WriteLine(Invariant($"{label,-22} {row.Method,-38} {row.Matched,8} {row.TotalTrueSuccess,13:0.0} {row.RatioToOracle,10:0.000} {row.MeanTrueSuccess,7:0.000}"));
            }

            var e = report.Model.Evaluation;
            Console.WriteLine(e is null
                ? $"{label,-22} model: cold start ({report.Model.ColdStartReason})"
                : Invariant($"{label,-22} model: {e.Trainer} on {e.Pairs} outcomes, CV AUC {e.Auc:0.000}, log-loss {e.LogLoss:0.000} ({string.Join(", ", e.Candidates.Select(c => Invariant($"{c.Trainer} {c.Auc:0.000}/{c.LogLoss:0.000}")))})"));
            var ratio = report.Row(MatchQuality.Model).RatioToOracle;
            Console.WriteLine($"{label,-22} target ≥ 0.90 of oracle: {(ratio >= 0.90 ? "met" : "MISSED")}");
        }

        Console.WriteLine();
    }

    private static void Speed(string name, int mentors, int mentees, TimeSpan target, int? memoryTargetMiB)
    {
        var data = SyntheticData.Generate(new SynthOptions { Mentors = mentors, Mentees = mentees, HistoryMentors = 250, HistoryMentees = 1000, Seed = 7 });
        var clock = Stopwatch.StartNew();
        var model = MatchModel.Train(data.History, data.Outcomes, 42);
        var train = clock.Elapsed;

        // One cold run (JIT, ML.NET and OR-Tools native load; printed), then three measured warm runs.
        var cold = Stopwatch.StartNew();
        Run(model, data, out _);
        cold.Stop();
        var runs = new List<(TimeSpan Wall, TimeSpan Cpu, TimeSpan Score, long PeakMiB, int Pairs, int Matched)>();
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            ResetPeak();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var (score, pairs, matched) = Run(model, data, out var scoreTime);
            wall.Stop();
            runs.Add((wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu, scoreTime, PeakMiB(), pairs, matched));
            _ = score;
        }

        var median = runs.OrderBy(r => r.Wall).ElementAt(1);
        var peak = runs.Max(r => r.PeakMiB);
        Console.WriteLine(Invariant($"{name}: {mentees:N0} mentees × {mentors:N0} mentors (capacity 1–4), {Environment.ProcessorCount} cores; training {train.TotalSeconds:0.00} s ({model.Evaluation?.Trainer}, {data.Outcomes.Count} outcomes)"));
        Console.WriteLine(Invariant($"cold first run (JIT, native loads): {cold.Elapsed.TotalSeconds:0.000} s"));
        Console.WriteLine($"{"run",-5} {"score+assign",13} {"of which score",15} {"cpu",8} {"peak RSS",10} {"pairs scored",13} {"matched",8}");
        for (var i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            Console.WriteLine(Invariant($"{i + 1,-5} {r.Wall.TotalSeconds,11:0.000} s {r.Score.TotalSeconds,13:0.000} s {r.Cpu.TotalSeconds,6:0.00} s {r.PeakMiB,6} MiB {r.Pairs,13:N0} {r.Matched,8:N0}"));
        }

        var timeMet = median.Wall <= target;
        var memoryMet = memoryTargetMiB is not { } limit || peak <= limit;
        Console.WriteLine(Invariant($"target: score+assign ≤ {target.TotalSeconds:0.0} s (median {median.Wall.TotalSeconds:0.000} s): {(timeMet ? "met" : "MISSED")}") +
                          (memoryTargetMiB is { } mib ? Invariant($"; peak ≤ {mib} MiB (max {peak} MiB): {(memoryMet ? "met" : "MISSED")}") : string.Empty));
        Console.WriteLine(Invariant($"machine load average now: {LoadAverage()} (the wall times include other processes' use of the 2 shared cores)"));
        Console.WriteLine();
    }

    private static (Assignment Assignment, int Pairs, int Matched) Run(MatchModel model, SyntheticData data, out TimeSpan scoreTime)
    {
        var clock = Stopwatch.StartNew();
        var scores = model.Score(data.Cohort);
        scoreTime = clock.Elapsed;
        var assignment = Assigner.Assign(scores, new AssignmentOptions { MinScore = 0.35 });
        _ = assignment.ToPairs(); // the pairs.csv rows with their reasons are part of the result
        return (assignment, scores.PairCount, assignment.Pairs.Count);
    }

    /// <summary>Resets the kernel's peak resident set size of this process (Linux: "5" to /proc/self/clear_refs).</summary>
    private static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Peak resident set size since the last reset (VmHWM), or the process's peak working set elsewhere.</summary>
    private static long PeakMiB()
    {
        if (File.Exists("/proc/self/status"))
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture, out var kib))
            {
                return kib / 1024;
            }
        }

        return Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
