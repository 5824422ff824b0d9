using MentorFlow.Reporting.Data;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace MentorFlow.Reporting.Matching;

/// <summary>One row of ML.NET training data: a pair's model inputs, a label and a weight.</summary>
internal sealed class PairRow
{
    [VectorType(ModelInputs.Count)]
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }

    public float Target { get; set; }

    public float Weight { get; set; }
}

/// <summary>Scoring input: model inputs only.</summary>
internal sealed class FeatureRow
{
    [VectorType(ModelInputs.Count)]
    public float[] Features { get; set; } = [];
}

/// <summary>
/// A candidate after cross-validation: held-out raw scores, the fold models, how to fit it on everything, and for the
/// stack its members' shares.
/// </summary>
internal sealed record CandidateRun(
    TrainerKind Kind, double[] OutOfFold, Predictor[] FoldModels, double? Lambda, Func<Predictor> FitAll, IReadOnlyList<StackMember>? Members = null);

/// <summary>
/// Trains the candidates: k-fold cross-validation of each, the assignment lift and the other measures of its held-out
/// scores; the selection and calibration happen in <see cref="MatchModel"/>.
/// </summary>
internal static class MatchTrainer
{
    public const string FeaturesColumn = "Features";

    public static readonly IReadOnlyList<TrainerKind> DefaultTrainers =
    [
        TrainerKind.Stack, TrainerKind.LassoLinear, TrainerKind.LassoGated, TrainerKind.RidgeLinear, TrainerKind.RidgeInteractions,
        TrainerKind.RidgeInteractionsComposite, TrainerKind.LinearLogistic, TrainerKind.LightGbm, TrainerKind.Blend, TrainerKind.Similarity,
    ];

    /// <summary>Shares of the held-out pairs a candidate picks in the assignment simulation.</summary>
    public static readonly IReadOnlyList<double> PickShares = [0.25, 0.5];

    /// <summary>The event the probability is about: the pair reached its end date and met its goal.</summary>
    public static bool Success(Outcome o) => o.Completed && o.GoalMet;

    /// <summary>
    /// The composite target in [0, 1], from every outcome signal: 0.15 for completing, 0.15 for meeting the goal and
    /// 0.7 × satisfaction rescaled from 1–5 to 0–1 (satisfaction is graded, so it carries the most information).
    /// </summary>
    public static double Target(Outcome o) =>
        (0.15 * (o.Completed ? 1 : 0)) + (0.15 * (o.GoalMet ? 1 : 0)) + (0.7 * ((o.Satisfaction - 1) / 4));

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

    /// <summary>The rows each of the <paramref name="k"/> folds trains on (every other fold's) and is tested on (its own).</summary>
    public static (int[][] Train, int[][] Test) Split(int[] fold, int k) =>
        ([.. Enumerable.Range(0, k).Select(f => Enumerable.Range(0, fold.Length).Where(i => fold[i] != f).ToArray())],
         [.. Enumerable.Range(0, k).Select(f => Enumerable.Range(0, fold.Length).Where(i => fold[i] == f).ToArray())]);

    /// <summary>The held-out measures of a cross-validated model: assignment lift (and per fold), AUC, log-loss and calibration error of its calibrated scores, Spearman.</summary>
    public static TrainerEvaluation Evaluate(CandidateRun run, double[] composite, IReadOnlyList<bool> labels, int[] fold, int k)
    {
        var (lift, error) = AssignmentLift(run.OutOfFold, composite, fold, k);
        var calibrated = CalibrateOutOfFold(run.OutOfFold, labels, fold, k);
        return new TrainerEvaluation(
            run.Kind, lift, error, BinaryMetrics.Auc(run.OutOfFold, labels), BinaryMetrics.LogLoss(calibrated, labels),
            CalibrationError(calibrated, labels), Spearman(run.OutOfFold, composite), run.Lambda, FoldLifts(run.OutOfFold, composite, fold, k), run.Members);
    }

    /// <summary>Cross-validates one candidate.</summary>
    public static CandidateRun Run(
        MLContext ml, TrainerKind kind, IReadOnlyList<float[]> inputs, IReadOnlyList<Outcome> outcomes, int[] fold, int k, int seed,
        IReadOnlyList<string>? goals = null)
    {
        var satisfaction = outcomes.Select(o => o.Satisfaction).ToArray();
        var composite = outcomes.Select(Target).ToArray();
        var all = Enumerable.Range(0, inputs.Count).ToArray();
        if (kind == TrainerKind.Similarity)
        {
            var similarity = new SimilarityPredictor();
            return new CandidateRun(kind, similarity.Raw(inputs), [.. Enumerable.Range(0, k).Select(_ => (Predictor)similarity)], null, () => similarity);
        }

        var (train, test) = Split(fold, k);
        if (kind == TrainerKind.LassoGated)
        {
            return GatedLasso.Run(inputs, satisfaction, all, train, test);
        }

        if (kind == TrainerKind.LassoLinear)
        {
            // One λmax (from every row) for the folds and the final fit, so a path position means one penalty.
            var (_, lambdaMax) = LassoFit.Fit(inputs, satisfaction, all, [1.0]);
            var fractions = LassoFit.PathFractions;
            var (best, oof, perFold) = PenaltyPath(inputs, satisfaction, test, f => LassoFit.Fit(inputs, satisfaction, train[f], fractions, lambdaMax, PairFeatures.Directions).Models);
            return new CandidateRun(
                kind, oof, [.. perFold.Select(models => (Predictor)new RidgePredictor(models[best]))], lambdaMax * fractions[best],
                () => new RidgePredictor(LassoFit.Fit(inputs, satisfaction, all, [.. fractions.Take(best + 1)], lambdaMax, PairFeatures.Directions).Models[best]));
        }

        if (kind is TrainerKind.RidgeLinear or TrainerKind.RidgeInteractions or TrainerKind.RidgeInteractionsComposite or TrainerKind.RidgeGoals)
        {
            var terms = kind == TrainerKind.RidgeGoals ? ModelInputs.GroupTerms(goals ?? []) : ModelInputs.Terms(interactions: kind != TrainerKind.RidgeLinear);
            double[] targets = kind == TrainerKind.RidgeInteractionsComposite ? composite : satisfaction;
            // The main-effects ridge keeps a fact's basic form cheaper than its shapes; with products the shapes are what the products act on.
            var shapes = kind == TrainerKind.RidgeLinear ? ModelInputs.Shapes : null;
            // The ridges share one pass over the rows: every fold's sums of term products (FoldGrams).
            var grams = FoldGrams.Of(inputs, fold, k);
            var (best, oof, perFold) = PenaltyPath(inputs, targets, test, f => RidgeModel.Fit(grams, f, targets, terms, RidgeModel.Lambdas, shapes));
            var lambda = RidgeModel.Lambdas[best];
            return new CandidateRun(
                kind, oof, [.. perFold.Select(models => (Predictor)new RidgePredictor(models[best]))], lambda,
                () => new RidgePredictor(RidgeModel.Fit(grams, -1, targets, terms, [lambda], shapes)[0]));
        }

        var result = new double[inputs.Count];
        var folds = new Predictor[k];
        for (var f = 0; f < k; f++)
        {
            folds[f] = FitMlNet(ml, kind, inputs, outcomes, train[f], seed);
            var predicted = folds[f].Raw([.. test[f].Select(i => inputs[i])]);
            for (var j = 0; j < test[f].Length; j++)
            {
                result[test[f][j]] = predicted[j];
            }
        }

        return new CandidateRun(kind, result, folds, null, () => FitMlNet(ml, kind, inputs, outcomes, all, seed));
    }

    /// <summary>
    /// Cross-validates a model family along its penalty path: <paramref name="fit"/> fits one model per penalty on the
    /// training rows of fold f (the rows outside <paramref name="test"/>[f]); returns the penalty with the lowest held-out
    /// squared error of <paramref name="targets"/>, its held-out predictions and every fold's path.
    /// </summary>
    internal static (int Best, double[] OutOfFold, RidgeModel[][] PerFold) PenaltyPath(
        IReadOnlyList<float[]> inputs, double[] targets, int[][] test, Func<int, RidgeModel[]> fit)
    {
        var perFold = Enumerable.Range(0, test.Length).Select(fit).ToArray();
        var penalties = perFold[0].Length;
        var oof = Enumerable.Range(0, penalties).Select(_ => new double[inputs.Count]).ToArray();
        for (var f = 0; f < perFold.Length; f++)
        {
            foreach (var i in test[f])
            {
                for (var l = 0; l < penalties; l++)
                {
                    oof[l][i] = perFold[f][l].Predict(inputs[i]);
                }
            }
        }

        var best = Enumerable.Range(0, penalties).MinBy(l => Enumerable.Range(0, inputs.Count).Sum(i => Math.Pow(oof[l][i] - targets[i], 2)));
        return (best, oof[best], perFold);
    }

    /// <summary>The blend of two cross-validated candidates (same folds).</summary>
    public static CandidateRun Blend(CandidateRun first, CandidateRun second)
    {
        var scaling = BlendScaling.Of(first.OutOfFold, second.OutOfFold);
        return new CandidateRun(
            TrainerKind.Blend,
            [.. first.OutOfFold.Select((v, i) => scaling.Combine(v, second.OutOfFold[i]))],
            [.. first.FoldModels.Select((f, i) => (Predictor)new BlendPredictor(f, second.FoldModels[i], scaling))],
            first.Lambda,
            () => new BlendPredictor(first.FitAll(), second.FitAll(), scaling));
    }

    /// <summary>
    /// The assignment simulation on held-out pairs (see <see cref="TrainerEvaluation"/>): mean over folds and pick
    /// shares of (realised outcome of the candidate's picks − fold mean) ÷ (realised outcome of the best picks − fold
    /// mean); returns the mean and its standard error over the folds.
    /// </summary>
    public static (double Lift, double Error) AssignmentLift(double[] scores, IReadOnlyList<double> realised, int[] fold, int k)
    {
        var lifts = FoldLifts(scores, realised, fold, k);
        if (lifts.Count == 0)
        {
            return (0, 0);
        }

        var average = lifts.Average();
        var error = lifts.Count < 2 ? 0 : Math.Sqrt(lifts.Sum(l => (l - average) * (l - average)) / (lifts.Count - 1) / lifts.Count);
        return (average, error);
    }

    /// <summary>The assignment lift of each validation fold (folds with fewer than 4 pairs left out).</summary>
    public static IReadOnlyList<double> FoldLifts(double[] scores, IReadOnlyList<double> realised, int[] fold, int k)
    {
        var lifts = new List<double>();
        for (var f = 0; f < k; f++)
        {
            var members = Enumerable.Range(0, scores.Length).Where(i => fold[i] == f).ToArray();
            if (members.Length < 4)
            {
                continue;
            }

            var mean = members.Average(i => realised[i]);
            var byScore = members.OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
            var byOutcome = members.OrderByDescending(i => realised[i]).ThenBy(i => i).ToArray();
            var foldLift = 0.0;
            foreach (var share in PickShares)
            {
                var take = Math.Max(1, (int)Math.Round(members.Length * share));
                var picked = byScore.Take(take).Average(i => realised[i]);
                var ideal = byOutcome.Take(take).Average(i => realised[i]);
                foldLift += ideal - mean < 1e-12 ? 0 : (picked - mean) / (ideal - mean);
            }

            lifts.Add(foldLift / PickShares.Count);
        }

        return lifts;
    }

    /// <summary>Spearman rank correlation (ties averaged).</summary>
    public static double Spearman(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var ra = Ranks(a);
        var rb = Ranks(b);
        var ma = ra.Average();
        var mb = rb.Average();
        double sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < ra.Length; i++)
        {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }

        return saa == 0 || sbb == 0 ? 0 : sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>Expected calibration error: |mean predicted − observed rate| over 10 equal-width bins, weighted by size.</summary>
    public static double CalibrationError(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels)
    {
        double error = 0;
        for (var b = 0; b < 10; b++)
        {
            var members = Enumerable.Range(0, probabilities.Count)
                .Where(i => Math.Min((int)(probabilities[i] * 10), 9) == b).ToList();
            if (members.Count > 0)
            {
                error += members.Count * Math.Abs(members.Average(i => probabilities[i]) - members.Count(i => labels[i]) / (double)members.Count);
            }
        }

        return probabilities.Count == 0 ? 0 : error / probabilities.Count;
    }

    /// <summary>
    /// Calibrated held-out probabilities: each fold's scores are calibrated by a Platt fit on the other folds' scores,
    /// so the reported log-loss and calibration error are honest.
    /// </summary>
    public static double[] CalibrateOutOfFold(double[] raw, IReadOnlyList<bool> labels, int[] fold, int k)
    {
        var result = new double[raw.Length];
        for (var f = 0; f < k; f++)
        {
            var others = Enumerable.Range(0, raw.Length).Where(i => fold[i] != f).ToList();
            var platt = PlattCalibration.FitScores([.. others.Select(i => raw[i])], [.. others.Select(i => labels[i])]);
            for (var i = 0; i < raw.Length; i++)
            {
                if (fold[i] == f)
                {
                    result[i] = platt.ApplyScore(raw[i]);
                }
            }
        }

        return result;
    }

    public static IDataView Load(MLContext ml, IReadOnlyList<float[]> inputs) =>
        ml.Data.LoadFromEnumerable(inputs.Select(f => new FeatureRow { Features = f }));

    public static MlNetPredictor FitMlNet(MLContext ml, TrainerKind kind, IReadOnlyList<float[]> inputs, IReadOnlyList<Outcome> outcomes, IReadOnlyList<int> rows, int seed)
    {
        var data = ml.Data.LoadFromEnumerable(Rows(inputs, outcomes, rows, soft: kind == TrainerKind.LinearLogistic));
        var model = Pipeline(ml, kind, seed).Fit(data);
        return new MlNetPredictor(ml, model, probability: kind == TrainerKind.LinearLogistic);
    }

    /// <summary>The training rows of an ML.NET candidate: the trees' without the fine steps, the logistic regression's with soft targets.</summary>
    private static IEnumerable<PairRow> Rows(IReadOnlyList<float[]> inputs, IReadOnlyList<Outcome> outcomes, IEnumerable<int> rows, bool soft)
    {
        foreach (var i in rows)
        {
            var t = (float)Target(outcomes[i]);
            if (!soft)
            {
                yield return new PairRow { Features = ModelInputs.WithoutFineSteps(inputs[i]), Target = t, Label = Success(outcomes[i]), Weight = 1 };
                continue;
            }

            // A soft target t is a positive example of weight t plus a negative example of weight 1 − t.
            if (t > 0)
            {
                yield return new PairRow { Features = inputs[i], Label = true, Target = t, Weight = t };
            }

            if (t < 1)
            {
                yield return new PairRow { Features = inputs[i], Label = false, Target = t, Weight = 1 - t };
            }
        }
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml, TrainerKind kind, int seed) => kind switch
    {
        // Cached after normalising: single-threaded, L-BFGS reads its data again at every step (same rows, same order).
        TrainerKind.LinearLogistic => ml.Transforms.NormalizeMinMax(FeaturesColumn).AppendCacheCheckpoint(ml)
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = FeaturesColumn,
                ExampleWeightColumnName = "Weight",
                L1Regularization = 0.05f,
                L2Regularization = 2f,
                NumberOfThreads = 1,
            })),
        TrainerKind.BoostedTrees => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            LabelColumnName = "Target",
            FeatureColumnName = FeaturesColumn,
            NumberOfTrees = 150,
            NumberOfLeaves = 8,
            MinimumExampleCountPerLeaf = 25,
            LearningRate = 0.05,
            FeatureFraction = 0.8,
            Seed = seed,
            FeatureSelectionSeed = seed,
            NumberOfThreads = 1,
        }),
        TrainerKind.LightGbm => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            LabelColumnName = "Target",
            FeatureColumnName = FeaturesColumn,
            NumberOfIterations = 150,
            NumberOfLeaves = 8,
            MinimumExampleCountPerLeaf = 25,
            LearningRate = 0.05,
            L2CategoricalRegularization = 1,
            Booster = new GradientBooster.Options { L2Regularization = 1, FeatureFraction = 0.8 },
            Seed = seed,
            NumberOfThreads = 1,
            Verbose = false,
            Silent = true,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an ML.NET candidate"),
    };

    /// <summary>The trained predictor's last transformer as ML.NET's feature-contribution calculator needs it.</summary>
    public static ITransformer? ContributionCalculator(MLContext ml, ITransformer model, IDataView sample)
    {
        var last = model is IEnumerable<ITransformer> chain ? chain.LastOrDefault() : model;
        IEstimator<ITransformer>? estimator = last switch
        {
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> linear =>
                ml.Transforms.CalculateFeatureContribution(linear, numberOfPositiveContributions: ModelInputs.Count, numberOfNegativeContributions: ModelInputs.Count, normalize: false),
            ISingleFeaturePredictionTransformer<FastTreeRegressionModelParameters> trees =>
                ml.Transforms.CalculateFeatureContribution(trees, numberOfPositiveContributions: ModelInputs.Count, numberOfNegativeContributions: ModelInputs.Count, normalize: false),
            ISingleFeaturePredictionTransformer<LightGbmRegressionModelParameters> lightGbm =>
                ml.Transforms.CalculateFeatureContribution(lightGbm, numberOfPositiveContributions: ModelInputs.Count, numberOfNegativeContributions: ModelInputs.Count, normalize: false),
            _ => null,
        };
        return estimator?.Fit(model.Transform(sample));
    }

    private static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        var k = 0;
        while (k < order.Length)
        {
            var end = k;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[k]])
            {
                end++;
            }

            for (var m = k; m <= end; m++)
            {
                ranks[order[m]] = (k + end) / 2.0;
            }

            k = end + 1;
        }

        return ranks;
    }
}
