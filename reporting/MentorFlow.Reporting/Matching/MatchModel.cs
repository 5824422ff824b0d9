using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using MentorFlow.Reporting.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

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
/// (completed ∧ goal met), and explains it. Train with <see cref="Train(IReadOnlyList{Application}, IReadOnlyList{Outcome}, int)"/>,
/// score a cohort with <see cref="Score"/>, then assign with <see cref="Assigner.Assign"/>.
/// </summary>
public sealed class MatchModel
{
    /// <summary>Version of the saved file layout (a zip with <c>manifest.json</c> and <c>mlnet.zip</c>).</summary>
    public const int FileFormatVersion = 1;

    /// <summary>AUC by which a more complex trainer must beat the simpler one to be chosen.</summary>
    public const double ComplexityMargin = 0.02;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly MLContext _ml;
    private readonly ITransformer? _model;
    private readonly float[] _baseline;
    private ITransformer? _contributions;
    private double[]? _baselineContributions;

    private MatchModel(
        int seed, ScoringMethod method, ITransformer? model, PlattCalibration calibration, ModelEvaluation? evaluation,
        string? coldStartReason, float[] baseline)
    {
        Seed = seed;
        _ml = new MLContext(seed);
        Method = method;
        _model = model;
        Calibration = calibration;
        Evaluation = evaluation;
        ColdStartReason = coldStartReason;
        _baseline = baseline;
    }

    public int Seed { get; }

    public ScoringMethod Method { get; }

    /// <summary>Why the cold-start similarity is used (null for a learned model).</summary>
    public string? ColdStartReason { get; }

    /// <summary>Cross-validated AUC and log-loss of the chosen trainer and of every candidate trainer.</summary>
    public ModelEvaluation? Evaluation { get; }

    /// <summary>Platt scaling from the trainer's output to P(success), fitted on held-out scores.</summary>
    public PlattCalibration Calibration { get; }

    public static MatchModel Train(IReadOnlyList<Application> history, IReadOnlyList<Outcome> outcomes, int seed = 42) =>
        Train(history, outcomes, new MatchTrainingOptions { Seed = seed });

    public static MatchModel Train(IReadOnlyList<Application> history, IReadOnlyList<Outcome> outcomes, MatchTrainingOptions options)
    {
        var space = new ProfileSpace(history);
        var byId = history.ToDictionary(a => a.Id, space.Profile, StringComparer.Ordinal);
        var unknown = outcomes.Where(o => !byId.ContainsKey(o.MentorId) || !byId.ContainsKey(o.MenteeId)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"{unknown.Count} outcome(s) name people missing from the history, e.g. {unknown[0].MentorId}/{unknown[0].MenteeId}",
                nameof(outcomes));
        }

        var features = outcomes.Select(o => PairFeatures.Compute(byId[o.MentorId], byId[o.MenteeId])).ToList();
        var baseline = Mean(features);
        var labels = outcomes.Select(MatchTrainer.Success).ToList();
        var positives = labels.Count(l => l);
        var negatives = labels.Count - positives;
        if (outcomes.Count < options.MinimumOutcomes || positives < 10 || negatives < 10)
        {
            return ColdStart(
                $"history has {outcomes.Count} outcomes ({positives} successes, {negatives} failures); at least {options.MinimumOutcomes} with 10 of each are needed to learn",
                options.Seed);
        }

        var ml = new MLContext(options.Seed);
        var targets = outcomes.Select(MatchTrainer.Target).ToList();
        var folds = Math.Clamp(options.Folds, 2, 10);
        var fold = MatchTrainer.Folds(outcomes.Count, folds, options.Seed);
        var candidates = new List<(TrainerEvaluation Evaluation, double[] Raw)>();
        foreach (var kind in options.Trainers)
        {
            var raw = MatchTrainer.OutOfFold(ml, kind, features, targets, fold, folds, options.Seed);
            var calibrated = MatchTrainer.CalibrateOutOfFold(raw, labels, fold, folds);
            candidates.Add((new TrainerEvaluation(kind, BinaryMetrics.Auc(calibrated, labels), BinaryMetrics.LogLoss(calibrated, labels)), raw));
        }

        // The assignment needs the ranking, so the highest held-out AUC wins — but a more complex trainer (listed
        // later) must beat the simpler one by at least ComplexityMargin: the assignment picks pairs from the best
        // tail, where piecewise-constant trees extrapolate worse than a linear model, so a small CV edge on past
        // (mostly ordinary) pairs does not carry over. Small histories thus keep the linear model; large ones with
        // real non-linearity get the trees.
        var best = candidates[0];
        foreach (var candidate in candidates.Skip(1))
        {
            if (candidate.Evaluation.Auc >= best.Evaluation.Auc + ComplexityMargin)
            {
                best = candidate;
            }
        }

        var model = MatchTrainer.Pipeline(ml, best.Evaluation.Trainer, options.Seed)
            .Fit(ml.Data.LoadFromEnumerable(MatchTrainer.Rows(features, targets, Enumerable.Range(0, features.Count))));
        var calibration = PlattCalibration.Fit(best.Raw, labels);
        var evaluation = new ModelEvaluation(
            best.Evaluation.Trainer, best.Evaluation.Auc, best.Evaluation.LogLoss, (double)positives / labels.Count,
            outcomes.Count, folds, [.. candidates.Select(c => c.Evaluation)]);
        return new MatchModel(options.Seed, ScoringMethod.LearnedModel, model, calibration, evaluation, null, baseline);
    }

    /// <summary>A model that scores with the documented similarity only (no history).</summary>
    public static MatchModel ColdStart(string reason, int seed = 42) =>
        new(seed, ScoringMethod.ColdStartSimilarity, null, PlattCalibration.Identity, null, reason, new float[PairFeatures.Count]);

    /// <summary>Scores the admissible mentor–mentee pairs of a cohort (mentors and mentees in one list).</summary>
    public ScoredCohort Score(IReadOnlyList<Application> cohort, ScoringOptions? options = null) =>
        ScoredCohort.Build(this, cohort, options ?? new ScoringOptions());

    /// <summary>Scores feature vectors: calibrated P(success), or the cold-start similarity.</summary>
    public double[] Predict(IReadOnlyList<float[]> features)
    {
        if (_model is null)
        {
            return [.. features.Select(f => ColdStartSimilarity(f))];
        }

        var raw = MatchTrainer.Predict(_ml, _model, features);
        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] = Calibration.Apply(raw[i]);
        }

        return raw;
    }

    /// <summary>
    /// Per-feature contributions of each pair relative to an average historical pair: ML.NET feature contributions of
    /// the trained predictor (minus those of the average pair), or the similarity's weighted terms at cold start.
    /// </summary>
    public double[][] Contributions(IReadOnlyList<float[]> features)
    {
        if (_model is null)
        {
            return [.. features.Select(f => ColdStartTerms(f))];
        }

        lock (_ml)
        {
            _contributions ??= MatchTrainer.ContributionCalculator(_ml, _model, Load([_baseline]));
            if (_contributions is null)
            {
                return [.. features.Select(_ => new double[PairFeatures.Count])];
            }

            _baselineContributions ??= RawContributions([_baseline])[0];
            var result = RawContributions(features);
            foreach (var row in result)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] -= _baselineContributions[i];
                }
            }

            return result;
        }
    }

    /// <summary>Readable reasons for each pair (top positive contributions).</summary>
    public string[] Explain(IReadOnlyList<float[]> features)
    {
        var contributions = Contributions(features);
        return [.. features.Select((f, i) => Reasons.Join(f, contributions[i]))];
    }

    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = path + ".tmp";
        using (var file = File.Create(temporary))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            var manifest = new ModelManifest(
                FileFormatVersion, PairFeatures.SchemaVersion, PairFeatures.Names, Method, Seed, ColdStartReason, Calibration,
                Evaluation, _baseline);
            using (var stream = zip.CreateEntry("manifest.json").Open())
            {
                JsonSerializer.Serialize(stream, manifest, Json);
            }

            if (_model is not null)
            {
                using var stream = zip.CreateEntry("mlnet.zip").Open();
                using var buffer = new MemoryStream();
                _ml.Model.Save(_model, Load([_baseline]).Schema, buffer);
                buffer.Position = 0;
                buffer.CopyTo(stream);
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Loads a saved model; refuses a file of another format or feature schema version.</summary>
    public static MatchModel Load(string path)
    {
        using var file = File.OpenRead(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Read);
        var manifestEntry = zip.GetEntry("manifest.json") ?? throw new InvalidDataException($"{path}: not a MentorFlow match model (no manifest.json)");
        ModelManifest manifest;
        using (var stream = manifestEntry.Open())
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(stream, Json) ?? throw new InvalidDataException($"{path}: empty manifest");
        }

        if (manifest.FormatVersion != FileFormatVersion)
        {
            throw new InvalidDataException($"{path}: model file format {manifest.FormatVersion}, this version reads {FileFormatVersion}");
        }

        if (manifest.FeatureSchemaVersion != PairFeatures.SchemaVersion || !manifest.FeatureNames.SequenceEqual(PairFeatures.Names))
        {
            throw new InvalidDataException(
                $"{path}: feature schema {manifest.FeatureSchemaVersion} ({string.Join(",", manifest.FeatureNames)}) differs from this version's {PairFeatures.SchemaVersion}; retrain the model");
        }

        ITransformer? model = null;
        var ml = new MLContext(manifest.Seed);
        if (manifest.Method == ScoringMethod.LearnedModel)
        {
            var entry = zip.GetEntry("mlnet.zip") ?? throw new InvalidDataException($"{path}: learned model without mlnet.zip");
            using var stream = entry.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            buffer.Position = 0;
            model = ml.Model.Load(buffer, out _);
        }

        return new MatchModel(manifest.Seed, manifest.Method, model, manifest.Calibration, manifest.Evaluation, manifest.ColdStartReason, manifest.Baseline);
    }

    internal static double ColdStartSimilarity(ReadOnlySpan<float> f) => Matching.ColdStart.Similarity(f);

    private static double[] ColdStartTerms(float[] f)
    {
        var terms = new double[PairFeatures.Count];
        foreach (var (feature, weight) in Matching.ColdStart.Weights)
        {
            terms[feature] = Matching.ColdStart.Term(feature, weight, f);
        }

        return terms;
    }

    private double[][] RawContributions(IReadOnlyList<float[]> features)
    {
        var scored = _contributions!.Transform(_model!.Transform(Load(features)));
        return [.. scored.GetColumn<float[]>("FeatureContributions").Select(c => c.Select(x => (double)x).ToArray())];
    }

    private IDataView Load(IReadOnlyList<float[]> features) =>
        _ml.Data.LoadFromEnumerable(features.Select(f => new FeatureRow { Features = f }));

    private static float[] Mean(IReadOnlyList<float[]> features)
    {
        var mean = new float[PairFeatures.Count];
        foreach (var f in features)
        {
            for (var i = 0; i < mean.Length; i++)
            {
                mean[i] += f[i] / features.Count;
            }
        }

        return mean;
    }

    private sealed record ModelManifest(
        int FormatVersion,
        int FeatureSchemaVersion,
        IReadOnlyList<string> FeatureNames,
        ScoringMethod Method,
        int Seed,
        string? ColdStartReason,
        PlattCalibration Calibration,
        ModelEvaluation? Evaluation,
        float[] Baseline);
}
