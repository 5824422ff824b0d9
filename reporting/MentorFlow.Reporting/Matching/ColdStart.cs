namespace MentorFlow.Reporting.Matching;

/// <summary>
/// The documented similarity used when there is no or too little history to learn from (cold start), and as the
/// cheap pre-filter that prunes candidates before the learned model scores them. It is a weighted sum of pair
/// features in [0, 1]; it ranks pairs but is not a calibrated probability.
/// </summary>
public static class ColdStart
{
    /// <summary>(feature, weight) — the weights sum to 1; a mentor less senior than the mentee costs 0.1.</summary>
    public static readonly IReadOnlyList<(int Feature, double Weight)> Weights =
    [
        (PairFeatures.InterestCoverage, 0.20),
        (PairFeatures.InterestOverlap, 0.10),
        (PairFeatures.GoalCoverage, 0.25),
        (PairFeatures.SameCareerPath, 0.10),
        (PairFeatures.SwitchTarget, 0.10),
        (PairFeatures.SameCareerFamily, 0.05),
        (PairFeatures.ExpertiseMatch, 0.05),
        (PairFeatures.SharedLanguage, 0.05),
        (PairFeatures.TimeZoneDistance, 0.04),
        (PairFeatures.LengthDistance, 0.03),
        (PairFeatures.CommunicationOverlap, 0.01),
        (PairFeatures.StatementSimilarity, 0.02),
    ];

    public const double LessSeniorPenalty = 0.1;

    /// <summary>The contribution of one feature to the similarity (distances count as 1 − distance).</summary>
    public static double Term(int feature, double weight, ReadOnlySpan<float> f) =>
        feature is PairFeatures.TimeZoneDistance or PairFeatures.LengthDistance
            ? weight * (1 - f[feature])
            : weight * f[feature];

    /// <summary>Each feature's weighted term (indexed like the input; the less-senior penalty counts negatively).</summary>
    public static double[] Terms(ReadOnlySpan<float> f)
    {
        var terms = new double[f.Length];
        foreach (var (feature, weight) in Weights)
        {
            terms[feature] = Term(feature, weight, f);
        }

        terms[PairFeatures.MentorLessSenior] = -LessSeniorPenalty * f[PairFeatures.MentorLessSenior];
        return terms;
    }

    public static double Similarity(ReadOnlySpan<float> f)
    {
        var s = 0.0;
        foreach (var (feature, weight) in Weights)
        {
            s += Term(feature, weight, f);
        }

        s -= LessSeniorPenalty * f[PairFeatures.MentorLessSenior];
        return Math.Clamp(s, 0, 1);
    }

    /// <summary>The similarity without the statement term, from the features the pre-filter computes.</summary>
    internal static double Prefilter(ReadOnlySpan<float> f) =>
        Similarity(f) - Term(PairFeatures.StatementSimilarity, 0.02, f);
}
