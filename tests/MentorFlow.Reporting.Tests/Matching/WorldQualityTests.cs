using MentorFlow.Reporting.Matching;
using MentorFlow.Reporting.Metrics;
using MentorFlow.Reporting.Synthesis;

namespace MentorFlow.Reporting.Tests.Matching;

/// <summary>Model + assignment against the known truth of small synthetic worlds (seconds each).</summary>
public sealed class WorldQualityTests
{
    private static SyntheticData World(SyntheticWorld world, int historyMentors = 150, int historyMentees = 400) =>
        SyntheticData.Generate(new SynthOptions { Mentors = 60, Mentees = 240, HistoryMentors = historyMentors, HistoryMentees = historyMentees, Seed = 5, World = world });

    [Theory]
    [InlineData(SyntheticWorld.Additive)]
    [InlineData(SyntheticWorld.Interactions)]
    [InlineData(SyntheticWorld.Thresholds)]
    public void Quality_OnWorld_ModelAndAssignmentBeatNaiveGreedyByATenthOfTheOracle(SyntheticWorld world)
    {
        var report = MatchQuality.Evaluate(World(world), seed: 42);

        var model = report.Row(MatchQuality.Model).RatioToOracle;
        var greedy = report.Row(MatchQuality.Greedy).RatioToOracle;
        Assert.True(model >= greedy + 0.10, $"{world}: model {model:0.000}, greedy on interests + career {greedy:0.000}");
        Assert.True(model > report.Row(MatchQuality.RandomMethod).RatioToOracle + 0.2);
    }

    [Fact]
    public void Worlds_RunSideBySide_GiveOneRowPerWorldInTheGivenOrder_WithEachWorldsOwnFigures()
    {
        SyntheticWorld[] worlds = [SyntheticWorld.Thresholds, SyntheticWorld.Classic];

        var rows = MatchQualityFigures.Worlds(worlds, worldSeed: 5, modelSeed: 42, mentors: 30, mentees: 120, historyMentors: 80, historyMentees: 200);

        Assert.Equal(worlds, rows.Select(r => r.World));
        foreach (var row in rows)
        {
            var alone = MatchQuality.Evaluate(
                SyntheticData.Generate(new SynthOptions { Mentors = 30, Mentees = 120, HistoryMentors = 80, HistoryMentees = 200, Seed = 5, World = row.World }),
                seed: 42);
            Assert.Equal(alone.Row(MatchQuality.Model).RatioToOracle, row.Model);
            Assert.Equal(alone.Row(MatchQuality.Greedy).RatioToOracle, row.Greedy);
        }
    }

    [Fact]
    public void GoalGroups_OnInteractionsWorld_FindTheFourGoalsThatMakeALeadershipSeeker_FromTheOutcomesAlone_InTwoOfThreeHistories()
    {
        // The world's truth gives a seniority gap its value for a mentee with any of these goals; nothing tells the model so.
        string[] leadership = ["leadership", "management", "promotion", "strategy"];
        var learned = new[] { 7, 8, 9 }.Select(seed =>
        {
            var data = SyntheticData.Generate(new SynthOptions { Mentors = 60, Mentees = 240, HistoryMentors = 400, HistoryMentees = 1000, Seed = seed, World = SyntheticWorld.Interactions });
            var space = new ProfileSpace(data.History);
            var byId = data.History.ToDictionary(a => a.Id, space.Profile, StringComparer.Ordinal);
            var goals = ModelInputs.GoalVocabulary(data.Outcomes.Select(o => byId[o.MenteeId].Application).DistinctBy(a => a.Id));
            return GoalGroups.Learn(
                goals, vocabulary => [.. data.Outcomes.Select(o => ModelInputs.Of(byId[o.MentorId], byId[o.MenteeId], vocabulary))],
                [.. data.Outcomes.Select(o => o.Satisfaction)], MatchTrainer.Folds(data.Outcomes.Count, 5, 42), 5);
        }).ToList();

        // The four together, with at most one stray goal beside them.
        var found = learned.Count(v => v.Select(GoalGroups.Members).Any(g => leadership.All(g.Contains) && g.Length <= 5));
        Assert.True(found >= 2, string.Join(Environment.NewLine, learned.Select(v => string.Join(" | ", v))));
    }

    [Fact]
    public void Report_OfAModelWithLearnedGoalGroups_NamesTheGroups()
    {
        var data = SyntheticData.Generate(new SynthOptions { Mentors = 60, Mentees = 240, HistoryMentors = 400, HistoryMentees = 1000, Seed = 7, World = SyntheticWorld.Interactions });
        var model = MatchModel.Train(data.History, data.Outcomes, new MatchTrainingOptions { Seed = 42, Trainers = [TrainerKind.RidgeLinear] });
        var groups = model.Goals.Select(GoalGroups.Members).Where(g => g.Length > 1).ToList();

        var report = MatchReport.Markdown(model, Assigner.Assign(model.Score(data.Cohort)), new AssignmentOptions());

        Assert.NotEmpty(groups);
        var line = report.Split('\n').Single(l => l.StartsWith("Goals that worked alike", StringComparison.Ordinal));
        Assert.All(groups.SelectMany(g => g), goal => Assert.Contains(goal, line));
    }

    [Fact]
    public void Quality_OnNoisyWorldWithSeveralHundredOutcomes_ModelAndAssignmentBeatNaiveGreedyByAtLeastTenPercentOfTheOracle_MedianOfThreeWorlds()
    {
        // One noisy world is one draw of ~700 unreliable outcomes (the choice between candidates is itself noisy), so
        // the claim is about the median of three, as the matching benchmark states its targets.
        var margins = new[] { 5, 6, 7 }.Select(seed =>
        {
            var data = SyntheticData.Generate(new SynthOptions { Mentors = 60, Mentees = 240, HistoryMentors = 400, HistoryMentees = 1000, Seed = seed, World = SyntheticWorld.Noisy });
            var report = MatchQuality.Evaluate(data, seed: 42);
            return report.Row(MatchQuality.Model).RatioToOracle - report.Row(MatchQuality.Greedy).RatioToOracle;
        }).Order().ToArray();

        // Measured 2026-12-05: 0.063 / 0.201 / 0.223 with empty fields filled in from people like them (0.058 / 0.169 / 0.184 before).
        Assert.True(margins[1] >= 0.10, $"noisy: model − greedy on interests + career, per world: {string.Join(" / ", margins.Select(m => m.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.True(margins[0] > 0, "the model beats naive greedy on every one of the three noisy worlds");
    }

    [Fact]
    public void Ceiling_OnNoisyWorld_StaysMeasurablyBelowTheOracle_BecauseAThirdOfTheApplicationsLeaveFieldsEmpty()
    {
        var report = MatchQuality.Evaluate(World(SyntheticWorld.Noisy), seed: 42);

        var ceiling = report.Row(MatchQuality.Ceiling).RatioToOracle;
        Assert.True(ceiling < 0.99, $"noisy: ceiling {ceiling:0.000} of the oracle");
        Assert.True(ceiling > report.Row(MatchQuality.Greedy).RatioToOracle);
    }

    [Fact]
    public void Ceiling_OnClassicWorld_IsTheOptimalAssignmentOnTheVisibleTruth_AndReachesTheOracle()
    {
        var data = World(SyntheticWorld.Classic);
        var mentors = data.Cohort.Where(a => a.IsMentor).ToList();
        var mentees = data.Cohort.Where(a => !a.IsMentor).ToList();

        var report = MatchQuality.Evaluate(data, seed: 42);

        var visible = Assigner.Assign(ScoredCohort.FromScores(mentors, mentees, (m, e) => data.VisibleProbability(mentors[m], mentees[e])), new AssignmentOptions { MinScore = 0 });
        Assert.Equal(visible.Pairs.Sum(p => data.TrueProbability(mentors[p.Mentor], mentees[p.Mentee])), report.Row(MatchQuality.Ceiling).TotalTrueSuccess);
        Assert.True(report.Row(MatchQuality.Ceiling).RatioToOracle >= 0.99);
    }

    [Fact]
    public void Calibration_PredictedProbabilitiesMatchTheTrueSuccessOfTheirBin()
    {
        var data = World(SyntheticWorld.Additive, 400, 1000);
        var model = MatchModel.Train(data.History, data.Outcomes, seed: 42);
        var scores = model.Score(data.Cohort);
        var pairs = Enumerable.Range(0, scores.Mentees.Count)
            .SelectMany(e => scores.CandidatesOf(e).Select(c => (Predicted: c.Score, True: data.TrueProbability(scores.Mentors[c.Mentor], scores.Mentees[e]))))
            .ToList();

        var bins = pairs.GroupBy(p => Math.Min((int)(p.Predicted * 5), 4)).Where(b => b.Count() >= 100).ToList();

        Assert.True(bins.Count >= 2, "scores spread over at least two bins");
        Assert.All(bins, b => Assert.True(
            Math.Abs(b.Average(p => p.Predicted) - b.Average(p => p.True)) < 0.1,
            $"bin {b.Key}: predicted {b.Average(p => p.Predicted):0.000}, true {b.Average(p => p.True):0.000}"));
    }

    [Fact]
    public void NaiveGreedy_InEveryDiscriminatingWorld_StaysBelow85PercentOfTheOracle()
    {
        foreach (var world in new[] { SyntheticWorld.Additive, SyntheticWorld.Interactions, SyntheticWorld.Thresholds, SyntheticWorld.Noisy, SyntheticWorld.Drawn })
        {
            var data = World(world, 10, 10);
            var mentors = data.Cohort.Where(a => a.IsMentor).ToList();
            var mentees = data.Cohort.Where(a => !a.IsMentor).ToList();
            var truth = ScoredCohort.FromScores(mentors, mentees, (m, e) => data.TrueProbability(mentors[m], mentees[e]));
            double Total(Assignment a) => a.Pairs.Sum(p => truth.Score(p.Mentor, p.Mentee));

            var oracle = Total(Assigner.Assign(truth, new AssignmentOptions { MinScore = 0 }));
            var greedy = Total(Assigner.Greedy(MatchQuality.NaiveScores(mentors, mentees), new AssignmentOptions { MinScore = 0 }));

            Assert.True(greedy / oracle < 0.85, $"{world}: greedy reaches {greedy / oracle:0.000} of the oracle");
        }
    }

    [Fact]
    public void FactGaps_ListEveryPairFeatureOnce_LargestStandardisedDifferenceFirst_WithTheMeansOfTheAssignmentsMeasured()
    {
        var data = World(SyntheticWorld.Thresholds);
        var report = MatchQuality.Evaluate(data, seed: 42);
        var cohort = report.ModelAssignment.Cohort;

        var gaps = MatchQuality.FactGaps(report);

        Assert.Equal(PairFeatures.Names.Order(StringComparer.Ordinal), gaps.Select(g => g.Feature).Order(StringComparer.Ordinal));
        Assert.Equal(gaps.Select(g => Math.Abs(g.Standardised)).OrderDescending(), gaps.Select(g => Math.Abs(g.Standardised)));
        Assert.All(gaps, g => Assert.Equal(Math.Sign(g.Model - g.Oracle), Math.Sign(g.Standardised)));

        // The same-career-path mean, counted from the applications of each assignment's pairs.
        static double SamePath(Assignment a) => a.Pairs.Average(p => a.Cohort.Mentors[p.Mentor].CareerPath == a.Cohort.Mentees[p.Mentee].CareerPath ? 1.0 : 0.0);
        var samePath = gaps.Single(g => g.Feature == "same_career_path");
        Assert.Equal(SamePath(report.OracleAssignment), samePath.Oracle, 6);
        Assert.Equal(SamePath(report.ModelAssignment), samePath.Model, 6);

        // The assignments kept are the ones the table measured.
        double True(Assignment a) => a.Pairs.Sum(p => data.TrueProbability(cohort.Mentors[p.Mentor], cohort.Mentees[p.Mentee]));
        Assert.Equal(report.Row(MatchQuality.Model).TotalTrueSuccess, True(report.ModelAssignment), 9);
        Assert.Equal(report.Row(MatchQuality.Oracle).TotalTrueSuccess, True(report.OracleAssignment), 9);
    }
}
