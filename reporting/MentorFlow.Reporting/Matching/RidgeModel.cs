using System.Buffers;
using System.Numerics.Tensors;

namespace MentorFlow.Reporting.Matching;

/// <summary>
/// Ridge regression (L2-regularised least squares) on terms of the model inputs: each term is an input
/// (<see cref="Second"/> −1) or the product of two inputs (<see cref="ModelInputs.Terms"/>). Each term column is
/// standardised on the training rows, the intercept is not penalised, main effects are penalised
/// <see cref="MainEffectPenalty"/> times less than products (interactions must earn their place), and the penalty is
/// λ × rows so that λ means the same for any history size. Stored on the raw inputs as f(x) = c + Σ wₜ·x_{iₜ}·x_{jₜ},
/// which also gives exact Shapley contributions per input.
/// </summary>
public sealed record RidgeModel(double Lambda, double Intercept, int[] First, int[] Second, double[] Weights)
{
    /// <summary>Penalties tried in cross-validation (on standardised columns, per training row).</summary>
    public static readonly IReadOnlyList<double> Lambdas = [0.03, 0.1, 0.3, 1, 3, 10, 30];

    /// <summary>Main effects get this fraction of the interaction penalty.</summary>
    public static double MainEffectPenalty { get; set; } = 0.1;

    /// <summary>
    /// A derived shape's main effect, where the caller names the shapes: three times a basic fact's, a third of a
    /// product's. A fact's basic form is the likelier one, and its shapes must earn their place.
    /// </summary>
    public const double ShapePenalty = 0.3;

    public double Predict(ReadOnlySpan<float> x)
    {
        var s = Intercept;
        var first = First;
        var second = Second;
        var weights = Weights;
        for (var t = 0; t < weights.Length; t++)
        {
            var j = second[t];
            s += weights[t] * x[first[t]] * (j < 0 ? 1f : x[j]);
        }

        return s;
    }

    /// <summary>Exact Shapley values of each input relative to <paramref name="baseline"/> (they sum to f(x) − f(baseline)).</summary>
    public double[] Contributions(ReadOnlySpan<float> x, ReadOnlySpan<float> baseline)
    {
        var phi = new double[x.Length];
        for (var t = 0; t < Weights.Length; t++)
        {
            int i = First[t], j = Second[t];
            var w = Weights[t];
            if (j < 0)
            {
                phi[i] += w * (x[i] - baseline[i]);
            }
            else if (i == j)
            {
                phi[i] += w * ((x[i] * x[i]) - (baseline[i] * baseline[i]));
            }
            else
            {
                phi[i] += 0.5 * w * (x[i] - baseline[i]) * (x[j] + baseline[j]);
                phi[j] += 0.5 * w * (x[j] - baseline[j]) * (x[i] + baseline[i]);
            }
        }

        return phi;
    }

    /// <summary>
    /// The linear combination c + Σ wₘ·fₘ(x) of models as one model (terms merged; still exact Shapley contributions).
    /// </summary>
    public static RidgeModel Combine(double intercept, IReadOnlyList<(double Weight, RidgeModel Model)> members)
    {
        var terms = new Dictionary<(int, int), double>();
        var order = new List<(int, int)>();
        var c = intercept;
        foreach (var (weight, model) in members)
        {
            c += weight * model.Intercept;
            for (var t = 0; t < model.Weights.Length; t++)
            {
                var key = (model.First[t], model.Second[t]);
                if (!terms.TryGetValue(key, out var w))
                {
                    order.Add(key);
                }

                terms[key] = w + (weight * model.Weights[t]);
            }
        }

        var kept = order.Where(k => terms[k] != 0).ToArray();
        return new RidgeModel(members.Count == 0 ? 0 : members[0].Model.Lambda, c, [.. kept.Select(k => k.Item1)], [.. kept.Select(k => k.Item2)], [.. kept.Select(k => terms[k])]);
    }

    /// <summary>
    /// Fits one model per penalty in <paramref name="lambdas"/> on the given rows (one Gram matrix, one solve each). The
    /// main effects of the inputs in <paramref name="shapes"/> (derived shapes of a fact, <see cref="ModelInputs.Shapes"/>)
    /// are penalised <see cref="ShapePenalty"/> instead of <see cref="MainEffectPenalty"/>. The rows are streamed
    /// (<see cref="TermGram"/>): memory is terms², not rows × terms.
    /// </summary>
    public static RidgeModel[] Fit(
        IReadOnlyList<float[]> inputs, IReadOnlyList<double> targets, IReadOnlyList<int> rows, IReadOnlyList<(int First, int Second)> terms,
        IReadOnlyList<double> lambdas, IReadOnlySet<int>? shapes = null)
    {
        var d = terms.Count;
        var m = rows.Count;
        var (mean, scale, xty, yMean) = TermGram.Moments(inputs, targets, rows, terms);

        // Products of the terms centred on these rows' means (the sums are 0 but for rounding, and centre it away).
        var gram = ArrayPool<double>.Shared.Rent(d * d);
        try
        {
            Array.Clear(gram, 0, d * d);
            var sums = new double[d];
            TermGram.AddProducts(inputs, rows, terms, mean, gram, sums);
            for (var a = 0; a < d; a++)
            {
                for (var b = a; b < d; b++)
                {
                    gram[(a * d) + b] = m == 0 ? 0 : (gram[(a * d) + b] - (sums[a] * sums[b] / m)) * scale[a] * scale[b];
                }
            }

            return Path(gram, xty, mean, scale, yMean, m, terms, lambdas, shapes);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(gram);
        }
    }

    /// <summary>
    /// <see cref="Fit(IReadOnlyList{float[]}, IReadOnlyList{double}, IReadOnlyList{int}, IReadOnlyList{ValueTuple{int, int}}, IReadOnlyList{double}, IReadOnlySet{int})"/>
    /// on the rows outside fold <paramref name="heldOut"/> of <paramref name="grams"/> (−1: every row), the Gram matrix
    /// from its per-fold sums instead of another pass over the rows; <paramref name="terms"/> are some of its terms.
    /// </summary>
    internal static RidgeModel[] Fit(
        FoldGrams grams, int heldOut, IReadOnlyList<double> targets, IReadOnlyList<(int First, int Second)> terms, IReadOnlyList<double> lambdas,
        IReadOnlySet<int>? shapes = null)
    {
        var rows = grams.TrainingRows(heldOut);
        var (mean, scale, xty, yMean) = TermGram.Moments(grams.Inputs, targets, rows, terms);
        var gram = ArrayPool<double>.Shared.Rent(terms.Count * terms.Count);
        try
        {
            grams.Standardised(heldOut, terms, scale, gram);
            return Path(gram, xty, mean, scale, yMean, rows.Length, terms, lambdas, shapes);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(gram);
        }
    }

    /// <summary>
    /// One model per penalty from the Gram matrix and target products of the standardised terms (d × d, row-major, upper
    /// triangle read). The d × d matrices of a fit (the Gram matrix, the Cholesky factor) are pooled: on a large history
    /// the ridges of one training solve hundreds of them, ~2.6 MB each.
    /// </summary>
    private static RidgeModel[] Path(
        double[] gram, double[] xty, double[] mean, double[] scale, double yMean, int m, IReadOnlyList<(int First, int Second)> terms,
        IReadOnlyList<double> lambdas, IReadOnlySet<int>? shapes)
    {
        var d = terms.Count;
        var factor = terms.Select(t => t.Second >= 0 ? 1.0 : shapes?.Contains(t.First) == true ? ShapePenalty : MainEffectPenalty).ToArray();
        var result = new RidgeModel[lambdas.Count];
        var factorised = ArrayPool<double>.Shared.Rent(d * d);
        try
        {
            for (var l = 0; l < lambdas.Count; l++)
            {
                result[l] = Model(Solve(gram, xty, d, [.. factor.Select(f => f * lambdas[l] * m)], factorised), lambdas[l], mean, scale, yMean, terms);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(factorised);
        }

        return result;
    }

    /// <summary>The model on the raw inputs of the weights <paramref name="w"/> of the standardised terms.</summary>
    private static RidgeModel Model(double[] w, double lambda, double[] mean, double[] scale, double yMean, IReadOnlyList<(int First, int Second)> terms)
    {
        var d = terms.Count;
        var intercept = yMean;
        var weights = new double[d];
        for (var c = 0; c < d; c++)
        {
            weights[c] = w[c] * scale[c];
            intercept -= weights[c] * mean[c];
        }

        return new RidgeModel(lambda, intercept, [.. terms.Select(t => t.First)], [.. terms.Select(t => t.Second)], weights);
    }

    /// <summary>
    /// Solves (G + penalty·I) w = b by Cholesky (G symmetric, upper triangle filled); the factor is written to
    /// <paramref name="l"/> (d × d or longer, any contents: each entry is written before it is read).
    /// </summary>
    private static double[] Solve(double[] gram, double[] b, int d, double[] penalty, double[] l)
    {
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = gram[(j * d) + i] + (i == j ? penalty[i] + 1e-9 : 0) - TensorPrimitives.Dot<double>(l.AsSpan(i * d, j), l.AsSpan(j * d, j));

                l[(i * d) + j] = i == j ? Math.Sqrt(Math.Max(sum, 1e-12)) : sum / l[(j * d) + j];
            }
        }

        var y = new double[d];
        for (var i = 0; i < d; i++)
        {
            y[i] = (b[i] - TensorPrimitives.Dot<double>(l.AsSpan(i * d, i), y.AsSpan(0, i))) / l[(i * d) + i];
        }

        var x = new double[d];
        for (var i = d - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var k = i + 1; k < d; k++)
            {
                sum -= l[(k * d) + i] * x[k];
            }

            x[i] = sum / l[(i * d) + i];
        }

        return x;
    }
}
