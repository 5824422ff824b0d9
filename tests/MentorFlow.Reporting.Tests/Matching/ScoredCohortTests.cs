using MentorFlow.Reporting.Matching;
using MentorFlow.Reporting.Synthesis;

namespace MentorFlow.Reporting.Tests.Matching;

public sealed class ScoredCohortTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Score_ScoresInChunksThatCrossMentees_EveryCandidateGetsTheModelsScoreOfItsOwnPair(int threads)
    {
        // 500 mentees × 100 candidates: more pairs than one scoring chunk holds, and chunk edges fall inside mentees' lists.
        var cohort = SyntheticData.Generate(new SynthOptions { Mentors = 200, Mentees = 500, HistoryMentors = 10, HistoryMentees = 10, Seed = 23 }).Cohort;
        var scored = fixture.Model.Score(cohort, new ScoringOptions { CandidatesPerMentee = 100, MaxDegreeOfParallelism = threads });
        var pairs = Enumerable.Range(0, scored.Mentees.Count).SelectMany(e => scored.CandidatesOf(e).Select(c => (Mentee: e, c.Mentor, c.Score))).ToList();
        Assert.True(pairs.Count > 2 * ScoredCohort.ScoringChunk, $"{pairs.Count} pairs: fewer than two chunks");

        var expected = fixture.Model.Predict([.. pairs.Select(p => scored.Features(p.Mentor, p.Mentee)!)]);

        Assert.Equal(expected, pairs.Select(p => p.Score));
        Assert.All(Enumerable.Range(0, scored.Mentees.Count), e => Assert.Equal(
            scored.CandidatesOf(e).OrderByDescending(c => c.Score).ThenBy(c => c.Mentor).Select(c => c.Mentor),
            scored.CandidatesOf(e).Select(c => c.Mentor)));
    }
}
