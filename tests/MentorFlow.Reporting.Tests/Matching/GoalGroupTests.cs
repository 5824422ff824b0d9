using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Matching;
using MentorFlow.Reporting.Tests.Data;

namespace MentorFlow.Reporting.Tests.Matching;

public sealed class GoalGroupTests
{
    private static readonly string[] Goals = [.. Enumerable.Range(0, 10).Select(g => $"goal-{g}")];

    /// <summary>
    /// Past pairs of mentees with one or two of <see cref="Goals"/> and random goal-dependent features; the outcome is
    /// <paramref name="truth"/>(goals, inputs) plus seeded noise. Returns the mentees' goals, the pair features, the
    /// outcomes and the inputs of a vocabulary (an entry is on when the mentee has any of its goals): new rows for each
    /// vocabulary, or with <paramref name="shared"/> one set of rows whose goal inputs each vocabulary rewrites.
    /// </summary>
    private static (Func<IReadOnlyList<string>, IReadOnlyList<float[]>> InputsOf, double[] Y, int[] Fold) World(
        Func<HashSet<string>, float[], double> truth, int n = 1200, double noise = 0.5, bool shared = false)
    {
        var random = new Random(21);
        var goals = new HashSet<string>[n];
        var features = new float[n][];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            goals[i] = [Goals[random.Next(Goals.Length)]];
            if (random.NextDouble() < 0.5)
            {
                goals[i].Add(Goals[random.Next(Goals.Length)]);
            }

            var x = new float[ModelInputs.Count];
            foreach (var feature in ModelInputs.GoalDependent)
            {
                x[feature] = random.NextDouble() < 0.5 ? 1 : 0;
            }

            features[i] = x;
            y[i] = truth(goals[i], x) + (noise * Normal(random));
        }

        IReadOnlyList<float[]> InputsOf(IReadOnlyList<string> vocabulary) =>
        [
            .. features.Select((x, i) =>
            {
                var v = shared ? x : (float[])x.Clone();
                Array.Clear(v, PairFeatures.Count, ModelInputs.GoalIndicators);
                for (var g = 0; g < vocabulary.Count; g++)
                {
                    v[PairFeatures.Count + g] = GoalGroups.Members(vocabulary[g]).Any(goals[i].Contains) ? 1 : 0;
                }

                return v;
            }),
        ];

        return (InputsOf, y, MatchTrainer.Folds(n, 5, 3));
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void Learn_WhenSeveralGoalsShareOneEffect_GivesThemOneIndicatorOnForAnyOfThem()
    {
        // Four goals each make a mentee value a senior mentor; two others make the same career path count; the rest do nothing.
        var (inputsOf, y, fold) = World((goals, x) =>
            goals.Overlaps(Goals[..4]) ? 1.5 * x[PairFeatures.SeniorityGap10To15]
            : goals.Overlaps(Goals[4..6]) ? 1.5 * x[PairFeatures.SameCareerPath]
            : 0);

        var vocabulary = GoalGroups.Learn(Goals, inputsOf, y, fold, 5);

        Assert.Contains(vocabulary, entry => GoalGroups.Members(entry).Order().SequenceEqual(Goals[..4]));
        Assert.Contains(vocabulary, entry => GoalGroups.Members(entry).Order().SequenceEqual(Goals[4..6]));
        Assert.Equal(Goals.Order(), vocabulary.SelectMany(GoalGroups.Members).Order()); // every goal exactly once
    }

    [Fact]
    public void Learn_OnOneSetOfRowsRewrittenForEachVocabulary_ChoosesTheVocabularyNewRowsGive()
    {
        // As in the first test, with a third group the noise must not hide; the search tries several groupings.
        static double Truth(HashSet<string> goals, float[] x) =>
            goals.Overlaps(Goals[..4]) ? 1.5 * x[PairFeatures.SeniorityGap10To15]
            : goals.Overlaps(Goals[4..6]) ? 1.5 * x[PairFeatures.SameCareerPath]
            : goals.Overlaps(Goals[6..8]) ? -1.0 * x[PairFeatures.InterestCoverage]
            : 0;
        var (fresh, y, fold) = World(Truth);
        var (rewritten, _, _) = World(Truth, shared: true);

        var expected = GoalGroups.Learn(Goals, fresh, y, fold, 5);
        var vocabulary = GoalGroups.Learn(Goals, rewritten, y, fold, 5);

        Assert.Contains(expected, entry => GoalGroups.Members(entry).Length > 1); // groups were learned, so the final refit ran
        Assert.Equal(expected, vocabulary);
    }

    [Fact]
    public void Learn_WhenEveryGoalHasItsOwnEffect_KeepsTheGoalsApart()
    {
        var dependent = ModelInputs.GoalDependent;
        var (inputsOf, y, fold) = World((goals, x) => goals.Sum(g => 2.0 * x[dependent[Array.IndexOf(Goals, g)]]), noise: 0.3);

        var vocabulary = GoalGroups.Learn(Goals, inputsOf, y, fold, 5);

        Assert.Equal(Goals, vocabulary);
    }

    [Fact]
    public void GoalIndicators_OfALearnedGroup_AreOnForAMenteeWithAnyOfItsGoals()
    {
        var mentee = TestData.Application("e", Role.Mentee, goals: ["management"]);
        var space = new ProfileSpace([mentee]);
        IReadOnlyList<string> vocabulary = [string.Join(GoalGroups.Separator, "leadership", "management"), "writing", "management"];

        var indicators = ModelInputs.GoalIndicatorsOf(space.Profile(mentee), vocabulary);

        Assert.Equal([1f, 0f, 1f], indicators[..3]);
        Assert.All(indicators[3..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void GoalTerms_OfTheGoalRidge_AreEveryInputButTheFineStepsAndEveryGoalDependentFeatureTimesAGoal_AndNoProductOfTwoPairFeatures()
    {
        var terms = ModelInputs.GoalTerms;
        var mains = Enumerable.Range(0, ModelInputs.Count).Except(ModelInputs.MainEffectsOnly).ToList();

        Assert.Equal(mains.Select(i => (i, -1)), terms.Where(t => t.Second < 0));
        Assert.All(terms.Where(t => t.Second >= 0), t =>
        {
            Assert.Contains(t.First, ModelInputs.GoalDependent);
            Assert.InRange(t.Second, PairFeatures.Count, ModelInputs.Count - 1);
        });
        Assert.Equal(mains.Count + (ModelInputs.GoalDependent.Count * ModelInputs.GoalIndicators), terms.Count);
    }

    [Fact]
    public void Terms_TheFineGapStepsAndTimeZoneHinges_AreMainEffectsOfTheMainEffectsCandidatesOnly()
    {
        var fine = ModelInputs.MainEffectsOnly.ToList();

        Assert.Equal(PairFeatures.SeniorityGapStepYears.Count + PairFeatures.TimeZoneHingeHours.Count, fine.Count);
        Assert.Equal(fine.Select(i => (i, -1)), ModelInputs.Terms(interactions: false).Where(t => fine.Contains(t.First)));
        Assert.DoesNotContain(ModelInputs.Terms(interactions: true), t => fine.Contains(t.First) || fine.Contains(t.Second));
        Assert.All(fine, i => Assert.Contains(i, ModelInputs.Shapes)); // penalised as shapes where they are read
    }

    [Fact]
    public void GroupTerms_OfAVocabularyWithALearnedGroup_AreTheInputsAndTheGoalDependentFeaturesTimesTheGroupOnly()
    {
        IReadOnlyList<string> vocabulary = ["c", "a;b;d", "e", "f;g"];

        var terms = ModelInputs.GroupTerms(vocabulary);

        var products = terms.Where(t => t.Second >= 0).ToList();
        Assert.Equal(ModelInputs.Count - ModelInputs.MainEffectsOnly.Count(), terms.Count(t => t.Second < 0));
        Assert.Equal(2 * ModelInputs.GoalDependent.Count, products.Count);
        Assert.Equal([PairFeatures.Count + 1, PairFeatures.Count + 3], products.Select(t => t.Second).Distinct().Order());
        Assert.Equal(ModelInputs.GoalTerms, ModelInputs.GroupTerms(["a", "b", "c"])); // no group: every goal keeps its terms
    }

    [Fact]
    public void KMeans_SeparatesTwoTightClustersFromAFarthestPointStart()
    {
        double[][] points = [[0, 0], [0.1, 0], [5, 5], [5.1, 4.9], [0, 0.1]];

        var cluster = GoalGroups.KMeans(points, 2);

        Assert.Equal(cluster[0], cluster[1]);
        Assert.Equal(cluster[0], cluster[4]);
        Assert.Equal(cluster[2], cluster[3]);
        Assert.NotEqual(cluster[0], cluster[2]);
    }
}
