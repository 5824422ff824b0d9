using MentorFlow.Reporting.Matching;

namespace MentorFlow.Reporting.Tests.Matching;

public sealed class StackTests
{
    private const int Folds = 5;

    /// <summary>Three inputs; the target is x₀ + x₁ plus seeded noise; input 2 is unrelated.</summary>
    private static (List<float[]> X, double[] Y, int[] Fold) Data(int n = 600)
    {
        var random = new Random(8);
        var x = Enumerable.Range(0, n).Select(_ => new[] { (float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble() }).ToList();
        return (x, [.. x.Select(v => v[0] + v[1] + (0.1 * (random.NextDouble() - 0.5)))], MatchTrainer.Folds(n, Folds, 3));
    }

    /// <summary>A linear member that reads only the given inputs, cross-validated on the folds like a real candidate.</summary>
    private static CandidateRun Member(TrainerKind kind, List<float[]> x, double[] y, int[] fold, params int[] inputs)
    {
        IReadOnlyList<(int, int)> terms = [.. inputs.Select(i => (i, -1))];
        var all = Enumerable.Range(0, x.Count).ToArray();
        var oof = new double[x.Count];
        var models = new Predictor[Folds];
        for (var f = 0; f < Folds; f++)
        {
            var model = RidgeModel.Fit(x, y, [.. all.Where(i => fold[i] != f)], terms, [1e-6])[0];
            models[f] = new RidgePredictor(model);
            foreach (var i in all.Where(i => fold[i] == f))
            {
                oof[i] = model.Predict(x[i]);
            }
        }

        return new CandidateRun(kind, oof, models, null, () => new RidgePredictor(RidgeModel.Fit(x, y, all, terms, [1e-6])[0]));
    }

    private static double SquaredError(Predictor p, List<float[]> x, double[] y) => p.Raw(x).Select((v, i) => (v - y[i]) * (v - y[i])).Average();

    [Fact]
    public void Stack_OfTwoMembersThatEachSeeHalfTheTruth_WeighsBoth_AndPredictsBetterThanEither()
    {
        var (x, y, fold) = Data();
        var first = Member(TrainerKind.LassoLinear, x, y, fold, 0);
        var second = Member(TrainerKind.RidgeLinear, x, y, fold, 1);

        var stack = Stacking.Stack([first, second], y, fold, Folds);

        Assert.Equal([TrainerKind.LassoLinear, TrainerKind.RidgeLinear], stack.Members!.Select(m => m.Trainer));
        Assert.All(stack.Members!, m => Assert.InRange(m.Share, 0.35, 0.65));
        Assert.Equal(1.0, stack.Members!.Sum(m => m.Share), 9);
        var combined = stack.FitAll();
        Assert.IsType<RidgePredictor>(combined); // one linear model: saved, explained and scored like any ridge
        Assert.True(SquaredError(combined, x, y) < 0.5 * Math.Min(SquaredError(first.FitAll(), x, y), SquaredError(second.FitAll(), x, y)));
        Assert.All(stack.FoldModels, m => Assert.IsType<RidgePredictor>(m));
    }

    [Fact]
    public void Stack_GivesNoShareToAMemberThatOnlyAddsNoise()
    {
        var (x, y, fold) = Data();
        var informative = Member(TrainerKind.LassoLinear, x, y, fold, 0, 1);
        var unrelated = Member(TrainerKind.RidgeInteractions, x, y, fold, 2);

        var stack = Stacking.Stack([informative, unrelated], y, fold, Folds);

        var share = stack.Members!.SingleOrDefault(m => m.Trainer == TrainerKind.RidgeInteractions)?.Share ?? 0;
        Assert.InRange(share, 0, 0.02);
        Assert.True(SquaredError(stack.FitAll(), x, y) <= SquaredError(informative.FitAll(), x, y) * 1.01);
    }

    [Fact]
    public void Stack_HeldOutScoresOfAFold_UseWeightsFittedWithoutThatFoldsOutcomes()
    {
        var (x, y, fold) = Data();
        CandidateRun[] members = [Member(TrainerKind.LassoLinear, x, y, fold, 0), Member(TrainerKind.RidgeLinear, x, y, fold, 1)];
        var changed = y.Select((v, i) => fold[i] == 0 ? 10 - v : v).ToArray(); // only fold 0's outcomes differ

        var before = Stacking.Stack(members, y, fold, Folds).OutOfFold;
        var after = Stacking.Stack(members, changed, fold, Folds).OutOfFold;

        Assert.All(Enumerable.Range(0, y.Length).Where(i => fold[i] == 0), i => Assert.Equal(before[i], after[i], 12));
        Assert.Contains(Enumerable.Range(0, y.Length).Where(i => fold[i] != 0), i => Math.Abs(before[i] - after[i]) > 1e-6);
    }
}
