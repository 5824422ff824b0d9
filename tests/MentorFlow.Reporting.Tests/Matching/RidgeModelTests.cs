using MentorFlow.Reporting.Matching;

namespace MentorFlow.Reporting.Tests.Matching;

public sealed class RidgeModelTests
{
    private static (List<float[]> X, double[] Y) Data(Func<float[], double> truth, int n = 400)
    {
        var random = new Random(3);
        var x = Enumerable.Range(0, n).Select(_ => new[] { (float)random.NextDouble(), (float)random.NextDouble(), random.Next(2) }).ToList();
        return (x, [.. x.Select(truth)]);
    }

    [Fact]
    public void Fit_WithAnInteractionTerm_RecoversAnEffectThatExistsOnlyWhenBothInputsAre()
    {
        var (x, y) = Data(v => 1 + (2 * v[0]) + (3 * v[1] * v[2]));
        IReadOnlyList<(int, int)> terms = [(0, -1), (1, -1), (2, -1), (1, 2)];

        var model = RidgeModel.Fit(x, y, [.. Enumerable.Range(0, x.Count)], terms, [1e-6])[0];

        Assert.Equal(6.0, model.Predict([1f, 1f, 1f]), 3);
        Assert.Equal(3.0, model.Predict([1f, 1f, 0f]), 3);
    }

    [Fact]
    public void Fit_LargerPenalty_ShrinksTheEffects()
    {
        var (x, y) = Data(v => 2 * v[0]);
        IReadOnlyList<(int, int)> terms = [(0, -1), (1, -1)];

        var models = RidgeModel.Fit(x, y, [.. Enumerable.Range(0, x.Count)], terms, [1e-6, 10]);

        Assert.Equal(2.0, models[0].Weights[0], 3);
        Assert.InRange(models[1].Weights[0], 0, 1.9);
    }

    [Fact]
    public void Fit_WithShapesNamed_PenalisesAShapeMoreThanTheSameFactInItsBasicForm()
    {
        // Two copies of one fact: the basic form (shared interests) and a shape of it (interest overlap).
        var random = new Random(5);
        var x = Enumerable.Range(0, 300).Select(_ => new float[PairFeatures.Count]).ToList();
        foreach (var v in x)
        {
            v[PairFeatures.SharedInterests] = v[PairFeatures.InterestOverlap] = (float)random.NextDouble();
        }

        double[] y = [.. x.Select(v => (2 * v[PairFeatures.SharedInterests]) + (0.1 * (random.NextDouble() - 0.5)))];
        IReadOnlyList<(int, int)> terms = [(PairFeatures.InterestOverlap, -1), (PairFeatures.SharedInterests, -1)];
        var rows = Enumerable.Range(0, x.Count).ToArray();

        var plain = RidgeModel.Fit(x, y, rows, terms, [1])[0];
        var shaped = RidgeModel.Fit(x, y, rows, terms, [1], ModelInputs.Shapes)[0];

        Assert.Equal(plain.Weights[0], plain.Weights[1], 9); // same penalty: the fact's weight split evenly
        Assert.Equal(RidgeModel.ShapePenalty / RidgeModel.MainEffectPenalty, shaped.Weights[1] / shaped.Weights[0], 6); // split inversely to the penalties
        Assert.Equal(plain.Weights.Sum(), shaped.Weights.Sum(), 1);
    }

    [Fact]
    public void Contributions_AreExactShapleyValuesThatSumToTheDifferenceFromTheBaseline()
    {
        var (x, y) = Data(v => v[0] - (2 * v[1]) + (4 * v[0] * v[2]) + (v[1] * v[1]));
        IReadOnlyList<(int, int)> terms = [(0, -1), (1, -1), (2, -1), (0, 2), (1, 1)];
        var model = RidgeModel.Fit(x, y, [.. Enumerable.Range(0, x.Count)], terms, [1e-6])[0];
        float[] pair = [0.9f, 0.2f, 1f];
        float[] baseline = [0.5f, 0.5f, 0.5f];

        var phi = model.Contributions(pair, baseline);

        Assert.Equal(model.Predict(pair) - model.Predict(baseline), phi.Sum(), 5);
        Assert.True(phi[0] > phi[1], "the interacting input explains more than the one that lowered the score");
    }

    [Fact]
    public void Combine_PredictsTheWeightedSumOfItsModels_AsOneModelWithEachTermOnce()
    {
        var (x, y) = Data(v => 1 + (2 * v[0]) + (3 * v[1] * v[2]));
        var all = Enumerable.Range(0, x.Count).ToArray();
        var main = RidgeModel.Fit(x, y, all, [(0, -1), (1, -1), (2, -1)], [1e-6])[0];
        var products = RidgeModel.Fit(x, y, all, [(0, -1), (1, -1), (2, -1), (1, 2)], [1e-6])[0];

        var combined = RidgeModel.Combine(0.25, [(0.5, main), (2.0, products)]);

        Assert.Equal(4, combined.Weights.Length); // the three shared main effects are merged
        foreach (var v in x.Take(20))
        {
            Assert.Equal(0.25 + (0.5 * main.Predict(v)) + (2.0 * products.Predict(v)), combined.Predict(v), 9);
        }

        float[] baseline = [0.5f, 0.5f, 0.5f];
        Assert.Equal(combined.Predict(x[0]) - combined.Predict(baseline), combined.Contributions(x[0], baseline).Sum(), 5); // contributions are computed from the float inputs
    }

    [Fact]
    public void Fit_OnMoreTermsThanAVectorHolds_SolvesThePenalisedNormalEquations()
    {
        // 40 terms (main effects and products) on 150 rows: at the solution the residuals' covariance with each term
        // equals the term's penalty × weight × variance (zero gradient of the penalised squared error).
        var random = new Random(11);
        var x = Enumerable.Range(0, 150).Select(_ => Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble()).ToArray()).ToList();
        var y = x.Select(v => v[0] - (2 * v[3] * v[5]) + (0.5 * v[7]) + random.NextDouble()).ToArray();
        IReadOnlyList<(int, int)> terms = [.. Enumerable.Range(0, 8).Select(i => (i, -1)),
            .. Enumerable.Range(0, 8).SelectMany(i => Enumerable.Range(i, 8 - i).Select(j => (i, j))).Take(32)];
        const double lambda = 0.3;

        var model = RidgeModel.Fit(x, y, [.. Enumerable.Range(0, x.Count)], terms, [lambda])[0];

        var residuals = x.Select((v, r) => y[r] - model.Predict(v)).ToArray();
        Assert.Equal(0, residuals.Average(), 9);
        for (var t = 0; t < terms.Count; t++)
        {
            var (i, j) = terms[t];
            var column = x.Select(v => (double)v[i] * (j < 0 ? 1 : v[j])).ToArray();
            var mean = column.Average();
            var variance = column.Average(c => (c - mean) * (c - mean));
            var penalty = (j < 0 ? RidgeModel.MainEffectPenalty : 1) * lambda * x.Count;
            var covariance = residuals.Select((e, r) => e * (column[r] - mean)).Sum();
            Assert.Equal(penalty * model.Weights[t] * variance, covariance, 6);
        }
    }
}
