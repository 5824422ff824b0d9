using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Matching;

namespace MentorFlow.Reporting.Tests.Matching;

public sealed class GateTests
{
    private const int Fit = 0; // the one input that moves the outcome of a compatible pair

    /// <summary>
    /// Model inputs where input 0 is uniform and a fifth of the pairs are hard-incompatible; the outcome is
    /// 1 + 2·x₀ for a compatible pair and <paramref name="incompatible"/>(x₀) otherwise (seeded noise).
    /// </summary>
    private static (List<float[]> X, double[] Y) Data(Func<double, double> incompatible, int n = 800, double share = 0.2)
    {
        var random = new Random(12);
        var x = new List<float[]>();
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var v = new float[ModelInputs.Count];
            v[Fit] = (float)random.NextDouble();
            v[PairFeatures.HardIncompatibility] = random.NextDouble() < share ? 1 : 0;
            x.Add(v);
            y[i] = (v[PairFeatures.HardIncompatibility] == 1 ? incompatible(v[Fit]) : 1 + (2 * v[Fit])) + (0.05 * (random.NextDouble() - 0.5));
        }

        return (x, y);
    }

    private static RidgeModel Gated(List<float[]> x, double[] y)
    {
        var compatible = Enumerable.Range(0, x.Count).Where(i => x[i][PairFeatures.HardIncompatibility] == 0).ToArray();
        var incompatible = Enumerable.Range(0, x.Count).Where(i => x[i][PairFeatures.HardIncompatibility] == 1).ToArray();
        var f = RidgeModel.Fit(x, y, compatible, [(Fit, -1)], [1e-6])[0];
        return GatedLasso.Gate(f, incompatible, x, y);
    }

    private static float[] Pair(double fit, bool incompatible)
    {
        var v = new float[ModelInputs.Count];
        v[Fit] = (float)fit;
        v[PairFeatures.HardIncompatibility] = incompatible ? 1 : 0;
        return v;
    }

    [Fact]
    public void Gate_WhenAnIncompatibilitySinksEveryPair_ScalesWhatTheOtherFactsAreWorthDown_NotJustTheLevel()
    {
        var (x, y) = Data(fit => 0.5 + (0.2 * fit)); // the fit is worth a tenth as much without a common language

        var model = Gated(x, y);

        Assert.Equal(1.0, model.Predict(Pair(0, false)), 1);
        Assert.Equal(3.0, model.Predict(Pair(1, false)), 1);
        Assert.Equal(0.5, model.Predict(Pair(0, true)), 1);
        Assert.Equal(0.7, model.Predict(Pair(1, true)), 1);
    }

    [Fact]
    public void Gate_NeverAmplifiesWhatTheOtherFactsAreWorth_TheScaleIsHeldAtOne()
    {
        var (x, y) = Data(fit => 4 * fit); // steeper than for compatible pairs: read as a shift, not an amplification

        var model = Gated(x, y);

        var gain = model.Predict(Pair(1, true)) - model.Predict(Pair(0, true));
        Assert.Equal(2.0, gain, 1); // the compatible slope, not 4
    }

    [Fact]
    public void Gate_WithFewerIncompatiblePastPairsThanItNeeds_OnlyShiftsTheLevel_ShrunkTowardsNone()
    {
        var (x, y) = Data(fit => 0.5 * fit, n: 400, share: 0.01);
        var gated = x.Count(v => v[PairFeatures.HardIncompatibility] == 1);
        Assert.InRange(gated, 1, GatedLasso.MinimumGatedPairs - 1);

        var model = Gated(x, y);

        var shift = model.Predict(Pair(0.5, true)) - model.Predict(Pair(0.5, false));
        Assert.InRange(shift, -1.75, -0.05); // the outcomes were ~1.75 lower; with so few pairs the shift is shrunk
        Assert.Equal(2.0, model.Predict(Pair(1, true)) - model.Predict(Pair(0, true)), 1);
    }

    [Fact]
    public void Gate_RefusesAModelWithProductTerms()
    {
        var (x, y) = Data(fit => fit);
        var products = RidgeModel.Fit(x, y, [.. Enumerable.Range(0, x.Count)], [(Fit, -1), (Fit, Fit)], [1e-6])[0];

        Assert.Throws<ArgumentException>(() => GatedLasso.Gate(products, [0, 1], x, y));
    }

    /// <summary>Model inputs with input 0 uniform and the given share of hard-incompatible pairs; satisfaction 1 + 3·x₀ (seeded noise).</summary>
    private static (List<float[]> X, List<Outcome> Outcomes) History(double incompatibleShare)
    {
        var random = new Random(21);
        var x = new List<float[]>();
        var outcomes = new List<Outcome>();
        for (var i = 0; i < 400; i++)
        {
            var v = new float[ModelInputs.Count];
            v[Fit] = (float)random.NextDouble();
            v[PairFeatures.HardIncompatibility] = random.NextDouble() < incompatibleShare ? 1 : 0;
            x.Add(v);
            var satisfaction = Math.Clamp(1 + (3 * v[Fit]) + (0.3 * (random.NextDouble() - 0.5)), 1, 5);
            outcomes.Add(new Outcome($"m{i}", $"e{i}", satisfaction > 2.5, satisfaction, satisfaction > 3));
        }

        return (x, outcomes);
    }

    private static double[] HeldOut(TrainerKind kind, List<float[]> x, List<Outcome> outcomes) =>
        MatchTrainer.Run(new Microsoft.ML.MLContext(1), kind, x, outcomes, MatchTrainer.Folds(x.Count, 5, 2), 5, 1).OutOfFold;

    [Fact]
    public void GatedLasso_WithoutIncompatiblePastPairs_ScoresExactlyLikeTheLasso()
    {
        var (x, outcomes) = History(incompatibleShare: 0);

        Assert.Equal(HeldOut(TrainerKind.LassoLinear, x, outcomes), HeldOut(TrainerKind.LassoGated, x, outcomes), (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void GatedLasso_WhenMostPastPairsAreIncompatible_StillFitsTheOtherFactsOnEveryPair()
    {
        var (x, outcomes) = History(incompatibleShare: 0.9);

        var scores = HeldOut(TrainerKind.LassoGated, x, outcomes);

        Assert.True(MatchTrainer.Spearman(scores, [.. outcomes.Select(o => o.Satisfaction)]) > 0.9);
    }
}
