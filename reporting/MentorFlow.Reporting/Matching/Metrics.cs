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

    public double Apply(double rawProbability) => BinaryMetrics.Sigmoid((A * BinaryMetrics.Logit(rawProbability)) + B);

    public static PlattCalibration Fit(IReadOnlyList<double> rawProbabilities, IReadOnlyList<bool> labels)
    {
        double positives = labels.Count(l => l);
        var negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return Identity;
        }

        var high = (positives + 1) / (positives + 2);
        var low = 1 / (negatives + 2);
        var z = rawProbabilities.Select(BinaryMetrics.Logit).ToArray();
        var t = labels.Select(l => l ? high : low).ToArray();
        double a = 1, b = 0;
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
            a -= stepA;
            b -= stepB;
            if (Math.Abs(stepA) + Math.Abs(stepB) < 1e-9)
            {
                break;
            }
        }

        return double.IsFinite(a) && double.IsFinite(b) ? new PlattCalibration(a, b) : Identity;
    }
}
