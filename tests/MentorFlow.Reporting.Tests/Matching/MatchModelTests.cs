using System.IO.Compression;
using System.Text.Json.Nodes;
using MentorFlow.Reporting.Matching;
using MentorFlow.Reporting.Synthesis;

namespace MentorFlow.Reporting.Tests.Matching;

/// <summary>Shared synthetic world and trained model (training takes seconds; the tests only read them).</summary>
public sealed class TrainedModelFixture
{
    public TrainedModelFixture()
    {
        Data = SyntheticData.Generate(new SynthOptions { Mentors = 40, Mentees = 160, HistoryMentors = 120, HistoryMentees = 480, Seed = 11 });
        Model = MatchModel.Train(Data.History, Data.Outcomes, new MatchTrainingOptions { Seed = 5, Folds = 3 });
    }

    public SyntheticData Data { get; }

    public MatchModel Model { get; }
}

public sealed class MatchModelTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mentorflow-model-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static IReadOnlyList<double> Scores(ScoredCohort cohort) =>
        [.. Enumerable.Range(0, cohort.Mentees.Count).SelectMany(e => cohort.CandidatesOf(e).Select(c => c.Score))];

    [Fact]
    public void Why_NamesTheWinnerKeptOverAHigherButNotClearlyBetterRunnerUp()
    {
        var stack = new TrainerEvaluation(TrainerKind.Stack, 0.370, 0.05, 0.68, 0.52, 0.01, 0.36, null);
        var ridge = new TrainerEvaluation(TrainerKind.RidgeInteractions, 0.391, 0.06, 0.69, 0.52, 0.02, 0.38, 3);
        var logistic = new TrainerEvaluation(TrainerKind.LinearLogistic, 0.413, 0.07, 0.70, 0.51, 0.01, 0.40, null);

        var kept = MatchModel.Why(ridge, [stack, ridge, logistic]);
        var ahead = MatchModel.Why(logistic, [stack, ridge, logistic]);

        Assert.Equal(
            "RidgeInteractions chose the best held-out pairs: assignment lift 0.391 ± 0.060; LinearLogistic reached 0.413, not clearly more " +
            "(by 0.02 and significantly over the folds: one-sided paired t-test, 5%), so RidgeInteractions, listed earlier, is kept",
            kept);
        Assert.Equal("LinearLogistic chose the best held-out pairs: assignment lift 0.413 ± 0.070; next RidgeInteractions 0.391", ahead);
    }

    [Fact]
    public void ClearlyBetter_NeedsTheToleranceAndAGainSignificantOverTheFolds()
    {
        double[] best = [0.40, 0.42, 0.38, 0.41, 0.39];

        Assert.True(MatchModel.ClearlyBetter([0.43, 0.45, 0.41, 0.44, 0.42], best)); // +0.03 on every fold
        Assert.False(MatchModel.ClearlyBetter([0.41, 0.43, 0.39, 0.42, 0.40], best)); // +0.01: within the tolerance
        Assert.False(MatchModel.ClearlyBetter([0.70, 0.30, 0.30, 0.45, 0.50], best)); // +0.05 on average, made by one fold
        Assert.False(MatchModel.ClearlyBetter([0.50], [0.10])); // one fold: no spread to judge by
        Assert.False(MatchModel.ClearlyBetter(best.Zip([0.08, -0.02, 0.06, -0.01, 0.02], (b, g) => b + g).ToArray(), best)); // +0.026, 1.3 standard errors: not significant
        Assert.True(MatchModel.ClearlyBetter(best.Zip([0.05, 0.00, 0.04, 0.01, 0.03], (b, g) => b + g).ToArray(), best)); // +0.026, 2.8 standard errors
    }

    [Fact]
    public void Train_WithEnoughHistory_ChoosesTheCandidateWithTheBestHeldOutAssignmentLiftAndReportsTheOtherMeasures()
    {
        var model = fixture.Model;

        Assert.Equal(ScoringMethod.LearnedModel, model.Method);
        var evaluation = Assert.IsType<ModelEvaluation>(model.Evaluation);
        Assert.Equal(fixture.Data.Outcomes.Count, evaluation.Pairs);
        Assert.Equal(MatchTrainingOptions.DefaultTrainers, evaluation.Candidates.Select(c => c.Trainer));
        var chosen = evaluation.Candidates.Single(c => c.Trainer == evaluation.Trainer);
        Assert.Equal(chosen.AssignmentLift, evaluation.AssignmentLift);
        Assert.All(evaluation.Candidates, c => Assert.Equal(evaluation.Folds, c.FoldLifts?.Count));
        var expected = evaluation.Candidates[0];
        foreach (var candidate in evaluation.Candidates.Skip(1))
        {
            if (MatchModel.ClearlyBetter(candidate.FoldLifts!, expected.FoldLifts!))
            {
                expected = candidate;
            }
        }

        Assert.Equal(expected.Trainer, evaluation.Trainer); // a later candidate replaced an earlier one only when clearly better
        Assert.InRange(evaluation.Auc, 0.55, 1);
        Assert.InRange(evaluation.LogLoss, 0.05, 0.69);
        Assert.InRange(evaluation.CalibrationError, 0, 0.15);
        Assert.All(evaluation.Candidates, c => Assert.InRange(c.Spearman, -1, 1));
        Assert.Contains(evaluation.Trainer.ToString(), evaluation.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_SameSeedAndData_GivesTheSameModel()
    {
        var again = MatchModel.Train(fixture.Data.History, fixture.Data.Outcomes, new MatchTrainingOptions { Seed = 5, Folds = 3 });

        Assert.Equal(fixture.Model.Evaluation!.Trainer, again.Evaluation!.Trainer);
        Assert.Equal(fixture.Model.Evaluation.Candidates, again.Evaluation.Candidates);
        Assert.Equal(fixture.Model.Calibration, again.Calibration);
        Assert.Equal(Scores(fixture.Model.Score(fixture.Data.Cohort)), Scores(again.Score(fixture.Data.Cohort)));
    }

    [Fact]
    public void Score_GivesCalibratedProbabilitiesNearTheObservedSuccessRate()
    {
        var byId = fixture.Data.History.ToDictionary(a => a.Id);
        var space = new ProfileSpace(fixture.Data.History);
        var features = fixture.Data.Outcomes.Select(o => fixture.Model.Input(space.Profile(byId[o.MentorId]), space.Profile(byId[o.MenteeId]))).ToList();

        var predicted = fixture.Model.Predict(features);

        Assert.All(predicted, p => Assert.InRange(p, 0, 1));
        Assert.Equal(fixture.Model.Evaluation!.BaseRate, predicted.Average(), 1);
    }

    [Fact]
    public void Train_WithTooLittleHistory_FallsBackToColdStartSimilarityAndSaysWhy()
    {
        var model = MatchModel.Train(fixture.Data.History, [.. fixture.Data.Outcomes.Take(20)], seed: 5);

        Assert.Equal(ScoringMethod.ColdStartSimilarity, model.Method);
        Assert.Contains("history has 20 outcomes", model.ColdStartReason, StringComparison.Ordinal);
        var assignment = Assigner.Assign(model.Score(fixture.Data.Cohort), new AssignmentOptions { MinScore = 0.3 });
        Assert.NotEmpty(assignment.Pairs);
        Assert.All(assignment.ToPairs().Where(p => p.IsMatched), p => Assert.StartsWith("cold-start similarity (no model); ", p.Reasons, StringComparison.Ordinal));
    }

    [Fact]
    public void ColdStart_IgnoresTheMinimumScoreAndFillsMentorCapacity()
    {
        var model = MatchModel.Train(fixture.Data.History, [.. fixture.Data.Outcomes.Take(20)], seed: 5);
        var cohort = fixture.Data.Cohort;
        var capacity = cohort.Where(a => a.IsMentor).Sum(a => a.Capacity);

        var assignment = Assigner.Assign(model.Score(cohort, new ScoringOptions { CandidatesPerMentee = 40 }), new AssignmentOptions { MinScore = 0.99 });

        Assert.Equal(Math.Min(capacity, cohort.Count(a => !a.IsMentor)), assignment.Pairs.Count);
    }

    [Fact]
    public void Assign_WhenPastPairsRarelySucceeded_ProposesPairsAboveTheBaseRateAsWeakMatchesForReview()
    {
        // A programme where only about one past pair in six succeeded: one of every three successes of the synthetic
        // history (a quarter succeeded) becomes a failure (goal not met), so most pairs' calibrated chances fall under 0.35.
        var successes = 0;
        var outcomes = fixture.Data.Outcomes
            .Select(o => o.Completed && o.GoalMet && successes++ % 3 == 0 ? o with { GoalMet = false, Satisfaction = Math.Max(1, o.Satisfaction - 1) } : o)
            .ToList();
        var model = MatchModel.Train(fixture.Data.History, outcomes, new MatchTrainingOptions { Seed = 5, Folds = 3, Trainers = [TrainerKind.RidgeLinear] });
        var scores = model.Score(fixture.Data.Cohort);
        var baseRate = model.Evaluation!.BaseRate;
        Assert.InRange(baseRate, 0.05, 0.25);

        var strict = Assigner.Assign(scores, new AssignmentOptions { MinScore = 0.35, WeakMatchesAboveBaseRate = false });
        var assignment = Assigner.Assign(scores, new AssignmentOptions { MinScore = 0.35 });

        Assert.True(strict.Pairs.Count < scores.Mentees.Count / 4, $"{strict.Pairs.Count} pairs at 0.35 or more: the history is not a low-base-rate one");
        Assert.True(assignment.Pairs.Count >= Math.Min(scores.Mentees.Count, scores.Mentors.Sum(m => m.Capacity)) / 2, $"only {assignment.Pairs.Count} pairs proposed");
        Assert.Equal(strict.Pairs.Select(p => (p.Mentor, p.Mentee)), assignment.Pairs.Where(p => !p.Weak).Select(p => (p.Mentor, p.Mentee)));
        Assert.All(assignment.Pairs, p => Assert.Equal(p.Score < 0.35, p.Weak));
        Assert.All(assignment.Pairs, p => Assert.True(p.Score >= baseRate, $"pair at {p.Score} under the base rate {baseRate}"));
        var rows = assignment.ToPairs().Where(p => p.IsMatched && p.Score < 0.35).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.StartsWith("weak match for review (under the minimum score, above the programme's past success rate of ", r.Reasons, StringComparison.Ordinal));
        Assert.All(assignment.Unmatched, u => Assert.True(
            u.Cause == UnmatchedCause.MentorsAtCapacity || u.BestScore < baseRate, $"mentee {u.Mentee} left unmatched with a pair at {u.BestScore}"));
        Assert.Contains(Assigner.Greedy(scores, new AssignmentOptions { MinScore = 0.35 }).Pairs, p => p.Weak);
    }

    [Fact]
    public void Assign_WhenTheBaseRateIsAboveTheMinimum_ProposesNoPairUnderTheMinimum()
    {
        var scores = fixture.Model.Score(fixture.Data.Cohort);
        var minimum = fixture.Model.Evaluation!.BaseRate - 0.05;

        var assignment = Assigner.Assign(scores, new AssignmentOptions { MinScore = minimum });

        Assert.NotEmpty(assignment.Pairs);
        Assert.All(assignment.Pairs, p => Assert.True(p.Score >= minimum && !p.Weak, $"pair at {p.Score}"));
        Assert.Null(Assigner.WeakFloor(scores, new AssignmentOptions { MinScore = minimum }));
    }

    [Fact]
    public void PredictWithIntervals_GivesAnIntervalAroundEachProbabilityAndSaysSoInTheReasons()
    {
        var scores = fixture.Model.Score(fixture.Data.Cohort);
        var pairs = Enumerable.Range(0, 20).Select(e => (Mentor: scores.CandidatesOf(e)[0].Mentor, Mentee: e)).ToList();

        var intervals = fixture.Model.PredictWithIntervals([.. pairs.Select(p => scores.Features(p.Mentor, p.Mentee)!)]);

        Assert.All(intervals, i => Assert.True(i.Low <= i.Probability && i.Probability <= i.High && i.Low >= 0 && i.High <= 1, $"{i}"));
        Assert.Contains(intervals, i => i.High - i.Low > 0.001);
        Assert.All(pairs.Select((p, i) => (p, i)), x => Assert.Equal(scores.Score(x.p.Mentor, x.p.Mentee), intervals[x.i].Probability, 9));
        Assert.All(scores.Explain(pairs), r => Assert.Matches(@"success chance \d+% \(90% interval \d+–\d+%\)$", r));
    }

    [Fact]
    public void Explain_GivesReadableReasonsForProposedPairs()
    {
        var assignment = Assigner.Assign(fixture.Model.Score(fixture.Data.Cohort), new AssignmentOptions { MinScore = 0.3 });

        var pairs = assignment.ToPairs().Where(p => p.IsMatched).ToList();

        Assert.NotEmpty(pairs);
        Assert.All(pairs, p => Assert.False(string.IsNullOrWhiteSpace(p.Reasons)));
        var known = new[] { "interests", "career", "goals", "language", "time zone", "experience", "communication", "length", "statements", "mentor time" };
        Assert.All(pairs, p => Assert.Contains(known, k => p.Reasons.Contains(k, StringComparison.Ordinal)));
    }

    [Fact]
    public void SaveAndLoad_KeepsScoresExplanationsAndEvaluation()
    {
        var path = Path.Combine(_directory, "model.mfmodel");
        fixture.Model.Save(path);

        var loaded = MatchModel.Load(path);

        Assert.Equal(fixture.Model.Method, loaded.Method);
        Assert.Equal(fixture.Model.Goals, loaded.Goals);
        Assert.Equal(fixture.Model.Evaluation!.Candidates, loaded.Evaluation!.Candidates);
        var original = Assigner.Assign(fixture.Model.Score(fixture.Data.Cohort)).ToPairs();
        var reloaded = Assigner.Assign(loaded.Score(fixture.Data.Cohort)).ToPairs();
        Assert.Equal(original, reloaded);
    }

    [Fact]
    public void Train_TheStack_SaysWhatItIsMadeOf_AndSavesAsOneLinearModelThatScoresTheSameAfterLoading()
    {
        var model = MatchModel.Train(fixture.Data.History, fixture.Data.Outcomes, new MatchTrainingOptions { Seed = 5, Folds = 3, Trainers = [TrainerKind.Stack] });
        var path = Path.Combine(_directory, "stack.mfmodel");

        model.Save(path);
        var loaded = MatchModel.Load(path);

        var stack = Assert.Single(model.Evaluation!.Candidates);
        Assert.Equal(TrainerKind.Stack, stack.Trainer);
        Assert.NotEmpty(stack.Members!);
        Assert.All(stack.Members!, m => Assert.Contains(m.Trainer, Stacking.Members));
        Assert.Equal(1.0, stack.Members!.Sum(m => m.Share), 9);
        Assert.All(stack.Members!, m => Assert.Contains($"% {m.Trainer}", model.Evaluation.Why, StringComparison.Ordinal));
        using (var zip = ZipFile.OpenRead(path))
        {
            Assert.Equal(["manifest.json"], zip.Entries.Select(e => e.FullName)); // no ML.NET part: the stack is one linear model
        }

        Assert.Equal(model.Evaluation.Candidates, loaded.Evaluation!.Candidates);
        Assert.Equal(Scores(model.Score(fixture.Data.Cohort)), Scores(loaded.Score(fixture.Data.Cohort)));
    }

    [Fact]
    public void Train_AStackMemberThatIsNoCandidate_IsReportedAsAPartWithItsShareOfTheStack_AndSurvivesSaveAndLoad()
    {
        var evaluation = fixture.Model.Evaluation!;

        // The default candidates leave out the goal ridge, which only the stack uses: it gets a row of its own.
        var part = Assert.Single(evaluation.Parts!);
        Assert.Equal(TrainerKind.RidgeGoals, part.Trainer);
        Assert.DoesNotContain(TrainerKind.RidgeGoals, evaluation.Candidates.Select(c => c.Trainer));
        Assert.Equal(evaluation.Folds, part.FoldLifts!.Count);
        Assert.InRange(part.Auc, 0.5, 1);
        var share = evaluation.Candidates.Single(c => c.Trainer == TrainerKind.Stack).Members!.FirstOrDefault(m => m.Trainer == TrainerKind.RidgeGoals)?.Share ?? 0;
        var rows = evaluation.Rows().ToList();
        Assert.Equal([.. evaluation.Candidates.Select(c => c.Trainer.ToString()), $"RidgeGoals (in Stack: {share * 100:0}%)"], rows.Select(r => r.Name));
        Assert.Same(part, rows[^1].Evaluation);

        var path = Path.Combine(_directory, "parts.mfmodel");
        fixture.Model.Save(path);
        Assert.Equal(evaluation.Parts, MatchModel.Load(path).Evaluation!.Parts);
    }

    [Fact]
    public void Train_OnlyTheStack_ReportsEachOfItsMembersAsAPart()
    {
        var model = MatchModel.Train(fixture.Data.History, fixture.Data.Outcomes, new MatchTrainingOptions { Seed = 5, Folds = 3, Trainers = [TrainerKind.Stack] });

        Assert.Equal(Stacking.Members.Order(), model.Evaluation!.Parts!.Select(p => p.Trainer).Order());
        Assert.All(model.Evaluation.Rows().Skip(1), r => Assert.Matches(@"^\w+ \(in Stack: \d+%\)$", r.Name));
    }

    [Fact]
    public void SaveAndLoad_ColdStartModel_KeepsMethodAndReason()
    {
        var path = Path.Combine(_directory, "cold.mfmodel");
        MatchModel.ColdStart("no history yet", seed: 9).Save(path);

        var loaded = MatchModel.Load(path);

        Assert.Equal((ScoringMethod.ColdStartSimilarity, "no history yet", 9), (loaded.Method, loaded.ColdStartReason, loaded.Seed));
    }

    [Fact]
    public void Load_WhenFeatureSchemaDiffers_RefusesTheFile()
    {
        var path = Path.Combine(_directory, "old.mfmodel");
        fixture.Model.Save(path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("manifest.json")!;
            JsonNode manifest;
            using (var stream = entry.Open())
            {
                manifest = JsonNode.Parse(stream)!;
            }

            manifest["featureSchemaVersion"] = 0;
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("manifest.json").Open());
            writer.Write(manifest.ToJsonString());
        }

        var error = Assert.Throws<InvalidDataException>(() => MatchModel.Load(path));

        Assert.Contains("feature schema 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_PrunesToTheRequestedCandidatesPerMentee_PlusEachMentorsOwnBestMentees()
    {
        var scores = fixture.Model.Score(fixture.Data.Cohort, new ScoringOptions { CandidatesPerMentee = 5 });

        Assert.Equal(fixture.Data.Cohort.Count(a => !a.IsMentor), scores.Mentees.Count);
        Assert.All(Enumerable.Range(0, scores.Mentees.Count), e => Assert.InRange(scores.CandidatesOf(e).Count, 5, scores.Mentors.Count));
        var perMentor = Enumerable.Range(0, scores.Mentees.Count).SelectMany(e => scores.CandidatesOf(e)).CountBy(c => c.Mentor).ToDictionary();
        Assert.All(Enumerable.Range(0, scores.Mentors.Count), m => Assert.True(
            perMentor.GetValueOrDefault(m) >= Math.Min(scores.Mentees.Count, ScoringOptions.MinimumMenteesPerMentor),
            $"mentor {m} is a candidate of {perMentor.GetValueOrDefault(m)} mentees"));
        Assert.True(scores.PairCount < 5 * scores.Mentees.Count + (scores.Mentors.Count * ScoringOptions.MenteesPerMentorPlace * 4) + 1);
        Assert.All(Enumerable.Range(0, scores.Mentees.Count), e =>
            Assert.Equal(scores.CandidatesOf(e).OrderByDescending(c => c.Score).Select(c => c.Score), scores.CandidatesOf(e).Select(c => c.Score)));
    }

    [Fact]
    public void Score_WithoutACount_KeepsEnoughCandidatesThatTheModelsOwnBestMentorsSurviveThePrefilter()
    {
        // Goal-dependent effects the pre-filter's linear summary cannot weigh: the model's best mentors of a mentee
        // often rank low in the pre-filter's order.
        var data = SyntheticData.Generate(new SynthOptions
        {
            Mentors = 250, Mentees = 400, HistoryMentors = 400, HistoryMentees = 1000, Seed = 8, World = SyntheticWorld.Interactions,
        });
        var model = MatchModel.Train(data.History, data.Outcomes, new MatchTrainingOptions { Seed = 5, Folds = 3, Trainers = [TrainerKind.RidgeInteractions] });

        var sized = model.Score(data.Cohort);
        var fixedForty = model.Score(data.Cohort, new ScoringOptions { CandidatesPerMentee = 40 });

        Assert.InRange(sized.CandidatesPerMentee, ScoringOptions.MinimumCandidates + 1, ScoringOptions.MaximumCandidates);
        Assert.All(Enumerable.Range(0, sized.Mentees.Count), e => Assert.True(sized.CandidatesOf(e).Count >= sized.CandidatesPerMentee));
        Assert.True(KeptOfModelsBest(sized) >= ScoringOptions.RecallTarget - 0.05, $"kept {KeptOfModelsBest(sized):0.000} of the model's best mentors");
        Assert.True(KeptOfModelsBest(sized) > KeptOfModelsBest(fixedForty), $"sized {KeptOfModelsBest(sized):0.000}, 40 kept {KeptOfModelsBest(fixedForty):0.000}");
    }

    [Fact]
    public void Score_AtColdStart_KeepsTheMinimumCandidates_ThePrefilterBeingTheSimilarityItself()
    {
        var scores = MatchModel.ColdStart("no history").Score(fixture.Data.Cohort);

        Assert.Equal(ScoringOptions.MinimumCandidates, scores.CandidatesPerMentee);
    }

    [Fact]
    public void SizeToModel_ForALargeCohort_StaysWithinThePairBudget()
    {
        var space = new ProfileSpace(fixture.Data.Cohort);
        var mentors = fixture.Data.Cohort.Where(a => a.IsMentor).Select(space.Profile).ToArray();
        var mentees = fixture.Data.Cohort.Where(a => !a.IsMentor).Select(space.Profile).ToArray();
        var sample = ScoredCohort.Sample(fixture.Model, new Prefilter(mentors, fixture.Model.PrefilterWeights), mentors, mentees, new ParallelOptions());
        var large = (ScoringOptions.MaximumPairs / ScoringOptions.MinimumCandidates) + 1;

        var k = ScoredCohort.SizeToModel(sample, mentors.Length, large);

        Assert.Equal(Math.Min(ScoringOptions.MinimumCandidates, mentors.Length), k);
    }

    [Fact]
    public void Score_WhenEveryMenteeRanksTheSameMentorsFirst_TheOtherMentorsStillGetCandidates_AndTheAssignmentFillsNearlyAsManyPlacesAsScoringEveryPair()
    {
        // Drawn world 3: seniority, mentor time and a veto on less senior mentors make every mentee rank the same
        // senior mentors first, so 40 candidates per mentee name only the popular mentors.
        var data = SyntheticData.Generate(new SynthOptions
        {
            Mentors = 250, Mentees = 1000, HistoryMentors = 400, HistoryMentees = 1000, Seed = 3, World = SyntheticWorld.Drawn,
        });
        var model = MatchModel.Train(data.History, data.Outcomes, new MatchTrainingOptions { Seed = 42, Folds = 3, Trainers = [TrainerKind.LassoLinear] });
        var options = new AssignmentOptions { MinScore = 0 };
        double True(Assignment a, ScoredCohort s) => a.Pairs.Sum(p => data.TrueProbability(s.Mentors[p.Mentor], s.Mentees[p.Mentee]));

        var pruned = model.Score(data.Cohort, new ScoringOptions { CandidatesPerMentee = 40 });
        var every = model.Score(data.Cohort, new ScoringOptions { CandidatesPerMentee = 250 });
        var prunedAssignment = Assigner.Assign(pruned, options);
        var everyAssignment = Assigner.Assign(every, options);

        var menteesPerMentor = Enumerable.Range(0, pruned.Mentees.Count).SelectMany(e => pruned.CandidatesOf(e)).CountBy(c => c.Mentor).ToDictionary();
        Assert.All(Enumerable.Range(0, pruned.Mentors.Count), m => Assert.True(menteesPerMentor.GetValueOrDefault(m) >= ScoringOptions.MinimumMenteesPerMentor));
        Assert.True(prunedAssignment.Pairs.Count >= 0.99 * everyAssignment.Pairs.Count, $"pruned fills {prunedAssignment.Pairs.Count} places, every pair {everyAssignment.Pairs.Count}");
        Assert.True(True(prunedAssignment, pruned) >= 0.98 * True(everyAssignment, every), $"pruned {True(prunedAssignment, pruned):0.0}, every pair {True(everyAssignment, every):0.0}");
    }

    [Fact]
    public void Prefilter_AddsEachMentorsOffsetToEveryScoreOfThatMentor()
    {
        var space = new ProfileSpace(fixture.Data.Cohort);
        var mentors = fixture.Data.Cohort.Where(a => a.IsMentor).Select(space.Profile).ToArray();
        var mentee = space.Profile(fixture.Data.Cohort.First(a => !a.IsMentor));
        var offsets = mentors.Select((_, m) => m * 0.25).ToArray();
        var plain = new double[mentors.Length];
        var shifted = new double[mentors.Length];

        new Prefilter(mentors, fixture.Model.PrefilterWeights).ScoreAll(mentee, plain);
        new Prefilter(mentors, fixture.Model.PrefilterWeights, offsets).ScoreAll(mentee, shifted);

        Assert.All(Enumerable.Range(0, mentors.Length), m => Assert.Equal(plain[m] + offsets[m], shifted[m], 9));
        Assert.Equal(mentors.Length - 1, new Prefilter(mentors, new double[PairFeatures.Count], offsets).Top(mentee, 1).Single());
        Assert.Throws<ArgumentException>(() => new Prefilter(mentors, fixture.Model.PrefilterWeights, [1.0]));
    }

    /// <summary>Share of the model's 20 best mentors (scored against every mentor) of every tenth mentee that are among its candidates.</summary>
    private static double KeptOfModelsBest(ScoredCohort scores)
    {
        var model = scores.Model!;
        var space = new ProfileSpace([.. scores.Mentors, .. scores.Mentees]);
        var mentors = scores.Mentors.Select(space.Profile).ToArray();
        int kept = 0, total = 0;
        for (var e = 0; e < scores.Mentees.Count; e += 10)
        {
            var mentee = space.Profile(scores.Mentees[e]);
            var all = model.Predict([.. mentors.Select(m => model.Input(m, mentee))]);
            var candidates = scores.CandidatesOf(e).Select(c => c.Mentor).ToHashSet();
            foreach (var best in Enumerable.Range(0, mentors.Length).OrderByDescending(m => all[m]).Take(20))
            {
                total++;
                kept += candidates.Contains(best) ? 1 : 0;
            }
        }

        return (double)kept / total;
    }

    [Fact]
    public void Score_PrefilterKeepsTheMentorsWithTheBestSimilarity()
    {
        var cohort = fixture.Data.Cohort;
        var space = new ProfileSpace(cohort);
        var mentors = cohort.Where(a => a.IsMentor).ToList();
        var mentee = cohort.First(a => !a.IsMentor);
        var expected = mentors
            .Select((m, i) => (Index: i, Score: ColdStart.Similarity(PairFeatures.Compute(space.Profile(m), space.Profile(mentee))) - ColdStart.Term(PairFeatures.StatementSimilarity, 0.02, PairFeatures.Compute(space.Profile(m), space.Profile(mentee)))))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Index).Take(5).Select(x => x.Index).Order();

        var scores = MatchModel.ColdStart("test").Score(cohort, new ScoringOptions { CandidatesPerMentee = 5 });

        Assert.Equal(expected, scores.CandidatesOf(0).Select(c => c.Mentor).Order());
    }

    [Fact]
    public void Quality_OnTheClassicWorld_ReachesNinetyPercentOfTheOracleAndBeatsRandom()
    {
        var data = SyntheticData.Generate(new SynthOptions { Mentors = 60, Mentees = 240, HistoryMentors = 250, HistoryMentees = 1000, Seed = 21 });

        var report = MatchQuality.Evaluate(data, seed: 3);

        Assert.True(report.Row(MatchQuality.Model).RatioToOracle >= 0.90, $"model reached {report.Row(MatchQuality.Model).RatioToOracle:0.000} of the oracle");
        Assert.True(report.Row(MatchQuality.Model).TotalTrueSuccess > report.Row(MatchQuality.RandomMethod).TotalTrueSuccess);
        Assert.Equal(1.0, report.Row(MatchQuality.Oracle).RatioToOracle, 6);
    }
}
