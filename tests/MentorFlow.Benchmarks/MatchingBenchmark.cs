using System.Diagnostics;
using System.Globalization;
using MentorFlow.Reporting.Matching;
using MentorFlow.Reporting.Synthesis;

namespace MentorFlow.Benchmarks;

/// <summary>
/// Match quality and speed. Prints:
/// 1. the quality table for every synthetic world (<see cref="SyntheticWorld"/>) and 3 seeds (250 mentors × 1,000
///    mentees, history sized for ≈ 750 outcomes): total true success of the model's min-cost-flow assignment vs the
///    oracle (optimal assignment on the hidden true probabilities), the ceiling (optimal assignment on what the
///    applications tell, <see cref="SyntheticData.ObservableProbability"/>), greedy on the model's scores, a naive
///    greedy on interests + career and random; the chosen candidate and its cross-validated figures; per world the
///    median of the seeds against the targets (≥ 0.95 of the oracle; ≥ 0.10 above naive greedy where greedy is below
///    0.85) and the model's share of the ceiling;
/// 2. score + assign (+ reasons of the proposed pairs) of 1,000 mentees × 250 mentors — target &lt; 0.5 s (interactive);
/// 3. score + assign of 10,000 mentees × 2,500 mentors (capacity 1–4), 5 runs — targets ≤ 3 s wall and ≤ 1 GiB peak
///    (median).
/// Training is timed apart (it runs once per history, not per matching). --smoke: small sizes, seconds long;
/// --worlds a,b, --seeds 7,8 and --trainers RidgeLinear,LightGbm narrow the quality table (--candidates K: pre-filter size;
/// --history-scale N: N times the past programmes, the learning curve: how far more outcomes would take each world;
/// --gap N: under each cohort, the N pair features whose mean differs most between the oracle's and the model's pairs,
/// <see cref="MatchQuality.FactGaps"/>); --no-speed / --no-quality skip a part.
/// --training-scale N (1–140) adds 4. training on N times the past programmes (N = 100: ≈ 70,000 outcomes; 140: ≈ 100,000,
/// the CLI's cap): wall and CPU time, allocations and peak RSS of the training alone — target ≤ 1 GiB peak up to ×100.
/// </summary>
public static class MatchingBenchmark
{
    /// <summary>Past programmes of this size give ≈ 750 outcomes (the rest are still running).</summary>
    public const int HistoryMentors = 400;
    public const int HistoryMentees = 1000;

    /// <summary>The options <see cref="RunAsync"/> reads; the runner refuses any other.</summary>
    public static IReadOnlyList<string> Options { get; } = ["--smoke", "--worlds", "--seeds", "--trainers", "--candidates", "--history-scale", "--gap", "--training-scale", "--speed-world", "--no-quality", "--no-speed"];

    public static Task RunAsync(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var worlds = Option(args, "--worlds")?.Split(',').Select(w => GroundTruth.Parse(w) ?? throw new ArgumentException($"unknown world '{w}'; worlds: {string.Join(", ", GroundTruth.Names)}")).ToArray()
            ?? Enum.GetValues<SyntheticWorld>();
        var seeds = Option(args, "--seeds")?.Split(',').Select(s => Number("--seeds", s)).ToArray() ?? (smoke ? [21] : [7, 8, 9]);
        if (!args.Contains("--no-quality"))
        {
            var trainers = Option(args, "--trainers")?.Split(',').Select(Enum.Parse<TrainerKind>).ToArray();
            var candidates = Option(args, "--candidates") is { } c ? Number("--candidates", c) : (int?)null;
            var historyScale = Option(args, "--history-scale") is { } h ? Number("--history-scale", h) : 1;
            if (historyScale is < 1 or > 32)
            {
                throw new ArgumentException($"--history-scale must be 1–32 (times the usual history of {HistoryMentors} mentors × {HistoryMentees} mentees), not {historyScale}");
            }

            var gap = Option(args, "--gap") is { } g ? Number("--gap", g) : 0;
            if (gap > PairFeatures.Count)
            {
                throw new ArgumentException($"--gap must be 0–{PairFeatures.Count} (pair features to list per cohort), not {gap}");
            }

            Quality(worlds, seeds, smoke, trainers, candidates, historyScale, gap);
        }

        if (Option(args, "--training-scale") is { } t)
        {
            var trainingScale = Number("--training-scale", t);
            if (trainingScale is < 1 or > 140)
            {
                throw new ArgumentException($"--training-scale must be 1–140 (times the usual history of {HistoryMentors} mentors × {HistoryMentees} mentees), not {trainingScale}");
            }

            Training(trainingScale);
        }

        if (!args.Contains("--no-speed"))
        {
            var speedWorld = Option(args, "--speed-world") is { } named
                ? GroundTruth.Parse(named) ?? throw new ArgumentException($"unknown world '{named}'; worlds: {string.Join(", ", GroundTruth.Names)}")
                : SyntheticWorld.Classic;
            Speed("interactive", smoke ? 100 : 250, smoke ? 400 : 1000, TimeSpan.FromSeconds(0.5), null, 3, speedWorld);
            if (!smoke)
            {
                Speed("large", 2500, 10_000, TimeSpan.FromSeconds(3), 1024, 5, speedWorld);
            }
        }

        return Task.CompletedTask;
    }

    private static int Number(string option, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{option} takes whole numbers, not '{text}'");

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static void Quality(
        IReadOnlyList<SyntheticWorld> worlds, IReadOnlyList<int> seeds, bool smoke, IReadOnlyList<TrainerKind>? trainers, int? candidates, int historyScale, int gap)
    {
        Console.WriteLine("quality: total true success of the assigned pairs (min-score 0 for all methods), as a share of the oracle's (ceiling: optimal on what the applications tell)");
        Console.WriteLine($"{"world",-13} {"seed",4} {"outcomes",8} {"oracle",7} {"ceiling",7} {"model",6} {"m+greedy",8} {"greedy",6} {"random",6} {"train s",7} {"k",3}  chosen (CV: assignment lift, AUC, Spearman, calibration error)");
        var summary = new List<string>();
        foreach (var world in worlds)
        {
            var ratios = new List<(double Model, double Greedy, double Random, double OfCeiling)>();
            foreach (var seed in seeds)
            {
                var data = SyntheticData.Generate(smoke
                    ? new SynthOptions { Mentors = 60, Mentees = 240, HistoryMentors = 150, HistoryMentees = 400, Seed = seed, World = world }
                    : new SynthOptions { Mentors = 250, Mentees = 1000, HistoryMentors = HistoryMentors * historyScale, HistoryMentees = HistoryMentees * historyScale, Seed = seed, World = world });
                var clock = Stopwatch.StartNew();
                var report = MatchQuality.Evaluate(data, seed: 42, scoring: candidates is { } k ? new ScoringOptions { CandidatesPerMentee = k } : null, training: trainers is null ? null : new MatchTrainingOptions { Seed = 42, Trainers = trainers });
                var seconds = clock.Elapsed.TotalSeconds;
                var oracle = report.Row(MatchQuality.Oracle);
                var model = report.Row(MatchQuality.Model).RatioToOracle;
                var greedy = report.Row(MatchQuality.Greedy).RatioToOracle;
                var random = report.Row(MatchQuality.RandomMethod).RatioToOracle;
                var ceiling = report.Row(MatchQuality.Ceiling).RatioToOracle;
                ratios.Add((model, greedy, random, ceiling == 0 ? 0 : model / ceiling));
                var e = report.Model.Evaluation;
                var chosen = e is null
                    ? $"cold start ({report.Model.ColdStartReason})"
                    : Invariant($"{e.Trainer} ({e.AssignmentLift:0.000}, {e.Auc:0.000}, {e.Spearman:0.000}, {e.CalibrationError:0.000}{(e.Candidates.First(c => c.Trainer == e.Trainer).Lambda is { } l ? Invariant($", λ {l:G3}") : string.Empty)}); others: {string.Join(", ", e.Candidates.Where(c => c.Trainer != e.Trainer).Select(c => Invariant($"{c.Trainer} {c.AssignmentLift:0.000}")))}");
                Console.WriteLine(Invariant($"{world.ToString().ToLowerInvariant(),-13} {seed,4} {data.Outcomes.Count,8} {oracle.TotalTrueSuccess,7:0.0} {ceiling,7:0.000} {model,6:0.000} {report.Row(MatchQuality.ModelGreedy).RatioToOracle,8:0.000} {greedy,6:0.000} {random,6:0.000} {seconds,7:0.0} {report.CandidatesPerMentee,3}  {chosen}"));
                foreach (var fact in MatchQuality.FactGaps(report).Take(gap))
                {
                    Console.WriteLine(Invariant($"    {fact.Feature,-28} oracle's pairs {fact.Oracle,7:0.000}  model's {fact.Model,7:0.000}  ({fact.Standardised:+0.00;-0.00} sd)"));
                }
            }

            var medianModel = Median(ratios.Select(r => r.Model));
            var medianGreedy = Median(ratios.Select(r => r.Greedy));
            var discriminates = medianGreedy <= 0.85;
            var met = medianModel >= 0.95 && (!discriminates || medianModel >= medianGreedy + 0.10);
            summary.Add(Invariant($"{world.ToString().ToLowerInvariant(),-13} median of {seeds.Count}: model {medianModel:0.000}, greedy {medianGreedy:0.000}, random {Median(ratios.Select(r => r.Random)):0.000}, model ÷ ceiling {Median(ratios.Select(r => r.OfCeiling)):0.000}; ") +
                        (discriminates ? string.Empty : "greedy > 0.85: not a test of the model; ") +
                        (smoke ? "(smoke sizes: no target)" : historyScale > 1 ? Invariant($"(history ×{historyScale}: a learning-curve point, the targets are for the usual history)") : Invariant($"target ≥ 0.95 of oracle{(discriminates ? " and ≥ greedy + 0.10" : string.Empty)}: {(met ? "met" : "MISSED")}")));
        }

        Console.WriteLine();
        foreach (var line in summary)
        {
            Console.WriteLine(line);
        }

        Console.WriteLine();
    }

    /// <summary>
    /// Training on a large history (classic world, seed 7): the candidates' cross-validation and the final fit, once,
    /// with the peak resident set size of the process while it trains (the history's data included) — target ≤ 1 GiB.
    /// </summary>
    private static void Training(int scale)
    {
        var data = SyntheticData.Generate(new SynthOptions
        {
            Mentors = 250, Mentees = 1000, HistoryMentors = HistoryMentors * scale, HistoryMentees = HistoryMentees * scale, Seed = 7, World = SyntheticWorld.Classic,
        });
        GC.Collect();
        GC.WaitForPendingFinalizers();
        ResetPeak();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var model = MatchModel.Train(data.History, data.Outcomes, 42);
        clock.Stop();
        var peak = PeakMiB();
        var e = model.Evaluation;
        Console.WriteLine(Invariant($"training on history ×{scale}: {data.Outcomes.Count:N0} outcomes, classic world, {Environment.ProcessorCount} cores"));
        Console.WriteLine(Invariant($"wall {clock.Elapsed.TotalSeconds:0.0} s, cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.0} s, allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / (1024 * 1024):N0} MiB, peak RSS {peak:N0} MiB"));
        Console.WriteLine(Invariant($"chosen {e?.Trainer.ToString() ?? "cold start"} (assignment lift {e?.AssignmentLift ?? double.NaN:0.0000}, AUC {e?.Auc ?? double.NaN:0.0000})"));
        Console.WriteLine(scale <= 100
            ? Invariant($"target (up to ×100, ≈ 70,000 outcomes): peak ≤ 1024 MiB: {(peak <= 1024 ? "met" : "MISSED")}")
            : "no target above ×100 (≈ 70,000 outcomes): the figures say how training grows towards the CLI's cap");
        Console.WriteLine(Invariant($"machine load average now: {LoadAverage()} (the wall time includes other processes' use of the 2 shared cores)"));
        Console.WriteLine();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void Speed(string name, int mentors, int mentees, TimeSpan target, int? memoryTargetMiB, int measured, SyntheticWorld world)
    {
        var data = SyntheticData.Generate(new SynthOptions { Mentors = mentors, Mentees = mentees, HistoryMentors = HistoryMentors, HistoryMentees = HistoryMentees, Seed = 7, World = world });
        var clock = Stopwatch.StartNew();
        var model = MatchModel.Train(data.History, data.Outcomes, 42);
        var train = clock.Elapsed;

        // One cold run (JIT, ML.NET and OR-Tools native load; printed), then the measured warm runs.
        var cold = Stopwatch.StartNew();
        Run(model, data, out _);
        cold.Stop();
        var runs = new List<(TimeSpan Wall, TimeSpan Cpu, TimeSpan Score, long PeakMiB, int Pairs, int Matched)>();
        for (var i = 0; i < measured; i++)
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

        var median = runs.OrderBy(r => r.Wall).ElementAt(runs.Count / 2);
        var peak = runs.OrderBy(r => r.PeakMiB).ElementAt(runs.Count / 2).PeakMiB;
        Console.WriteLine(Invariant($"{name}: {mentees:N0} mentees × {mentors:N0} mentors (capacity 1–4), {Environment.ProcessorCount} cores, {world.ToString().ToLowerInvariant()} world; training {train.TotalSeconds:0.00} s ({model.Evaluation?.Trainer}, {data.Outcomes.Count} outcomes)"));
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
                          (memoryTargetMiB is { } mib ? Invariant($"; peak ≤ {mib} MiB (median {peak} MiB): {(memoryMet ? "met" : "MISSED")}") : string.Empty));
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
