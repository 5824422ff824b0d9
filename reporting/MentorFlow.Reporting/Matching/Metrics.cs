namespace MentorFlow.Reporting.Matching;

/// <summary>Evaluation measures for binary predictions, and Platt scaling.</summary>
public static class BinaryMetrics
{
    /// <summary>Area under the ROC curve (Mann–Whitney, ties averaged). NaN when only one class is present.</summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positives = labels.Count(l => l);
        var negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        double rankSum = 0;
        var k = 0;
        while (k < order.Length)
        {
            var end = k;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[k]])
            {
                end++;
            }

            var averageRank = ((k + 1) + (end + 1)) / 2.0;
            for (var m = k; m <= end; m++)
            {
                if (labels[order[m]])
                {
                    rankSum += averageRank;
                }
            }

            k = end + 1;
        }

        return (rankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }

    /// <summary>Mean negative log-likelihood (natural log) of the labels under the probabilities.</summary>
    public static double LogLoss(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels)
    {
        double sum = 0;
        for (var i = 0; i < probabilities.Count; i++)
        {
            var p = Math.Clamp(probabilities[i], 1e-6, 1 - 1e-6);
            sum -= labels[i] ? Math.Log(p) : Math.Log(1 - p);
        }

        return probabilities.Count == 0 ? double.NaN : sum / probabilities.Count;
    }

    public static double Logit(double p)
    {
        p = Math.Clamp(p, 1e-6, 1 - 1e-6);
        return Math.Log(p / (1 - p));
    }

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}

/// <summary>
/// Platt scaling: P(success) = σ(A·z + B) for a raw score z (here the logit of the model's output), fitted by Newton's
/// method on held-out scores with Platt's smoothed targets.
/// </summary>
public sealed record PlattCalibration(double A, double B)
{
    public static readonly PlattCalibration Identity = new(1, 0);

    public double Apply(double rawProbability) => ApplyScore(BinaryMetrics.Logit(rawProbability));

    /// <summary>P(success) = σ(A·score + B) for a raw score on a real scale.</summary>
    public double ApplyScore(double score) => BinaryMetrics.Sigmoid((A * score) + B);

    public static PlattCalibration Fit(IReadOnlyList<double> rawProbabilities, IReadOnlyList<bool> labels) =>
        FitScores([.. rawProbabilities.Select(BinaryMetrics.Logit)], labels);

    /// <summary>Fits σ(A·score + B) to the labels (raw scores on a real scale, e.g. predicted satisfaction).</summary>
    public static PlattCalibration FitScores(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        double positives = labels.Count(l => l);
        var negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return Identity;
        }

        var high = (positives + 1) / (positives + 2);
        var low = 1 / (negatives + 2);
        // Newton's method on standardised scores (starting at a = 1, b = logit of the base rate), then back to the
        // raw scale; each step is halved until the log-likelihood does not get worse, so it cannot diverge.
        var mean = scores.Average();
        var sd = Math.Sqrt(scores.Sum(x => (x - mean) * (x - mean)) / scores.Count);
        if (!double.IsFinite(sd) || sd < 1e-12)
        {
            return new PlattCalibration(0, BinaryMetrics.Logit(positives / labels.Count));
        }

        var z = scores.Select(x => (x - mean) / sd).ToArray();
        var t = labels.Select(l => l ? high : low).ToArray();
        double a = 1, b = BinaryMetrics.Logit(positives / labels.Count);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double gA = 0, gB = 0, hAA = 1e-9, hAB = 0, hBB = 1e-9;
            for (var i = 0; i < z.Length; i++)
            {
                var p = BinaryMetrics.Sigmoid((a * z[i]) + b);
                var d = p - t[i];
                var w = p * (1 - p);
                gA += d * z[i];
                gB += d;
                hAA += w * z[i] * z[i];
                hAB += w * z[i];
                hBB += w;
            }

            var det = (hAA * hBB) - (hAB * hAB);
            if (Math.Abs(det) < 1e-12)
            {
                break;
            }

            var stepA = ((hBB * gA) - (hAB * gB)) / det;
            var stepB = ((hAA * gB) - (hAB * gA)) / det;
            var before = Loss(z, t, a, b);
            var scale = 1.0;
            while (scale > 1e-4 && Loss(z, t, a - (scale * stepA), b - (scale * stepB)) > before + 1e-12)
            {
                scale /= 2;
            }

            a -= scale * stepA;
            b -= scale * stepB;
            if (scale * (Math.Abs(stepA) + Math.Abs(stepB)) < 1e-9)
            {
                break;
            }
        }

        var rawA = a / sd;
        var rawB = b - (a * mean / sd);
        return double.IsFinite(rawA) && double.IsFinite(rawB) ? new PlattCalibration(rawA, rawB) : Identity;
    }

    private static double Loss(double[] z, double[] t, double a, double b)
    {
        double loss = 0;
        for (var i = 0; i < z.Length; i++)
        {
            var p = Math.Clamp(BinaryMetrics.Sigmoid((a * z[i]) + b), 1e-12, 1 - 1e-12);
            loss -= (t[i] * Math.Log(p)) + ((1 - t[i]) * Math.Log(1 - p));
        }

        return loss;
    }
}

/// <summary>Quantiles of Student's t distribution.</summary>
internal static class StudentT
{
    private static readonly double[] Quantiles95 = [6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812];

    /// <summary>The one-sided 95% quantile for 1–10 degrees of freedom (more use the tenth's, slightly stricter).</summary>
    public static double OneSided95(int degreesOfFreedom) => Quantiles95[Math.Clamp(degreesOfFreedom, 1, Quantiles95.Length) - 1];
}
