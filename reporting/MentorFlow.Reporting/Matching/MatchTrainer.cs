using MentorFlow.Reporting.Data;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace MentorFlow.Reporting.Matching;

/// <summary>Options of <see cref="MatchModel.Train(IReadOnlyList{Application}, IReadOnlyList{Outcome}, MatchTrainingOptions)"/>.</summary>
public sealed record MatchTrainingOptions
{
    /// <summary>Seeds the MLContext, the fold split and the trees: same seed and data → same model.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Cross-validation folds used to choose the trainer and to fit the calibration.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Fewer outcomes than this (or fewer than 10 successes or failures) → cold-start similarity.</summary>
    public int MinimumOutcomes { get; init; } = 60;

    /// <summary>Trainers to choose from; by default both (the linear model and boosted trees).</summary>
    public IReadOnlyList<TrainerKind> Trainers { get; init; } = [TrainerKind.LinearLogistic, TrainerKind.BoostedTrees];
}

public enum TrainerKind
{
    /// <summary>L-BFGS logistic regression with L1 + L2 regularisation on min-max normalised features (incl. interactions).</summary>
    LinearLogistic,

    /// <summary>FastTree gradient-boosted trees (binary, seeded, single-threaded for determinism).</summary>
    BoostedTrees,
}

/// <summary>Cross-validated quality of one trainer: AUC and log-loss of calibrated held-out predictions.</summary>
public sealed record TrainerEvaluation(TrainerKind Trainer, double Auc, double LogLoss);

/// <summary>How the chosen model was evaluated, on the outcome <c>success = completed ∧ goal_met</c>.</summary>
public sealed record ModelEvaluation(
    TrainerKind Trainer, double Auc, double LogLoss, double BaseRate, int Pairs, int Folds, IReadOnlyList<TrainerEvaluation> Candidates);

/// <summary>One row of ML.NET training data: a pair's features, a label and a weight (soft labels, see README).</summary>
internal sealed class PairRow
{
    [VectorType(PairFeatures.Count)]
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }

    public float Weight { get; set; }
}

/// <summary>Scoring input: features only.</summary>
internal sealed class FeatureRow
{
    [VectorType(PairFeatures.Count)]
    public float[] Features { get; set; } = [];
}

/// <summary>
/// Trains the match-quality model: soft targets from every outcome signal, k-fold cross-validation of each trainer,
/// the trainer with the lowest held-out log-loss wins, Platt calibration fitted on held-out scores.
/// </summary>
internal static class MatchTrainer
{
    public const string FeaturesColumn = "Features";

    /// <summary>The event the probability is about: the pair reached its end date and met its goal.</summary>
    public static bool Success(Outcome o) => o.Completed && o.GoalMet;

    /// <summary>
    /// The training target in [0, 1], from every outcome signal: 0.15 for completing, 0.15 for meeting the goal and
    /// 0.7 × satisfaction rescaled from 1–5 to 0–1 (satisfaction is graded, so it carries the most information).
    /// </summary>
    public static double Target(Outcome o) =>
        (0.15 * (o.Completed ? 1 : 0)) + (0.15 * (o.GoalMet ? 1 : 0)) + (0.7 * ((o.Satisfaction - 1) / 4));

    public static IEnumerable<PairRow> Rows(IReadOnlyList<float[]> features, IReadOnlyList<double> targets, IEnumerable<int> indices)
    {
        foreach (var i in indices)
        {
            // A soft target t is a positive example of weight t plus a negative example of weight 1 − t.
            var t = (float)targets[i];
            if (t > 0)
            {
                yield return new PairRow { Features = features[i], Label = true, Weight = t };
            }

            if (t < 1)
            {
                yield return new PairRow { Features = features[i], Label = false, Weight = 1 - t };
            }
        }
    }

    public static IEstimator<ITransformer> Pipeline(MLContext ml, TrainerKind kind, int seed) => kind switch
    {
        TrainerKind.LinearLogistic => ml.Transforms.NormalizeMinMax(FeaturesColumn)
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = FeaturesColumn,
                ExampleWeightColumnName = "Weight",
                L1Regularization = 0.05f,
                L2Regularization = 2f,
                NumberOfThreads = 1,
            })),
        _ => ml.Transforms.NormalizeMinMax(FeaturesColumn)
            .Append(ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = FeaturesColumn,
                ExampleWeightColumnName = "Weight",
                NumberOfTrees = 120,
                NumberOfLeaves = 12,
                MinimumExampleCountPerLeaf = 20,
                LearningRate = 0.08,
                Shrinkage = 1,
                FeatureFraction = 0.9,
                Seed = seed,
                FeatureSelectionSeed = seed,
                NumberOfThreads = 1,
            })),
    };

    public static double[] Predict(MLContext ml, ITransformer model, IReadOnlyList<float[]> features)
    {
        var data = ml.Data.LoadFromEnumerable(features.Select(f => new FeatureRow { Features = f }));
        var scored = model.Transform(data);
        return [.. scored.GetColumn<float>("Probability").Select(p => (double)p)];
    }

    /// <summary>Seeded shuffle of 0..n−1 split into k folds (fold of each index).</summary>
    public static int[] Folds(int n, int k, int seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(order);
        var fold = new int[n];
        for (var i = 0; i < n; i++)
        {
            fold[order[i]] = i % k;
        }

        return fold;
    }

    /// <summary>Held-out raw probabilities of one trainer, one per pair, from k-fold cross-validation.</summary>
    public static double[] OutOfFold(MLContext ml, TrainerKind kind, IReadOnlyList<float[]> features, IReadOnlyList<double> targets, int[] fold, int k, int seed)
    {
        var result = new double[features.Count];
        for (var f = 0; f < k; f++)
        {
            var current = f;
            var train = Enumerable.Range(0, features.Count).Where(i => fold[i] != current);
            var test = Enumerable.Range(0, features.Count).Where(i => fold[i] == current).ToList();
            var model = Pipeline(ml, kind, seed).Fit(ml.Data.LoadFromEnumerable(Rows(features, targets, train)));
            var predicted = Predict(ml, model, [.. test.Select(i => features[i])]);
            for (var j = 0; j < test.Count; j++)
            {
                result[test[j]] = predicted[j];
            }
        }

        return result;
    }

    /// <summary>
    /// Calibrated held-out probabilities: each fold's scores are calibrated by a Platt fit on the other folds' scores,
    /// so the reported log-loss is honest.
    /// </summary>
    public static double[] CalibrateOutOfFold(double[] raw, IReadOnlyList<bool> labels, int[] fold, int k)
    {
        var result = new double[raw.Length];
        for (var f = 0; f < k; f++)
        {
            var others = Enumerable.Range(0, raw.Length).Where(i => fold[i] != f).ToList();
            var platt = PlattCalibration.Fit([.. others.Select(i => raw[i])], [.. others.Select(i => labels[i])]);
            for (var i = 0; i < raw.Length; i++)
            {
                if (fold[i] == f)
                {
                    result[i] = platt.Apply(raw[i]);
                }
            }
        }

        return result;
    }

    /// <summary>The trained predictor's last transformer as ML.NET's feature-contribution calculator needs it.</summary>
    public static ITransformer? ContributionCalculator(MLContext ml, ITransformer model, IDataView sample)
    {
        if (model is not IEnumerable<ITransformer> chain || chain.LastOrDefault() is not { } last)
        {
            return null;
        }

        IEstimator<ITransformer>? estimator = last switch
        {
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> linear =>
                ml.Transforms.CalculateFeatureContribution(linear, numberOfPositiveContributions: PairFeatures.Count, numberOfNegativeContributions: 0, normalize: false),
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> trees =>
                ml.Transforms.CalculateFeatureContribution(trees, numberOfPositiveContributions: PairFeatures.Count, numberOfNegativeContributions: 0, normalize: false),
            _ => null,
        };
        return estimator?.Fit(model.Transform(sample));
    }
}
