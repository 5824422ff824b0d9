namespace MentorFlow.Reporting.Matching;

/// <summary>
/// The <see cref="TrainerKind.LassoGated"/> candidate: the lasso fitted on the compatible past pairs, gated by a hard
/// incompatibility (<see cref="PairFeatures.HardIncompatibility"/>: no common language, or both meet only live and
/// are 6+ hours apart; estimated where a field is empty). On the outcome scale an incompatibility scales down what
/// the other facts are worth — a pair without a common language gains little from a shared career path — where a
/// main effect would subtract the same from every pair.
/// </summary>
internal static class GatedLasso
{
    /// <summary>Hard-incompatible training pairs needed to fit the gate's rescaling (fewer: only its shift).</summary>
    public const int MinimumGatedPairs = 10;

    /// <summary>Cross-validates the gated lasso along the lasso's penalty path (the penalty by held-out squared error).</summary>
    public static CandidateRun Run(IReadOnlyList<float[]> inputs, double[] satisfaction, int[] all, int[][] train, int[][] test)
    {
        // f is fitted on the compatible pairs (likely compatible where a field is empty) — on every pair when
        // most are incompatible, so that f always rests on most of the history.
        int[] Compatible(int[] rows)
        {
            var compatible = rows.Where(i => inputs[i][PairFeatures.HardIncompatibility] < 0.5).ToArray();
            return compatible.Length * 2 < rows.Length ? rows : compatible;
        }

        var (_, lambdaMax) = LassoFit.Fit(inputs, satisfaction, Compatible(all), [1.0]);
        var fractions = LassoFit.PathFractions;
        RidgeModel[] Gated(int[] rows, IReadOnlyList<double> path)
        {
            var gated = rows.Where(i => inputs[i][PairFeatures.HardIncompatibility] >= 0.5).ToArray();
            var models = LassoFit.Fit(inputs, satisfaction, Compatible(rows), path, lambdaMax, PairFeatures.Directions).Models;
            return [.. models.Select(f => Gate(f, gated, inputs, satisfaction))];
        }

        var (best, oof, perFold) = MatchTrainer.PenaltyPath(inputs, satisfaction, test, f => Gated(train[f], fractions));
        return new CandidateRun(
            TrainerKind.LassoGated, oof, [.. perFold.Select(models => (Predictor)new RidgePredictor(models[best]))], lambdaMax * fractions[best],
            () => new RidgePredictor(Gated(all, [.. fractions.Take(best + 1)])[best]));
    }

    /// <summary>
    /// The gated model of <see cref="TrainerKind.LassoGated"/>: <paramref name="f"/> (fitted on the compatible pairs) for
    /// a compatible pair, a + b·f for a hard-incompatible one, with a and b the least squares of the incompatible
    /// training pairs' target on f and b held in [0, 1] (an incompatibility can shrink what the other facts are worth,
    /// never amplify or reverse it). Folded into one linear model with h = <see cref="PairFeatures.HardIncompatibility"/>:
    /// f + h·(a + (b − 1)·f), i.e. f's terms, h × each of them and h itself.
    /// </summary>
    internal static RidgeModel Gate(RidgeModel f, IReadOnlyList<int> gated, IReadOnlyList<float[]> inputs, IReadOnlyList<double> targets)
    {
        var h = PairFeatures.HardIncompatibility;
        var fx = gated.Select(i => f.Predict(inputs[i])).ToArray();
        var y = gated.Select(i => targets[i]).ToArray();
        double a = 0, b = 1;
        if (gated.Count >= MinimumGatedPairs)
        {
            var mf = fx.Average();
            var my = y.Average();
            var sff = fx.Sum(v => (v - mf) * (v - mf));
            var sfy = fx.Select((v, k) => (v - mf) * (y[k] - my)).Sum();
            b = sff < 1e-12 ? 1 : Math.Clamp(sfy / sff, 0, 1);
            a = my - (b * mf);
        }
        else if (gated.Count > 0)
        {
            // Too few to fit a slope: the mean shift only, shrunk towards none by MinimumGatedPairs pairs.
            a = y.Zip(fx, (t, v) => t - v).Sum() / (gated.Count + MinimumGatedPairs);
        }

        var first = new List<int>();
        var second = new List<int>();
        var weights = new List<double>();
        for (var t = 0; t < f.Weights.Length; t++)
        {
            if (f.Weights[t] == 0)
            {
                continue;
            }

            if (f.Second[t] >= 0)
            {
                throw new ArgumentException("the gate rescales a main-effect model (a product × h would be a third-order term)", nameof(f));
            }

            first.Add(f.First[t]);
            second.Add(-1);
            weights.Add(f.Weights[t]);
            if (b != 1)
            {
                first.Add(f.First[t]);
                second.Add(h);
                weights.Add((b - 1) * f.Weights[t]);
            }
        }

        first.Add(h);
        second.Add(-1);
        weights.Add(a + ((b - 1) * f.Intercept));
        return new RidgeModel(f.Lambda, f.Intercept, [.. first], [.. second], [.. weights]);
    }
}
