using System.Globalization;
using MentorFlow.Reporting.Data;
using Microsoft.ML;

namespace MentorFlow.Reporting.Matching;

public enum ScoringMethod
{
    /// <summary>The ML.NET model trained on past outcomes; scores are calibrated probabilities of success.</summary>
    LearnedModel,

    /// <summary>No or too little history: the documented similarity of <see cref="ColdStart"/> (a ranking, not a probability).</summary>
    ColdStartSimilarity,
}

/// <summary>
/// The match-quality model: predicts, for a (mentor, mentee) pair, the probability that the pair succeeds
/// (completed ∧ goal met), with an interval, and explains it. Train with
/// <see cref="Train(IReadOnlyList{Application}, IReadOnlyList{Outcome}, int)"/>, score a cohort with <see cref="Score"/>,
/// then assign with <see cref="Assigner.Assign"/>.
/// </summary>
public sealed partial class MatchModel
{
    /// <summary>
    /// Version of the saved file layout (a zip with <c>manifest.json</c> and, for ML.NET candidates, <c>mlnet*.zip</c>);
    /// 3: sixteen goal inputs, which may be learned goal groups (<see cref="GoalGroups"/>).
    /// </summary>
    public const int FileFormatVersion = 3;

    /// <summary>
    /// Assignment lift by which a candidate listed later must beat the best earlier one to be chosen:
    /// differences smaller than this are within the noise of a few hundred held-out pairs.
    /// </summary>
    public const double SelectionTolerance = 0.02;

    /// <summary>
    /// Whether a candidate clearly beats the best earlier one, fold by fold on the same held-out pairs: its mean
    /// lift gain is at least <see cref="SelectionTolerance"/> and significant by a one-sided paired t-test at 5% on the
    /// per-fold gains (with 5 folds, 2.13 standard errors). A gain that one lucky fold makes is noise, and so is the best
    /// of nine candidates a little ahead of the stack on every fold.
    /// </summary>
    public static bool ClearlyBetter(IReadOnlyList<double> candidateFoldLifts, IReadOnlyList<double> bestFoldLifts)
    {
        var n = Math.Min(candidateFoldLifts.Count, bestFoldLifts.Count);
        if (n < 2)
        {
            return false;
        }

        var gains = Enumerable.Range(0, n).Select(f => candidateFoldLifts[f] - bestFoldLifts[f]).ToArray();
        var mean = gains.Average();
        var error = Math.Sqrt(gains.Sum(g => (g - mean) * (g - mean)) / (n - 1) / n);
        return mean >= SelectionTolerance && mean > StudentT.OneSided95(n - 1) * error;
    }

    /// <summary>z of the two-sided 90% interval.</summary>
    public const double IntervalZ = 1.645;

    private readonly MLContext _ml;
    private readonly Predictor? _predictor;
    private readonly Predictor[] _folds;
    private readonly float[] _baseline;

    private MatchModel(
        int seed, ScoringMethod method, Predictor? predictor, Predictor[] folds, PlattCalibration calibration, ModelEvaluation? evaluation,
        string? coldStartReason, float[] baseline, IReadOnlyList<string> goals, double[] prefilterWeights, MLContext? ml = null)
    {
        Seed = seed;
        _ml = ml ?? new MLContext(seed);
        Method = method;
        _predictor = predictor;
        _folds = folds;
        Calibration = calibration;
        Evaluation = evaluation;
        ColdStartReason = coldStartReason;
        _baseline = baseline;
        Goals = goals;
        PrefilterWeights = prefilterWeights;
    }

    public int Seed { get; }

    public ScoringMethod Method { get; }

    /// <summary>Why the cold-start similarity is used (null for a learned model).</summary>
    public string? ColdStartReason { get; }

    /// <summary>Cross-validated figures of the chosen candidate and of every candidate, and why the winner won.</summary>
    public ModelEvaluation? Evaluation { get; }

    /// <summary>Platt scaling from the candidate's raw score to P(success), fitted on held-out scores.</summary>
    public PlattCalibration Calibration { get; }

    /// <summary>
    /// The mentee goals with an indicator input (<see cref="ModelInputs"/>), from the training history; an entry of
    /// several goals joined by ';' is a group learned from the outcomes (on for a mentee with any of them).
    /// </summary>
    public IReadOnlyList<string> Goals { get; }

    /// <summary>
    /// Weights of the candidate pre-filter over <see cref="PairFeatures"/> (see <see cref="Prefilter.Features"/>): a
    /// least-squares linear summary of the learned model on the training pairs, or the cold-start similarity's.
    /// </summary>
    public IReadOnlyList<double> PrefilterWeights { get; }

    public static MatchModel Train(IReadOnlyList<Application> history, IReadOnlyList<Outcome> outcomes, int seed = 42) =>
        Train(history, outcomes, new MatchTrainingOptions { Seed = seed });

    public static MatchModel Train(IReadOnlyList<Application> history, IReadOnlyList<Outcome> outcomes, MatchTrainingOptions options)
    {
        var byId = history.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var unknown = outcomes.Where(o => !byId.ContainsKey(o.MentorId) || !byId.ContainsKey(o.MenteeId)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"{unknown.Count} outcome(s) name people missing from the history, e.g. {unknown[0].MentorId}/{unknown[0].MenteeId}",
                nameof(outcomes));
        }

        var labels = outcomes.Select(MatchTrainer.Success).ToList();
        var positives = labels.Count(l => l);
        var negatives = labels.Count - positives;
        if (outcomes.Count < options.MinimumOutcomes || positives < 10 || negatives < 10)
        {
            return ColdStart(
                $"history has {outcomes.Count} outcomes ({positives} successes, {negatives} failures); at least {options.MinimumOutcomes} with 10 of each are needed to learn",
                options.Seed);
        }

        var goals = ModelInputs.GoalVocabulary(outcomes.Select(o => byId[o.MenteeId]).DistinctBy(a => a.Id));
        var composite = outcomes.Select(MatchTrainer.Target).ToArray();
        var folds = Math.Clamp(options.Folds, 2, 10);
        var fold = MatchTrainer.Folds(outcomes.Count, folds, options.Seed);
        // The pair features once, in rows each vocabulary the goal-group search tries writes its goal indicators into.
        var rows = HistoryInputs.Of(history, outcomes);
        goals = GoalGroups.Learn(goals, rows.For, [.. outcomes.Select(o => o.Satisfaction)], fold, folds);

        var inputs = rows.For(goals);
        var baseline = Mean(inputs);
        var ml = new MLContext(options.Seed);
        var runs = new List<(CandidateRun Run, TrainerEvaluation Evaluation)>();
        var done = new Dictionary<TrainerKind, CandidateRun>();
        foreach (var kind in options.Trainers.Distinct())
        {
            CandidateRun Cross(TrainerKind member) => done.GetValueOrDefault(member) ?? (done[member] = MatchTrainer.Run(ml, member, inputs, outcomes, fold, folds, options.Seed, goals));
            CandidateRun run;
            if (kind == TrainerKind.Blend)
            {
                run = MatchTrainer.Blend(Cross(TrainerKind.RidgeInteractions), Cross(TrainerKind.LightGbm));
            }
            else if (kind == TrainerKind.Stack)
            {
                run = Stacking.Stack([.. Stacking.Members.Select(Cross)], composite, fold, folds);
            }
            else
            {
                run = Cross(kind);
            }

            done[kind] = run;
            runs.Add((run, MatchTrainer.Evaluate(run, composite, labels, fold, folds)));
        }

        // The models cross-validated only as parts of the stack or the blend, in the same measures (not chosen from).
        IReadOnlyList<TrainerEvaluation> parts = [.. done.Where(d => !options.Trainers.Contains(d.Key)).Select(d => MatchTrainer.Evaluate(d.Value, composite, labels, fold, folds))];

        // Chosen for the assignment: the highest held-out assignment lift wins, but a candidate listed later must
        // clearly beat the best earlier one (ClearlyBetter) — smaller or erratic differences are noise. The stack of
        // the linear candidates comes first: a single candidate replaces it only when it picks clearly better pairs.
        var best = runs[0];
        foreach (var candidate in runs.Skip(1))
        {
            if (ClearlyBetter(candidate.Evaluation.FoldLifts ?? [], best.Evaluation.FoldLifts ?? []))
            {
                best = candidate;
            }
        }

        var why = Why(best.Evaluation, [.. runs.Select(r => r.Evaluation)]);
        var predictor = best.Run.FitAll();
        var calibration = PlattCalibration.FitScores(best.Run.OutOfFold, labels);
        var fitted = predictor.Raw(inputs);
        var evaluation = new ModelEvaluation(
            best.Evaluation.Trainer, best.Evaluation.AssignmentLift, best.Evaluation.Auc, best.Evaluation.LogLoss, best.Evaluation.CalibrationError,
            best.Evaluation.Spearman, (double)positives / labels.Count, outcomes.Count, folds, [.. runs.Select(r => r.Evaluation)], why, parts);
        return new MatchModel(
            options.Seed, ScoringMethod.LearnedModel, predictor, best.Run.FoldModels, calibration, evaluation, null, baseline, goals,
            PrefilterFit(inputs, fitted), ml);
    }

    /// <summary>A model that scores with the documented similarity only (no history).</summary>
    public static MatchModel ColdStart(string reason, int seed = 42) =>
        new(seed, ScoringMethod.ColdStartSimilarity, null, [], PlattCalibration.Identity, null, reason, new float[ModelInputs.Count], [],
            Prefilter.ColdStartWeights());

    /// <summary>Scores the admissible mentor–mentee pairs of a cohort (mentors and mentees in one list).</summary>
    public ScoredCohort Score(IReadOnlyList<Application> cohort, ScoringOptions? options = null) =>
        ScoredCohort.Build(this, cohort, options ?? new ScoringOptions());

    /// <summary>The model input of a pair (<see cref="ModelInputs"/>; profiles from one <see cref="ProfileSpace"/>).</summary>
    public float[] Input(PersonProfile mentor, PersonProfile mentee) => ModelInputs.Of(mentor, mentee, Goals);

    /// <summary>Uncalibrated scores (the scale the pre-filter's weights were fitted on); the similarity at cold start.</summary>
    internal double[] Raw(IReadOnlyList<float[]> inputs) =>
        _predictor is null ? [.. inputs.Select(f => ColdStartSimilarity(f))] : _predictor.Raw(inputs);

    /// <summary>Scores model inputs: calibrated P(success), or the cold-start similarity.</summary>
    public double[] Predict(IReadOnlyList<float[]> inputs)
    {
        var raw = Raw(inputs);
        if (_predictor is null)
        {
            return raw;
        }

        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] = Calibration.ApplyScore(raw[i]);
        }

        return raw;
    }

    /// <summary>
    /// Calibrated P(success) with a 90% interval: the spread of the cross-validation fold models' raw scores
    /// (delete-a-group jackknife standard error) around the final model's, mapped through the calibration. At cold
    /// start the similarity has no interval (low = high = score).
    /// </summary>
    public IReadOnlyList<ScoreInterval> PredictWithIntervals(IReadOnlyList<float[]> inputs)
    {
        if (_predictor is null)
        {
            return [.. inputs.Select(f => ColdStartSimilarity(f)).Select(s => new ScoreInterval(s, s, s))];
        }

        var raw = _predictor.Raw(inputs);
        var folds = _folds.Select(f => f.Raw(inputs)).ToArray();
        var k = folds.Length;
        var result = new ScoreInterval[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            var se = 0.0;
            if (k > 1)
            {
                var mean = folds.Average(f => f[i]);
                se = Math.Sqrt((k - 1.0) / k * folds.Sum(f => (f[i] - mean) * (f[i] - mean)));
            }

            var a = Calibration.ApplyScore(raw[i] - (IntervalZ * se));
            var b = Calibration.ApplyScore(raw[i] + (IntervalZ * se));
            result[i] = new ScoreInterval(Calibration.ApplyScore(raw[i]), Math.Min(a, b), Math.Max(a, b));
        }

        return result;
    }

    /// <summary>
    /// Per-input contributions of each pair relative to an average historical pair (exact Shapley values of the
    /// ridge models, ML.NET feature contributions of the others, on the raw score), or the similarity's weighted
    /// terms at cold start.
    /// </summary>
    public double[][] Contributions(IReadOnlyList<float[]> inputs) =>
        _predictor is null ? [.. inputs.Select(f => ColdStartTerms(f))] : _predictor.Contributions(inputs, _baseline);

    /// <summary>
    /// Readable reasons for each pair: the top positive contributions in plain words, the strongest negative one as
    /// "but …", and, for a learned model, the chance of success with its 90% interval.
    /// </summary>
    public string[] Explain(IReadOnlyList<float[]> inputs)
    {
        var contributions = Contributions(inputs);
        var intervals = _predictor is null ? null : PredictWithIntervals(inputs);
        return [.. inputs.Select((f, i) =>
        {
            var reasons = Reasons.Join(f.AsSpan(0, PairFeatures.Count), contributions[i].AsSpan(0, PairFeatures.Count));
            var against = _predictor is null ? null : Reasons.Against(f.AsSpan(0, PairFeatures.Count), contributions[i].AsSpan(0, PairFeatures.Count));
            var parts = new List<string>();
            if (reasons.Length > 0)
            {
                parts.Add(reasons);
            }

            if (against is not null)
            {
                parts.Add("but " + against);
            }

            if (intervals is not null)
            {
                parts.Add(Reasons.Chance(intervals[i]));
            }

            return string.Join("; ", parts);
        })];
    }

    internal static double ColdStartSimilarity(ReadOnlySpan<float> f) => Matching.ColdStart.Similarity(f);

    /// <summary>Why the winner won, in a sentence: its held-out assignment lift, and the runner-up's.</summary>
    internal static string Why(TrainerEvaluation winner, IReadOnlyList<TrainerEvaluation> all)
    {
        var others = all.Where(c => c.Trainer != winner.Trainer).OrderByDescending(c => c.AssignmentLift).ToList();
        var made = winner.Members is { Count: > 0 } members
            ? " (" + string.Join(" + ", members.OrderByDescending(m => m.Share).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Share * 100:0}% {m.Trainer}"))) + ")"
            : string.Empty;
        var text = string.Create(CultureInfo.InvariantCulture, $"{winner.Trainer}{made} chose the best held-out pairs: assignment lift {winner.AssignmentLift:0.000} ± {winner.AssignmentLiftError:0.000}");
        if (others.Count == 0)
        {
            return text;
        }

        var runnerUp = others[0];
        return runnerUp.AssignmentLift > winner.AssignmentLift
            ? text + string.Create(CultureInfo.InvariantCulture, $"; {runnerUp.Trainer} reached {runnerUp.AssignmentLift:0.000}, not clearly more (by {SelectionTolerance:0.00} and significantly over the folds: one-sided paired t-test, 5%), so {winner.Trainer}, listed earlier, is kept")
            : text + string.Create(CultureInfo.InvariantCulture, $"; next {runnerUp.Trainer} {runnerUp.AssignmentLift:0.000}");
    }

    /// <summary>Least squares of the model's fitted raw scores on the pre-filter's features (a small ridge).</summary>
    private static double[] PrefilterFit(IReadOnlyList<float[]> inputs, double[] fitted)
    {
        var columns = Prefilter.Features;
        var fit = RidgeModel.Fit(inputs, fitted, [.. Enumerable.Range(0, inputs.Count)], [.. columns.Select(c => (c, -1))], [0.001])[0];
        var weights = new double[PairFeatures.Count];
        for (var t = 0; t < columns.Count; t++)
        {
            weights[fit.First[t]] = fit.Weights[t];
        }

        return weights;
    }

    private static double[] ColdStartTerms(float[] f) => Matching.ColdStart.Terms(f);

    private static float[] Mean(IReadOnlyList<float[]> inputs)
    {
        var mean = new float[ModelInputs.Count];
        foreach (var f in inputs)
        {
            for (var i = 0; i < mean.Length; i++)
            {
                mean[i] += f[i] / inputs.Count;
            }
        }

        return mean;
    }
}

/// <summary>A calibrated probability of success with its 90% interval.</summary>
public readonly record struct ScoreInterval(double Probability, double Low, double High);
