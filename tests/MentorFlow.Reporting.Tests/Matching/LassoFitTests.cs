using MentorFlow.Reporting.Matching;

namespace MentorFlow.Reporting.Tests.Matching;

public sealed class LassoFitTests
{
    /// <summary>Twelve inputs, of which only 0 (+2) and 5 (−1) move the target; seeded noise.</summary>
    private static (List<float[]> X, double[] Y) Sparse(int n = 600)
    {
        var random = new Random(4);
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 12).Select(_ => (float)random.NextDouble()).ToArray()).ToList();
        return (x, [.. x.Select(v => 3 + (2 * v[0]) - v[5] + (0.2 * (random.NextDouble() - 0.5)))]);
    }

    [Fact]
    public void Fit_AtTheLargestPenalty_PredictsTheMeanWithEveryWeightZero()
    {
        var (x, y) = Sparse();

        var (models, lambdaMax) = LassoFit.Fit(x, y, [.. Enumerable.Range(0, x.Count)], [1.0]);

        Assert.True(lambdaMax > 0);
        Assert.All(models[0].Weights, w => Assert.Equal(0, w));
        Assert.Equal(y.Average(), models[0].Predict(x[0]), 9);
    }

    [Fact]
    public void Fit_AlongThePath_KeepsOnlyTheInputsThatMoveTheTarget_WithTheirSignsAndSizes()
    {
        var (x, y) = Sparse();

        var (models, _) = LassoFit.Fit(x, y, [.. Enumerable.Range(0, x.Count)], LassoFit.PathFractions);

        var middle = models[8];
        Assert.True(middle.Weights[0] > 0 && middle.Weights[5] < 0, $"weights {string.Join(", ", middle.Weights.Select(w => w.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.All(Enumerable.Range(0, 12).Except([0, 5]), i => Assert.Equal(0, middle.Weights[i]));
        var last = models[^1];
        Assert.Equal(2.0, last.Weights[0], 1);
        Assert.Equal(-1.0, last.Weights[5], 1);
        Assert.All(Enumerable.Range(0, 12).Except([0, 5]), i => Assert.InRange(Math.Abs(last.Weights[i]), 0, 0.05));
    }

    [Fact]
    public void Fit_WhereAShapeAndTheBasicFormTellTheSame_KeepsTheBasicForm()
    {
        // The shape (interest overlap) comes first in the inputs, so the sweep meets it first; its heavier penalty
        // still leaves the fact to its basic form (shared interests).
        var random = new Random(6);
        var x = Enumerable.Range(0, 400).Select(_ => new float[PairFeatures.Count]).ToList();
        foreach (var v in x)
        {
            v[PairFeatures.SharedInterests] = v[PairFeatures.InterestOverlap] = (float)random.NextDouble();
            v[PairFeatures.SeniorityGap] = (float)random.NextDouble();
        }

        double[] y = [.. x.Select(v => (2 * v[PairFeatures.SharedInterests]) + (0.2 * (random.NextDouble() - 0.5)))];

        var (models, _) = LassoFit.Fit(x, y, [.. Enumerable.Range(0, x.Count)], LassoFit.PathFractions);

        Assert.True(ModelInputs.Shapes.Contains(PairFeatures.InterestOverlap) && !ModelInputs.Shapes.Contains(PairFeatures.SharedInterests));
        Assert.All(models.Skip(1), m => Assert.Equal(0, m.Weights[PairFeatures.InterestOverlap]));
        Assert.Equal(2.0, models[^1].Weights[PairFeatures.SharedInterests], 1);
    }

    [Fact]
    public void Fit_GivenTheLambdaMaxOfOtherRows_UsesThatPenaltyScale()
    {
        var (x, y) = Sparse();
        var all = Enumerable.Range(0, x.Count).ToArray();
        var (_, lambdaMax) = LassoFit.Fit(x, y, all, [1.0]);

        var (models, used) = LassoFit.Fit(x, y, all[..300], [0.5], lambdaMax);

        Assert.Equal(lambdaMax, used);
        Assert.Equal(lambdaMax * 0.5, models[0].Lambda, 12);
    }

    [Fact]
    public void Fit_GivenTheFactsDirections_KeepsAWeightAgainstItsDirectionAtZero_AndLeavesTheFreeFactsAsTheyFit()
    {
        // Past pairs where more shared interests went with slightly less satisfaction and hours apart with slightly
        // more: unconstrained, the lasso draws both; with the directions neither is drawn, and the seniority gap (free:
        // sweet spots) keeps its negative weight.
        var random = new Random(8);
        var x = Enumerable.Range(0, 500).Select(_ => new float[PairFeatures.Count]).ToList();
        foreach (var v in x)
        {
            v[PairFeatures.SharedInterests] = (float)random.NextDouble();
            v[PairFeatures.TimeZoneDistance] = (float)random.NextDouble();
            v[PairFeatures.SeniorityGap] = (float)random.NextDouble();
        }

        double[] y = [.. x.Select(v => 3 - (0.6 * v[PairFeatures.SharedInterests]) + (0.6 * v[PairFeatures.TimeZoneDistance]) - (1.5 * v[PairFeatures.SeniorityGap]) + (0.1 * (random.NextDouble() - 0.5)))];
        int[] all = [.. Enumerable.Range(0, x.Count)];

        var free = LassoFit.Fit(x, y, all, LassoFit.PathFractions).Models[^1];
        var directed = LassoFit.Fit(x, y, all, LassoFit.PathFractions, directions: PairFeatures.Directions).Models;

        Assert.Equal(-0.6, free.Weights[PairFeatures.SharedInterests], 1);
        Assert.Equal(0.6, free.Weights[PairFeatures.TimeZoneDistance], 1);
        Assert.All(directed, m => Assert.Equal(0, m.Weights[PairFeatures.SharedInterests]));
        Assert.All(directed, m => Assert.Equal(0, m.Weights[PairFeatures.TimeZoneDistance]));
        Assert.Equal(0, PairFeatures.Directions[PairFeatures.SeniorityGap]);
        Assert.Equal(-1.5, directed[^1].Weights[PairFeatures.SeniorityGap], 1);
    }
}
