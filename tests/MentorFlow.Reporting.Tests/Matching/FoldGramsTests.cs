using MentorFlow.Reporting.Matching;

namespace MentorFlow.Reporting.Tests.Matching;

public sealed class FoldGramsTests
{
    private const int Folds = 5;

    /// <summary>
    /// 333 rows (not a whole number of blocks) of six inputs: uniform, binary, one far from 0 with a small spread (where
    /// sums of raw products would cancel), one non-zero only in fold 0 (constant on the other folds' rows).
    /// </summary>
    private static (List<float[]> X, double[] Y, int[] Fold) Data()
    {
        var random = new Random(17);
        var fold = MatchTrainer.Folds(333, Folds, 4);
        var x = fold.Select(f => new[]
        {
            (float)random.NextDouble(), random.Next(2), (float)(100 + random.NextDouble()), f == 0 ? (float)random.NextDouble() : 0f,
            (float)random.NextDouble(), random.Next(3),
        }).ToList();
        double[] y = [.. x.Select(v => v[0] - (2 * v[1] * v[4]) + (0.3 * v[2]) + v[3] + random.NextDouble())];
        return (x, y, fold);
    }

    /// <summary>Thirteen terms (an odd count, so the last pair of columns is half empty): every main effect and seven products.</summary>
    private static readonly IReadOnlyList<(int First, int Second)> Terms =
        [(0, -1), (1, -1), (2, -1), (3, -1), (4, -1), (5, -1), (0, 1), (1, 4), (2, 2), (2, 4), (3, 4), (0, 0), (4, 5)];

    private static double[] Column(List<float[]> x, IReadOnlyList<int> rows, (int First, int Second) term) =>
        [.. rows.Select(r => (double)x[r][term.First] * (term.Second < 0 ? 1 : x[r][term.Second]))];

    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    [Fact]
    public void AddProducts_StreamedInBlocks_EqualsTheSumsOfShiftedProductsOverEveryRow()
    {
        var (x, _, _) = Data();
        int[] rows = [.. Enumerable.Range(0, x.Count).Where(r => r % 7 != 3)];
        var d = Terms.Count;
        double[] shift = [.. Enumerable.Range(0, d).Select(t => 0.1 * t)];
        var cross = new double[d * d];
        var sums = new double[d];

        TermGram.AddProducts(x, rows, Terms, shift, cross, sums);

        var columns = Terms.Select((t, i) => Column(x, rows, t).Select(v => v - shift[i]).ToArray()).ToArray();
        for (var a = 0; a < d; a++)
        {
            Close(columns[a].Sum(), sums[a]);
            for (var b = a; b < d; b++)
            {
                Close(columns[a].Zip(columns[b], (p, q) => p * q).Sum(), cross[(a * d) + b]);
            }
        }
    }

    [Fact]
    public void Standardised_OutsideEachFold_EqualsTheGramMatrixOfTheTermsStandardisedOnThoseRows()
    {
        var (x, y, fold) = Data();
        var grams = FoldGrams.Build(x, Terms, fold, Folds);
        // Some of the terms, in another order: a ridge on a subset reads its rows and columns.
        IReadOnlyList<(int First, int Second)> subset = [Terms[9], Terms[2], Terms[0], Terms[3], Terms[12], Terms[7]];

        for (var heldOut = -1; heldOut < Folds; heldOut++)
        {
            var rows = grams.TrainingRows(heldOut);
            Assert.Equal(Enumerable.Range(0, x.Count).Where(r => fold[r] != heldOut), rows);
            var (_, scale, _, _) = TermGram.Moments(x, y, rows, subset);

            var gram = grams.Standardised(heldOut, subset, scale);

            var standardised = subset.Select((t, i) =>
            {
                var column = Column(x, rows, t);
                var mean = column.Average();
                return column.Select(v => (v - mean) * scale[i]).ToArray();
            }).ToArray();
            for (var a = 0; a < subset.Count; a++)
            {
                for (var b = a; b < subset.Count; b++)
                {
                    Close(standardised[a].Zip(standardised[b], (p, q) => p * q).Sum(), gram[(a * subset.Count) + b]);
                }
            }
        }
    }

    [Fact]
    public void Fit_FromFoldGrams_EqualsTheFitThatStreamsTheSameRows()
    {
        var (x, y, fold) = Data();
        var grams = FoldGrams.Build(x, Terms, fold, Folds);
        double[] lambdas = [0.01, 1];

        for (var heldOut = -1; heldOut < Folds; heldOut++)
        {
            var fromFolds = RidgeModel.Fit(grams, heldOut, y, Terms, lambdas, ModelInputs.Shapes);
            var direct = RidgeModel.Fit(x, y, grams.TrainingRows(heldOut), Terms, lambdas, ModelInputs.Shapes);

            for (var l = 0; l < lambdas.Length; l++)
            {
                Close(direct[l].Intercept, fromFolds[l].Intercept);
                for (var t = 0; t < Terms.Count; t++)
                {
                    Close(direct[l].Weights[t], fromFolds[l].Weights[t]);
                }
            }

            // Input 3 is 0 outside fold 0: without fold 0 its terms are constant and get no weight in either fit.
            if (heldOut == 0)
            {
                Assert.Equal(0, direct[0].Weights[3]);
                Assert.Equal(0, fromFolds[0].Weights[3]);
            }
        }
    }

    [Fact]
    public void Fit_WhenItsPooledMatricesHeldAnotherFitsValues_GivesTheSameModelsToTheLastBit()
    {
        // The Gram and Cholesky matrices are pooled: a fit after others of more and fewer terms reads whatever they left.
        var (x, y, fold) = Data();
        var grams = FoldGrams.Build(x, Terms, fold, Folds);
        var rows = grams.TrainingRows(2);
        IReadOnlyList<(int First, int Second)> fewer = [Terms[1], Terms[4], Terms[8]];
        double[] lambdas = [0.01, 1];
        var streamed = RidgeModel.Fit(x, y, rows, Terms, lambdas);
        var fromFolds = RidgeModel.Fit(grams, 2, y, Terms, lambdas);

        _ = RidgeModel.Fit(x, y, rows, [.. Terms, .. Terms.Take(5).Select(t => (t.First, 5))], lambdas);
        _ = RidgeModel.Fit(grams, -1, y, fewer, lambdas);
        var streamedAgain = RidgeModel.Fit(x, y, rows, Terms, lambdas);
        _ = RidgeModel.Fit(x, y, rows, fewer, lambdas);
        var fromFoldsAgain = RidgeModel.Fit(grams, 2, y, Terms, lambdas);

        for (var l = 0; l < lambdas.Length; l++)
        {
            Assert.Equal(streamed[l].Intercept, streamedAgain[l].Intercept);
            Assert.Equal(streamed[l].Weights, streamedAgain[l].Weights);
            Assert.Equal(fromFolds[l].Intercept, fromFoldsAgain[l].Intercept);
            Assert.Equal(fromFolds[l].Weights, fromFoldsAgain[l].Weights);
        }
    }

    [Fact]
    public void Standardised_IntoAMatrixHoldingOtherValues_WritesTheSameUpperTriangle()
    {
        var (x, y, fold) = Data();
        var grams = FoldGrams.Build(x, Terms, fold, Folds);
        var (_, scale, _, _) = TermGram.Moments(x, y, grams.TrainingRows(1), Terms);
        var d = Terms.Count;
        var dirty = Enumerable.Repeat(double.NaN, (d * d) + 7).ToArray();

        grams.Standardised(1, Terms, scale, dirty);

        var expected = grams.Standardised(1, Terms, scale);
        for (var a = 0; a < d; a++)
        {
            for (var b = a; b < d; b++)
            {
                Assert.Equal(expected[(a * d) + b], dirty[(a * d) + b]);
            }
        }
    }
}
