namespace MentorFlow.Reporting.Matching;

/// <summary>
/// L1-regularised least squares (the lasso) of a target on the model inputs' main effects, by cyclic coordinate
/// descent on standardised columns with covariance updates: minimises ½·mean((y − ŷ)²) + λ·Σ cⱼ·|wⱼ|, with cⱼ =
/// <see cref="ShapePenalty"/> for a derived shape of a fact (<see cref="ModelInputs.Shapes"/>) and 1 otherwise. Where a few facts
/// decide whether a pair succeeds, the lasso sets the weights of the other inputs to exactly 0, so ~700 noisy
/// outcomes are spent on the facts that matter instead of being spread over sixty. Given directions
/// (<see cref="PairFeatures.Directions"/>), a weight stays on its input's side or at 0 (projected coordinate descent). The fit is returned as a
/// <see cref="RidgeModel"/> on the raw inputs (intercept + one weight per input), so scoring, exact contributions
/// and the saved file are those of the ridge models.
/// </summary>
internal static class LassoFit
{
    /// <summary>Penalties tried, as fractions of the smallest penalty that zeroes every weight (λmax).</summary>
    public static readonly IReadOnlyList<double> PathFractions = [.. Enumerable.Range(0, 25).Select(i => Math.Pow(0.8, i))];

    /// <summary>Sweeps over the coordinates per penalty, at most (each sweep is O(inputs²)); stops earlier once no weight moves by 1e-7.</summary>
    public const int MaxSweeps = 500;

    /// <summary>
    /// The penalty of a derived shape of a fact (<see cref="ModelInputs.Shapes"/>: hinges, bins, squares, shares) as a
    /// multiple of a basic fact's: where a basic form and its shape tell the same, the lasso keeps the basic form.
    /// </summary>
    public const double ShapePenalty = 1.5;

    /// <summary>
    /// Fits the whole path on the given rows (warm starts from the largest penalty down); returns one model per
    /// fraction of <paramref name="fractions"/> and the λmax of these rows (<paramref name="lambdaMax"/> overrides it, so
    /// that the folds and the final fit use the same penalties). Where <paramref name="directions"/> gives an input +1
    /// (or −1) its weight is never below (above) 0; inputs beyond its length, or at 0, are free.
    /// </summary>
    public static (RidgeModel[] Models, double LambdaMax) Fit(
        IReadOnlyList<float[]> inputs, IReadOnlyList<double> targets, IReadOnlyList<int> rows, IReadOnlyList<double> fractions, double? lambdaMax = null,
        IReadOnlyList<int>? directions = null)
    {
        var d = inputs.Count == 0 ? ModelInputs.Count : inputs[0].Length;
        var m = rows.Count;
        var mean = new double[d];
        var scale = new double[d];
        var yMean = m == 0 ? 0 : rows.Average(r => targets[r]);
        foreach (var r in rows)
        {
            for (var c = 0; c < d; c++)
            {
                mean[c] += inputs[r][c];
            }
        }

        for (var c = 0; c < d; c++)
        {
            mean[c] /= Math.Max(1, m);
        }

        foreach (var r in rows)
        {
            for (var c = 0; c < d; c++)
            {
                var v = inputs[r][c] - mean[c];
                scale[c] += v * v;
            }
        }

        for (var c = 0; c < d; c++)
        {
            var sd = Math.Sqrt(scale[c] / Math.Max(1, m));
            scale[c] = sd < 1e-9 ? 0 : 1 / sd;
        }

        // Covariances of the standardised columns with each other (gram) and with the centred target (c).
        var gram = new double[d * d];
        var c0 = new double[d];
        var z = new double[d];
        foreach (var r in rows)
        {
            for (var a = 0; a < d; a++)
            {
                z[a] = (inputs[r][a] - mean[a]) * scale[a];
            }

            var y = targets[r] - yMean;
            for (var a = 0; a < d; a++)
            {
                if (z[a] == 0)
                {
                    continue;
                }

                c0[a] += z[a] * y;
                for (var b = a; b < d; b++)
                {
                    gram[(a * d) + b] += z[a] * z[b];
                }
            }
        }

        for (var a = 0; a < d; a++)
        {
            c0[a] /= Math.Max(1, m);
            for (var b = a; b < d; b++)
            {
                gram[(a * d) + b] /= Math.Max(1, m);
                gram[(b * d) + a] = gram[(a * d) + b];
            }
        }

        var max = lambdaMax ?? Math.Max(1e-12, c0.Max(Math.Abs));
        var weight = Enumerable.Range(0, d).Select(j => ModelInputs.Shapes.Contains(j) ? ShapePenalty : 1.0).ToArray();
        var side = Enumerable.Range(0, d).Select(j => directions is not null && j < directions.Count ? directions[j] : 0).ToArray();
        var w = new double[d];
        var gradient = (double[])c0.Clone(); // c − G·w
        var models = new RidgeModel[fractions.Count];
        for (var l = 0; l < fractions.Count; l++)
        {
            var lambda = max * fractions[l];
            for (var sweep = 0; sweep < MaxSweeps; sweep++)
            {
                var moved = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var gjj = gram[(j * d) + j];
                    if (scale[j] == 0 || gjj <= 0)
                    {
                        continue;
                    }

                    var rho = gradient[j] + (gjj * w[j]);
                    var penalty = lambda * weight[j];
                    var next = Math.Abs(rho) <= penalty ? 0 : (rho - (Math.Sign(rho) * penalty)) / gjj;
                    if (next * side[j] < 0)
                    {
                        next = 0;
                    }
                    var delta = next - w[j];
                    if (delta == 0)
                    {
                        continue;
                    }

                    for (var k = 0; k < d; k++)
                    {
                        gradient[k] -= gram[(k * d) + j] * delta;
                    }

                    w[j] = next;
                    moved = Math.Max(moved, Math.Abs(delta));
                }

                if (moved < 1e-7)
                {
                    break;
                }
            }

            var weights = new double[d];
            var intercept = yMean;
            for (var c = 0; c < d; c++)
            {
                weights[c] = w[c] * scale[c];
                intercept -= weights[c] * mean[c];
            }

            models[l] = new RidgeModel(lambda, intercept, [.. Enumerable.Range(0, d)], [.. Enumerable.Repeat(-1, d)], weights);
        }

        return (models, max);
    }
}
