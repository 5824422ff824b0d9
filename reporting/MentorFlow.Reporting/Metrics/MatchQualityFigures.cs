using System.Globalization;
using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Matching;
using MentorFlow.Reporting.Synthesis;

namespace MentorFlow.Reporting.Metrics;

/// <summary>One way of assigning the cohort, and how good its pairs are expected (and, on synthetic data, known) to be.</summary>
public sealed record AssignmentComparison(string Method, int Matched, int Unmatched, double MeanPredicted, double? MeanTrue);

/// <summary>A proposed pair with its score and the model's reasons (ids and career paths: reports need no names).</summary>
public sealed record ProposedPair(string MentorId, string MentorCareerPath, string MenteeId, string MenteeCareerPath, double Score, string Reasons);

/// <summary>
/// Everything the match-quality notebook shows: the model trained on outcomes (cross-validated AUC of the chosen
/// trainer), its quality on outcomes it never saw (AUC, calibration, score distribution), the cohort assigned by the
/// model (min-cost flow) against greedy and random assignment, and a few proposed pairs with reasons.
/// </summary>
public sealed record MatchQualityReport(
    MatchModel Model,
    int TrainingOutcomes,
    int HeldOutOutcomes,
    double? HeldOutAuc,
    double HeldOutSuccessRate,
    IReadOnlyList<double> HeldOutScores,
    IReadOnlyList<bool> HeldOutSuccess,
    IReadOnlyList<CalibrationBin> Calibration,
    IReadOnlyList<AssignmentComparison> Comparison,
    IReadOnlyList<ProposedPair> Examples,
    int MentorsNeeded);

/// <summary>
/// One synthetic world of the quality table: the true success of each method's assignment as a share of the oracle's,
/// and the model the cross-validation chose there (with its held-out assignment lift and AUC).
/// </summary>
public sealed record WorldQuality(
    SyntheticWorld World, int Outcomes, double Oracle, double Model, double ModelGreedy, double Greedy, double Random, string Chosen, double AssignmentLift,
    double Auc, string Why);

/// <summary>Computes the <see cref="MatchQualityReport"/> (the notebook and its test call the same code).</summary>
public static class MatchQualityFigures
{
    /// <summary>Share of outcomes kept back to test the model on pairs it never saw.</summary>
    public const double HeldOutShare = 0.2;

    /// <summary>
    /// Trains on 80% of the outcomes (seeded split), tests on the other 20%, scores and assigns the cohort
    /// (applications.csv) with the same model. With <paramref name="truth"/> (synthetic data) the true success of each
    /// method's pairs is also given.
    /// </summary>
    public static MatchQualityReport Evaluate(
        IReadOnlyList<Application> history,
        IReadOnlyList<Outcome> outcomes,
        IReadOnlyList<Application> cohort,
        int seed,
        double minScore,
        Func<Application, Application, double>? truth = null,
        int examples = 5)
    {
        var people = history.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        outcomes = [.. outcomes.Where(o => people.Contains(o.MentorId) && people.Contains(o.MenteeId))];
        var order = Enumerable.Range(0, outcomes.Count).ToArray();
        new Random(seed).Shuffle(order);
        var heldCount = (int)Math.Round(outcomes.Count * HeldOutShare);
        var held = order.Take(heldCount).Order().Select(i => outcomes[i]).ToList();
        var training = order.Skip(heldCount).Order().Select(i => outcomes[i]).ToList();

        var model = MatchModel.Train(history, training, seed);
        var historyScores = model.Score(history, new ScoringOptions { CandidatesPerMentee = 1 });
        var heldScores = held.Select(o => historyScores.Score(historyScores.MentorIndex(o.MentorId)!.Value, historyScores.MenteeIndex(o.MenteeId)!.Value)).ToList();
        var heldSuccess = held.Select(o => o.Completed && o.GoalMet).ToList();
        double? auc = heldSuccess.Distinct().Count() == 2 ? BinaryMetrics.Auc(heldScores, heldSuccess) : null;

        var scores = model.Score(cohort);
        var options = new AssignmentOptions { MinScore = minScore };
        var assigned = Assigner.Assign(scores, options);
        var comparison = new List<AssignmentComparison>
        {
            Compare("MentorFlow (model + optimal assignment)", assigned, scores, truth),
            Compare("Greedy on the same scores", Assigner.Greedy(scores, options), scores, truth),
            Compare("Random pairs", Assigner.Random(scores, seed), scores, truth),
            Compare("Greedy on interests + career", Assigner.Greedy(MatchQuality.NaiveScores(scores.Mentors, scores.Mentees), new AssignmentOptions { MinScore = 0 }), scores, truth),
        };

        var best = assigned.Pairs.OrderByDescending(p => p.Score).Take(examples).ToList();
        var reasons = scores.Explain([.. best.Select(p => (p.Mentor, p.Mentee))]);
        var proposed = best.Select((p, i) => new ProposedPair(
            scores.Mentors[p.Mentor].Id, scores.Mentors[p.Mentor].CareerPath, scores.Mentees[p.Mentee].Id, scores.Mentees[p.Mentee].CareerPath, p.Score, reasons[i])).ToList();

        return new MatchQualityReport(
            model, training.Count, held.Count, auc, heldSuccess.Count > 0 ? heldSuccess.Count(s => s) / (double)heldSuccess.Count : 0,
            heldScores, heldSuccess, Calibration(heldScores, heldSuccess, 5), comparison, proposed, assigned.MentorsNeeded);
    }

    /// <summary>
    /// The quality table over synthetic worlds (<see cref="SyntheticWorld"/>): for each, a world of the given size is
    /// generated with <paramref name="worldSeed"/>, the model trained on its history and the cohort assigned by the
    /// model, by greedy on the model's scores, by greedy on interests + career and at random (min-score 0).
    /// </summary>
    public static IReadOnlyList<WorldQuality> Worlds(
        IReadOnlyList<SyntheticWorld> worlds, int worldSeed, int modelSeed, int mentors, int mentees, int historyMentors, int historyMentees)
    {
        // The worlds are independent and each is seeded, so they run side by side (the figures do not depend on it).
        var rows = new WorldQuality[worlds.Count];
        Parallel.For(0, worlds.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var world = worlds[i];
            var data = SyntheticData.Generate(new SynthOptions
            {
                Mentors = mentors,
                Mentees = mentees,
                HistoryMentors = historyMentors,
                HistoryMentees = historyMentees,
                Seed = worldSeed,
                World = world,
            });
            var report = MatchQuality.Evaluate(data, modelSeed);
            var e = report.Model.Evaluation;
            rows[i] = new WorldQuality(
                world, data.Outcomes.Count, report.Row(MatchQuality.Oracle).TotalTrueSuccess, report.Row(MatchQuality.Model).RatioToOracle,
                report.Row(MatchQuality.ModelGreedy).RatioToOracle, report.Row(MatchQuality.Greedy).RatioToOracle,
                report.Row(MatchQuality.RandomMethod).RatioToOracle, e?.Trainer.ToString() ?? "cold start", e?.AssignmentLift ?? double.NaN,
                e?.Auc ?? double.NaN, e?.Why ?? report.Model.ColdStartReason ?? string.Empty);
        });

        return rows;
    }

    /// <summary>Reads history-applications.csv (or applications.csv), outcomes.csv and the cohort from a folder and evaluates.</summary>
    /// <remarks>
    /// <c>truthSeed</c>: seed of a synthetic folder, to compare with its known truth (−1: real data); <c>world</c>: the
    /// world of a synthetic folder (the noisy world's truth is approximated from the written applications).
    /// </remarks>
    /// <exception cref="CsvDataException">A file breaks the contract (file, line, column).</exception>
    public static MatchQualityReport Evaluate(string folder, int seed, double minScore, int truthSeed = -1, SyntheticWorld world = SyntheticWorld.Classic)
    {
        var historyPath = Path.Combine(folder, SyntheticData.HistoryFile);
        var cohortPath = Path.Combine(folder, SyntheticData.CohortFile);
        var history = ApplicationsCsv.Read(File.Exists(historyPath) ? historyPath : cohortPath).OrThrow();
        var cohort = ApplicationsCsv.Read(cohortPath).OrThrow();
        var outcomes = OutcomesCsv.Read(Path.Combine(folder, SyntheticData.OutcomesFile)).OrThrow();
        Func<Application, Application, double>? truth = truthSeed >= 0 ? GroundTruth.For(world, truthSeed).Probability : null;
        return Evaluate(history, outcomes, cohort, seed, minScore, truth);
    }

    /// <summary>
    /// Like <see cref="Evaluate(string, int, double, int, SyntheticWorld)"/>, but when the folder cannot support the
    /// evaluation — no cohort (applications.csv), no outcomes of past pairs (outcomes.csv: a live programme's export
    /// has none), or too few outcomes whose people are in the history to learn and test a model — returns null and, in
    /// <paramref name="skipped"/>, one sentence for the report saying why and what to provide.
    /// </summary>
    /// <exception cref="CsvDataException">A file that is there breaks the contract (file, line, column).</exception>
    public static MatchQualityReport? TryEvaluate(
        string folder, int seed, double minScore, out string? skipped, int truthSeed = -1, SyntheticWorld world = SyntheticWorld.Classic)
    {
        skipped = MissingInputs(folder);
        return skipped is null ? Evaluate(folder, seed, minScore, truthSeed, world) : null;
    }

    /// <summary>Why the match-quality evaluation cannot run on <paramref name="folder"/> (a sentence), or null when it can.</summary>
    public static string? MissingInputs(string folder)
    {
        const string Provide = "to evaluate matching, run the notebook with DataFolder set to a folder holding history-applications.csv and outcomes.csv of past programmes " +
            "(docs/data-formats.md) next to the cohort's applications.csv";
        var cohortPath = Path.Combine(folder, SyntheticData.CohortFile);
        var outcomesPath = Path.Combine(folder, SyntheticData.OutcomesFile);
        if (!File.Exists(cohortPath))
        {
            return $"Match quality is left out: there are no applications (applications.csv) to match; {Provide}.";
        }

        if (!File.Exists(outcomesPath))
        {
            return "Match quality is left out: this data has no outcomes of past pairs (outcomes.csv), so there is nothing to learn from or test " +
                $"predictions against — a live programme's export holds none; {Provide}.";
        }

        var historyPath = Path.Combine(folder, SyntheticData.HistoryFile);
        var people = ApplicationsCsv.Read(File.Exists(historyPath) ? historyPath : cohortPath).OrThrow().Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var outcomes = OutcomesCsv.Read(outcomesPath).OrThrow().Where(o => people.Contains(o.MentorId) && people.Contains(o.MenteeId)).ToList();
        var needed = new MatchTrainingOptions().MinimumOutcomes;
        var successes = outcomes.Count(o => o.Completed && o.GoalMet);
        return outcomes.Count >= needed && successes >= 10 && outcomes.Count - successes >= 10
            ? null
            : string.Create(
                CultureInfo.InvariantCulture,
                $"Match quality is left out: only {outcomes.Count} past pairs have an outcome and both people in the applications ({successes} succeeded); at least {needed} with 10 successes and 10 failures are needed to learn and test a model; {Provide}.");
    }

    /// <summary>The headline figures (with <c>data-key</c>s the notebook test checks).</summary>
    public static IReadOnlyList<KeyFigure> Figures(MatchQualityReport report)
    {
        var model = report.Comparison[0];
        var random = report.Comparison[2];
        var cv = report.Model.Evaluation;
        var figures = new List<KeyFigure>
        {
            new("holdout_auc", "Ranking quality (AUC) on unseen pairs", report.HeldOutAuc, report.HeldOutAuc is { } a ? a.ToString("0.00", CultureInfo.InvariantCulture) : "n/a", "0.5 = coin toss, 1.0 = perfect", report.HeldOutAuc is { } g ? g >= 0.6 : null),
            new("cv_auc", "Cross-validated AUC (training)", cv?.Auc, cv is null ? "cold start" : cv.Auc.ToString("0.00", CultureInfo.InvariantCulture), cv is null ? report.Model.ColdStartReason : $"{cv.Trainer}, {cv.Folds} folds on {cv.Pairs} pairs"),
            new("matched", "Mentees matched", model.Matched, ReportHtml.Count(model.Matched), $"{ReportHtml.Count(model.Unmatched)} left unmatched rather than badly matched"),
            new("mean_predicted", "Expected success of proposed pairs", model.MeanPredicted, ReportHtml.Percent(model.MeanPredicted), $"random pairs: {ReportHtml.Percent(random.MeanPredicted)}", model.MeanPredicted >= random.MeanPredicted),
        };
        if (model.MeanTrue is { } t && random.MeanTrue is { } r)
        {
            figures.Add(new("mean_true", "True success of proposed pairs", t, ReportHtml.Percent(t), $"synthetic truth; random pairs: {ReportHtml.Percent(r)}", t >= r));
        }

        figures.Add(new("mentors_needed", "More mentors needed", report.MentorsNeeded, ReportHtml.Count(report.MentorsNeeded), "to match every unmatched mentee"));
        return figures;
    }

    /// <summary>Calibration on equal-width score bins: mean predicted probability against the observed success rate.</summary>
    public static IReadOnlyList<CalibrationBin> Calibration(IReadOnlyList<double> scores, IReadOnlyList<bool> outcomes, int bins)
    {
        if (scores.Count != outcomes.Count)
        {
            throw new ArgumentException($"outcomes has {outcomes.Count} values but scores has {scores.Count}", nameof(outcomes));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var result = new List<CalibrationBin>();
        for (var b = 0; b < bins; b++)
        {
            var lower = (double)b / bins;
            var upper = (double)(b + 1) / bins;
            var members = Enumerable.Range(0, scores.Count).Where(i => scores[i] >= lower && (scores[i] < upper || (b == bins - 1 && scores[i] <= upper))).ToList();
            result.Add(members.Count == 0
                ? new CalibrationBin(lower, upper, (lower + upper) / 2, 0, 0)
                : new CalibrationBin(lower, upper, members.Average(i => scores[i]), members.Count(i => outcomes[i]) / (double)members.Count, members.Count));
        }

        return result;
    }

    private static AssignmentComparison Compare(string method, Assignment assignment, ScoredCohort scores, Func<Application, Application, double>? truth)
    {
        var pairs = assignment.Pairs;
        double? meanTrue = truth is null || pairs.Count == 0 ? null : pairs.Average(p => truth(scores.Mentors[p.Mentor], scores.Mentees[p.Mentee]));
        var predicted = pairs.Count == 0 ? 0 : pairs.Average(p => scores.Score(p.Mentor, p.Mentee));
        return new AssignmentComparison(method, pairs.Count, scores.Mentees.Count - pairs.Count, predicted, meanTrue);
    }
}
