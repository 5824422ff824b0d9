using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Matching;

namespace MentorFlow.Reporting.Synthesis;

/// <summary>One line of the quality table: an assignment method and the true success of its pairs.</summary>
public sealed record QualityRow(string Method, int Matched, double TotalTrueSuccess, double RatioToOracle)
{
    public double MeanTrueSuccess => Matched == 0 ? 0 : TotalTrueSuccess / Matched;
}

/// <summary>
/// One quality run: the rows, the model, and the model's and the oracle's assignments (for <see cref="MatchQuality.FactGaps"/>).
/// </summary>
public sealed record QualityReport(
    IReadOnlyList<QualityRow> Rows, MatchModel Model, int Mentors, int Mentees, int Outcomes, int CandidatesPerMentee,
    Assignment ModelAssignment, Assignment OracleAssignment)
{
    public QualityRow Row(string method) => Rows.Single(r => r.Method == method);
}

/// <summary>
/// A pair feature's mean over the oracle's pairs and over the model's pairs, and their difference in the feature's
/// standard deviation over both: where the model's assignment trades differently from the best one (e.g. it avoids
/// time-zone distance the truth does not mind).
/// </summary>
public sealed record FactGap(string Feature, double Oracle, double Model, double Standardised)
{
    public double Difference => Model - Oracle;
}

/// <summary>
/// Measures the assignment against the truth of synthetic data: total true success (the hidden rule's probability
/// summed over the assigned pairs) of the model's assignment, of the oracle (the optimal assignment on the true
/// probabilities), of the ceiling (the optimal assignment on what the two applications tell of each pair,
/// <see cref="SyntheticData.ObservableProbability"/>: no model reading the applications can expect more), of a naive
/// greedy matcher on shared interests and career path, of greedy on the model's scores and of a random assignment.
/// </summary>
public static class MatchQuality
{
    public const string Oracle = "oracle (true probabilities, optimal)";
    public const string Ceiling = "ceiling (what the applications tell, optimal)";
    public const string Model = "model + min-cost flow";
    public const string ModelGreedy = "model + greedy";
    public const string Greedy = "greedy on interests + career";
    public const string RandomMethod = "random";

    public static QualityReport Evaluate(
        SyntheticData data, int seed, ScoringOptions? scoring = null, double minScore = 0, MatchTrainingOptions? training = null)
    {
        var model = MatchModel.Train(data.History, data.Outcomes, training ?? new MatchTrainingOptions { Seed = seed });
        var scores = model.Score(data.Cohort, scoring);
        var truth = ScoredCohort.FromScores(scores.Mentors, scores.Mentees, (m, e) => data.TrueProbability(scores.Mentors[m], scores.Mentees[e]));
        var naive = NaiveScores(scores.Mentors, scores.Mentees);
        var options = new AssignmentOptions { MinScore = minScore };

        var oracleAssignment = Assigner.Assign(truth, new AssignmentOptions { MinScore = 0 });
        var modelAssignment = Assigner.Assign(scores, options);
        var oracle = True(truth, oracleAssignment);
        var observable = Observable(data, scores.Mentors, scores.Mentees, scoring?.MaxDegreeOfParallelism ?? Environment.ProcessorCount);
        var rows = new List<QualityRow>
        {
            Row(Oracle, oracle, oracle),
            Row(Ceiling, True(truth, Assigner.Assign(
                ScoredCohort.FromScores(scores.Mentors, scores.Mentees, (m, e) => observable[e][m]), new AssignmentOptions { MinScore = 0 })), oracle),
            Row(Model, True(truth, modelAssignment), oracle),
            Row(ModelGreedy, True(truth, Assigner.Greedy(scores, options)), oracle),
            Row(Greedy, True(truth, Assigner.Greedy(naive, new AssignmentOptions { MinScore = 0 })), oracle),
            Row(RandomMethod, True(truth, Assigner.Random(scores, seed)), oracle),
        };
        return new QualityReport(rows, model, scores.Mentors.Count, scores.Mentees.Count, data.Outcomes.Count, scores.CandidatesPerMentee, modelAssignment, oracleAssignment);
    }

    /// <summary>
    /// Every pair feature's mean over the oracle's pairs and over the model's (the features as the model reads them,
    /// empty fields filled in from the cohort), the largest differences first, measured in the feature's standard
    /// deviation over both sets of pairs (so a square and a share compare): what the model's assignment gets more or
    /// less of than the best one.
    /// </summary>
    public static IReadOnlyList<FactGap> FactGaps(QualityReport report)
    {
        var cohort = report.ModelAssignment.Cohort;
        var space = new ProfileSpace([.. cohort.Mentors, .. cohort.Mentees]);
        float[][] Rows(Assignment assignment) =>
            [.. assignment.Pairs.Select(p => report.Model.Input(space.Profile(cohort.Mentors[p.Mentor]), space.Profile(cohort.Mentees[p.Mentee])))];

        var oracle = Rows(report.OracleAssignment);
        var model = Rows(report.ModelAssignment);
        var both = oracle.Concat(model).ToArray();
        static double Mean(float[][] rows, int f) => rows.Length == 0 ? 0 : rows.Average(x => (double)x[f]);
        return [.. Enumerable.Range(0, PairFeatures.Count)
            .Select(f =>
            {
                var mean = Mean(both, f);
                var sd = both.Length == 0 ? 0 : Math.Sqrt(both.Average(x => (x[f] - mean) * (x[f] - mean)));
                var (o, m) = (Mean(oracle, f), Mean(model, f));
                return new FactGap(PairFeatures.Names[f], o, m, sd > 1e-12 ? (m - o) / sd : 0);
            })
            .OrderByDescending(g => Math.Abs(g.Standardised)).ThenBy(g => g.Feature, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The naive matcher's score: share of the mentee's interests the mentor shares + 1 for the same career path
    /// (0.5 for the same career family) — what a hand-run programme matches on.
    /// </summary>
    public static ScoredCohort NaiveScores(IReadOnlyList<Application> mentors, IReadOnlyList<Application> mentees) =>
        ScoredCohort.FromScores(mentors, mentees, (m, e) =>
        {
            var mentor = mentors[m];
            var mentee = mentees[e];
            var interests = mentee.Interests.Count == 0 ? 0 : mentee.Interests.Count(mentor.Interests.Contains) / (double)mentee.Interests.Count;
            var career = mentor.CareerPath == mentee.CareerPath ? 1
                : CareerFamilies.Of(mentor.CareerPath) == CareerFamilies.Of(mentee.CareerPath) ? 0.5 : 0;
            return interests + career;
        });

    /// <summary>What the applications tell of every pair (per mentee, per mentor), computed in parallel: on the noisy world's 250 × 1,000 cohort it averages ≈ 8 million truth evaluations.</summary>
    private static double[][] Observable(SyntheticData data, IReadOnlyList<Application> mentors, IReadOnlyList<Application> mentees, int parallelism)
    {
        var rows = new double[mentees.Count][];
        Parallel.For(0, mentees.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, e =>
        {
            var row = new double[mentors.Count];
            for (var m = 0; m < mentors.Count; m++)
            {
                row[m] = data.ObservableProbability(mentors[m], mentees[e]);
            }

            rows[e] = row;
        });
        return rows;
    }

    private static (int Matched, double Total) True(ScoredCohort truth, Assignment assignment) =>
        (assignment.Pairs.Count, assignment.Pairs.Sum(p => truth.Score(p.Mentor, p.Mentee)));

    private static QualityRow Row(string method, (int Matched, double Total) result, (int Matched, double Total) oracle) =>
        new(method, result.Matched, result.Total, oracle.Total == 0 ? 0 : result.Total / oracle.Total);
}
