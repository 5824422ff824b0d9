using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Services;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Mentoring.Tests;

public sealed class MatchingTests : IDisposable
{
    private readonly MentoringFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Run_ProposesPairsUnderMentorCapacityWithScoresAndReasons()
    {
        var programme = await _f.CohortAsync(mentors: 3, mentees: 6);

        var review = await _f.Matching.RunAsync(programme.Id, null, "manager");

        Assert.Equal(6, review.Pairs.Count);
        Assert.All(review.Pairs.GroupBy(p => p.MentorId), g => Assert.True(g.Count() <= 2));
        Assert.All(review.Pairs, p => Assert.InRange(p.Score, 0.2, 1));
        Assert.All(review.Pairs, p => Assert.False(string.IsNullOrWhiteSpace(p.Reasons)));
        Assert.Equal(6, review.Pairs.Select(p => p.MenteeId).Distinct().Count());
        Assert.Equal(ProgrammePhase.Matching, (await _f.Programmes.GetAsync(programme.Id)).Phase);
    }

    [Fact]
    public async Task Run_WithNoHistoryAndDefaultOptions_MatchesEveryMenteeWhileMentorsHaveRoomAndFlagsWeakPairs()
    {
        var matching = new MatchingService(
            new Persistence.MentoringDb<TestMentoringDbContext>(_f.Factory), _f.Clock, Microsoft.Extensions.Options.Options.Create(new MatchingOptions()));
        var programme = await _f.CohortAsync(mentors: 6, mentees: 8, capacity: 2);
        for (var i = 9; i <= 12; i++)
        {
            await _f.Participation.AddAsync(programme.Id, MentoringFixture.ValidApplication($"e{i}", "mentee", $"e{i}@c.test") with
            {
                Interests = ["astronomy"],
                Goals = ["astronomy"],
            }, "manager");
        }

        var review = await matching.RunAsync(programme.Id, null, "manager");

        Assert.Equal("ColdStartSimilarity", review.Method);
        Assert.Equal(0.35, review.MinScore);
        Assert.Equal(12, review.Pairs.Select(p => p.MenteeId).Distinct().Count());
        Assert.Empty(review.Unmatched);
        Assert.All(review.Pairs.GroupBy(p => p.MentorId), g => Assert.Equal(2, g.Count()));
        Assert.All(review.Pairs, p => Assert.Equal(p.Score < 0.35, p.Weak));
        Assert.All(review.Pairs.Where(p => p.MenteeId is "e9" or "e10" or "e11" or "e12"), p => Assert.True(p.Weak));
        Assert.Contains(review.Pairs, p => !p.Weak);
        Assert.Contains("weak matches to review", review.MinScoreExplained, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhenMentorsAreShort_LeavesMenteesUnmatchedAndReportsMissingProfiles()
    {
        var programme = await _f.CohortAsync(mentors: 1, mentees: 4);

        var review = await _f.Matching.RunAsync(programme.Id, null, "manager");

        Assert.Equal(2, review.Pairs.Count);
        Assert.Equal(2, review.Unmatched.Count);
        Assert.NotEmpty(review.Shortage);
        Assert.True(review.Shortage.Sum(s => s.MentorsNeeded) >= 1);
        var csv = await _f.Exports.ExportAsync(programme.Id, "pairs.csv");
        Assert.Equal(5, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task PinAndForbid_AreHonouredByTheNextRun()
    {
        var programme = await _f.CohortAsync(mentors: 2, mentees: 4);
        var first = await _f.Matching.RunAsync(programme.Id, null, "manager");
        var proposed = first.Pairs[0];
        var otherMentor = first.Pairs.First(p => p.MentorId != proposed.MentorId).MentorId;

        await _f.Matching.ConstrainAsync(programme.Id, MatchConstraintKind.Forbid, new MatchConstraintInput(proposed.MentorId, proposed.MenteeId), "manager");
        await _f.Matching.ConstrainAsync(programme.Id, MatchConstraintKind.Pin, new MatchConstraintInput(otherMentor, proposed.MenteeId), "manager");
        var rerun = await _f.Matching.RunAsync(programme.Id, null, "manager");

        Assert.DoesNotContain(rerun.Pairs, p => p.MentorId == proposed.MentorId && p.MenteeId == proposed.MenteeId);
        Assert.Contains(rerun.Pairs, p => p.MentorId == otherMentor && p.MenteeId == proposed.MenteeId && p.Pinned);
    }

    [Fact]
    public async Task Constrain_WithUnknownOrWrongRolePeople_NamesBothFields()
    {
        var programme = await _f.CohortAsync(mentors: 1, mentees: 1);

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(
            () => _f.Matching.ConstrainAsync(programme.Id, MatchConstraintKind.Pin, new MatchConstraintInput("e1", "nobody"), "manager"));

        Assert.Equal(new[] { "menteeId", "mentorId" }, problem.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Swap_ExchangesMenteesAndRescoresBothPairs()
    {
        var programme = await _f.CohortAsync(mentors: 2, mentees: 2, capacity: 1);
        var review = await _f.Matching.RunAsync(programme.Id, 0, "manager");

        var swapped = await _f.Matching.SwapAsync(programme.Id, new SwapInput(review.Pairs[0].Id, review.Pairs[1].Id), "manager");

        var before = review.Pairs.ToDictionary(p => p.MentorId, p => p.MenteeId);
        Assert.All(swapped.Pairs, p => Assert.NotEqual(before[p.MentorId], p.MenteeId));
        Assert.All(swapped.Pairs, p => Assert.StartsWith("swapped by the manager", p.Reasons, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Approve_ThenDecline_ReturnsBothToThePoolAndTheRerunDoesNotProposeThemTogether()
    {
        var programme = await _f.CohortAsync(mentors: 2, mentees: 2, capacity: 1);
        await _f.Matching.RunAsync(programme.Id, 0, "manager");
        var approved = await _f.Matching.ApproveAsync(programme.Id, "manager");
        var declined = approved[0];
        string declinedMentee;
        await using (var db = _f.Factory.CreateDbContext())
        {
            var mentee = await db.Set<Application>().SingleAsync(a => a.Id == declined.MenteeId);
            declinedMentee = mentee.ExternalId;
            await _f.Partnership.ConfirmAsync(_f.PairClaims(LinkPurpose.ConfirmMatch, declined, mentee), new ConfirmInput(false));
        }

        var rerun = await _f.Matching.RunAsync(programme.Id, 0, "manager");

        Assert.Equal(ProgrammePhase.Running, (await _f.Programmes.GetAsync(programme.Id)).Phase);
        var proposals = rerun.Pairs.Where(p => p.Status == PairStatus.Proposed).ToList();
        Assert.DoesNotContain(proposals, p => p.Id == declined.Id);
        Assert.Single(rerun.Forbidden);
        Assert.Empty(proposals);
        Assert.Equal(PairStatus.Approved, Assert.Single(rerun.Pairs).Status);
        Assert.Equal(declinedMentee, Assert.Single(rerun.Unmatched).MenteeId);
    }

    [Fact]
    public async Task Approve_WithoutProposals_IsConflictNamingPairs()
    {
        var programme = await _f.CohortAsync(mentors: 1, mentees: 1);

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Matching.ApproveAsync(programme.Id, "manager"));

        Assert.Equal(["pairs"], problem.Errors.Keys);
    }
}
