using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Services;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Mentoring.Tests;

public sealed class MentorChoiceTests : IDisposable
{
    private readonly MentoringFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Approve_WhenMenteesChoose_OffersEachMenteeTheirTopThreeMentorsWithScoresAndReasonsInsteadOfPairs()
    {
        var programme = await CohortAsync(mentors: 4, mentees: 2, capacity: 1);
        await _f.Matching.RunAsync(programme.Id, 0, "manager");

        var approval = await _f.Matching.ApproveMatchesAsync(programme.Id, "manager");
        var review = await _f.Matching.ReviewAsync(programme.Id);

        Assert.Empty(approval.Pairs);
        Assert.Equal(2, approval.Choices.Count);
        Assert.All(approval.Choices, c =>
        {
            Assert.Equal(3, c.Candidates.Count);
            Assert.Equal(3, c.Candidates.Select(k => k.MentorId).Distinct().Count());
            Assert.Equal(c.Candidates.OrderByDescending(k => k.Score).Select(k => k.MentorId), c.Candidates.Select(k => k.MentorId));
            Assert.All(c.Candidates, k => Assert.False(string.IsNullOrWhiteSpace(k.Reasons)));
            Assert.Equal(MentoringFixture.Start.AddDays(5), c.ChooseBy);
        });
        Assert.Empty(review.Pairs);
        Assert.Empty(review.Unmatched);
        Assert.Equal(2, review.Choices.Count);
        Assert.All(review.Choices, c => Assert.Equal(MentorChoiceStatus.Open, c.Status));
        Assert.Equal(ProgrammePhase.Running, (await _f.Programmes.GetAsync(programme.Id)).Phase);
    }

    [Fact]
    public async Task Approve_WhenFewerThanThreeMentorsAreEligible_OffersFewerAndNeverAForbiddenOrFullMentor()
    {
        var programme = await CohortAsync(mentors: 3, mentees: 2, capacity: 1);
        await _f.Matching.RunAsync(programme.Id, 0, "manager");
        await _f.Matching.ConstrainAsync(programme.Id, MatchConstraintKind.Forbid, new MatchConstraintInput("m3", "e1"), "manager");

        var approval = await _f.Matching.ApproveMatchesAsync(programme.Id, "manager");

        var e1 = await IdAsync("e1");
        var m3 = await IdAsync("m3");
        var offered = approval.Choices.Single(c => c.MenteeId == e1);
        Assert.Equal(2, offered.Candidates.Count);
        Assert.DoesNotContain(offered.Candidates, c => c.MentorId == m3);
    }

    [Fact]
    public async Task Choose_MakesAnApprovedPairConfirmedByTheMenteeAndUsesTheLink()
    {
        var (programme, choice) = await OneChoiceAsync();
        var best = choice.Candidates[0];
        var link = ChoiceLink(choice);

        var pair = await _f.Choices.ChooseAsync(link, best.MentorId.ToString("N"));

        Assert.Equal(PairStatus.Approved, pair.Status);
        Assert.Equal(best.MentorId, pair.MentorId);
        Assert.Equal(best.Score, pair.Score);
        Assert.Equal(best.Reasons, pair.Reasons);
        Assert.NotNull(pair.MenteeConfirmedAt);
        Assert.Null(pair.MentorConfirmedAt);
        Assert.True(await _f.Participation.IsUsedAsync(link));
        var review = await _f.Matching.ReviewAsync(programme.Id);
        var view = Assert.Single(review.Choices);
        Assert.Equal(MentorChoiceStatus.Chosen, view.Status);
        Assert.Equal(pair.Id, view.PairId);
        Assert.Equal(PairStatus.Approved, Assert.Single(review.Pairs).Status);
        var again = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Choices.ChooseAsync(ChoiceLink(choice), choice.Candidates[1].MentorId.ToString("N")));
        Assert.Equal(["choice"], again.Errors.Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-mentor")]
    [InlineData("00000000000000000000000000000001")]
    public async Task Choose_WithoutAProposedMentor_IsBadRequestNamingMentorAndChangesNothing(string mentor)
    {
        var (_, choice) = await OneChoiceAsync();
        var link = ChoiceLink(choice);

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Choices.ChooseAsync(link, mentor));

        Assert.Equal(400, problem.Status);
        Assert.Equal(["mentor"], problem.Errors.Keys);
        Assert.False(await _f.Participation.IsUsedAsync(link));
        await using var db = _f.Factory.CreateDbContext();
        Assert.Empty(await db.Set<Pair>().Where(p => p.Status != PairStatus.Proposed).ToListAsync());
    }

    [Fact]
    public async Task Choose_TwoMenteesTakingTheLastPlaceOfAMentorAtOnce_OneWinsTheOtherIsToldTheMentorIsFull()
    {
        var programme = await CohortAsync(mentors: 3, mentees: 2, capacity: 1);
        await _f.Matching.RunAsync(programme.Id, 0, "manager");
        var choices = (await _f.Matching.ApproveMatchesAsync(programme.Id, "manager")).Choices;
        var shared = choices[0].Candidates.Select(c => c.MentorId).Intersect(choices[1].Candidates.Select(c => c.MentorId)).First();
        var links = choices.Select(ChoiceLink).ToList();

        var attempts = await Task.WhenAll(links.Select(async link =>
        {
            try
            {
                return (Pair: await _f.Choices.ChooseAsync(link, shared.ToString("N")), Problem: (MentoringProblemException?)null);
            }
            catch (MentoringProblemException problem)
            {
                return (Pair: (Pair?)null, Problem: problem);
            }
        }));

        Assert.Single(attempts, a => a.Pair is not null);
        var refused = Assert.Single(attempts, a => a.Problem is not null).Problem!;
        Assert.Equal(409, refused.Status);
        Assert.Equal(["mentor"], refused.Errors.Keys);
        await using (var db = _f.Factory.CreateDbContext())
        {
            Assert.Equal(1, await db.Set<Pair>().CountAsync(p => p.MentorId == shared && p.Status == PairStatus.Approved));
        }

        // The refused mentee chooses again among the mentors who still have room, with the same link.
        var loser = attempts.Select((a, i) => (a, i)).Single(x => x.a.Problem is not null).i;
        var context = await _f.Choices.LoadAsync(links[loser]);
        Assert.DoesNotContain(context.Available, c => c.MentorId == shared);
        Assert.Equal(2, context.Available.Count);
        var second = await _f.Choices.ChooseAsync(links[loser], context.Available[0].MentorId.ToString("N"));
        Assert.Equal(PairStatus.Approved, second.Status);
    }

    [Fact]
    public async Task FallBack_WhenTheMenteeDidNotChoose_ProposesTheBestCandidateWithRoomOnce()
    {
        var programme = await CohortAsync(mentors: 3, mentees: 2, capacity: 1);
        await _f.Matching.RunAsync(programme.Id, 0, "manager");
        var choices = (await _f.Matching.ApproveMatchesAsync(programme.Id, "manager")).Choices;
        var silent = choices[1];
        var best = silent.Candidates[0].MentorId;
        await _f.Choices.ChooseAsync(ChoiceLink(choices[0]), best.ToString("N"));
        _f.Clock.Advance(TimeSpan.FromDays(5));

        var result = await _f.Choices.FallBackAsync(silent.Id, "flow:test");
        var again = await _f.Choices.FallBackAsync(silent.Id, "flow:test");

        Assert.Equal(ChoiceFallbackOutcome.Assigned, result.Outcome);
        Assert.Equal(silent.Candidates.First(c => c.MentorId != best).MentorId, result.Pair!.MentorId);
        Assert.Equal(PairStatus.Approved, result.Pair.Status);
        Assert.Null(result.Pair.MenteeConfirmedAt);
        Assert.Equal(MentorChoiceStatus.Defaulted, result.Choice.Status);
        Assert.Equal(ChoiceFallbackOutcome.Assigned, again.Outcome);
        Assert.Equal(result.Pair.Id, again.Pair!.Id);
        Assert.Equal(ChoiceFallbackOutcome.AlreadyClosed, (await _f.Choices.FallBackAsync(choices[0].Id, "flow:test")).Outcome);
        var late = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Choices.ChooseAsync(ChoiceLink(silent), best.ToString("N")));
        Assert.Equal(["choice"], late.Errors.Keys);
    }

    [Fact]
    public async Task FallBack_WhenNoCandidateHasRoom_LapsesAndTheMenteeReturnsToThePool()
    {
        var programme = await CohortAsync(mentors: 1, mentees: 2, capacity: 2);
        await _f.Matching.RunAsync(programme.Id, 0, "manager");
        var choices = (await _f.Matching.ApproveMatchesAsync(programme.Id, "manager")).Choices;
        await using (var db = _f.Factory.CreateDbContext())
        {
            var mentor = await db.Set<Application>().SingleAsync(a => a.ExternalId == "m1");
            mentor.Capacity = 1;
            await db.SaveChangesAsync();
        }

        await _f.Choices.ChooseAsync(ChoiceLink(choices[0]), choices[0].Candidates[0].MentorId.ToString("N"));
        _f.Clock.Advance(TimeSpan.FromDays(6));

        var result = await _f.Choices.FallBackAsync(choices[1].Id, "flow:test");
        var rerun = await _f.Matching.RunAsync(programme.Id, 0, "manager");

        Assert.Equal(ChoiceFallbackOutcome.NoneAvailable, result.Outcome);
        Assert.Null(result.Pair);
        Assert.Contains(rerun.Choices, c => c.Status == MentorChoiceStatus.Lapsed);
        Assert.Single(rerun.Unmatched);
    }

    [Fact]
    public async Task Approve_WhenTheSettingIsOff_ApprovesThePairsAndOffersNoChoice()
    {
        var programme = await CohortAsync(mentors: 3, mentees: 2, capacity: 1, choose: false);
        await _f.Matching.RunAsync(programme.Id, 0, "manager");

        var approval = await _f.Matching.ApproveMatchesAsync(programme.Id, "manager");

        Assert.Equal(2, approval.Pairs.Count);
        Assert.All(approval.Pairs, p => Assert.Equal(PairStatus.Approved, p.Status));
        Assert.Empty(approval.Choices);
        Assert.Empty((await _f.Matching.ReviewAsync(programme.Id)).Choices);
    }

    [Fact]
    public async Task Choose_OnPostgres_MenteesTakingTheSameLastPlaceAtOnce_ExactlyOneWinsTheOthersAreToldItIsFull()
    {
        // Serializable transactions on PostgreSQL fail with 40001 on a conflict: the pick retries, never a 500.
        await using var pg = await MentoringFixture.PostgresAsync();
        var programme = await pg.CohortAsync(6, 6, 1, MentoringFixture.ValidProgramme() with { MenteeChoosesFromTopThree = true });
        await pg.Matching.RunAsync(programme.Id, 0, "manager");
        var choices = (await pg.Matching.ApproveMatchesAsync(programme.Id, "manager")).Choices;
        var shared = choices.SelectMany(c => c.Candidates.Select(x => x.MentorId)).GroupBy(id => id).OrderByDescending(g => g.Count()).First().Key;
        var racers = choices.Where(c => c.Candidates.Any(x => x.MentorId == shared)).ToList();
        Assert.True(racers.Count >= 2, "at least two mentees have the same mentor among their candidates");

        var attempts = await Task.WhenAll(racers.Select(choice => Task.Run(async () =>
        {
            var link = pg.Claims(LinkPurpose.ChooseMentor, choice.ProgrammeId, PartnershipService.ParticipantRef(choice.MenteeId), MentorChoiceService.ChoiceRef(choice.Id));
            try
            {
                return (Pair: await pg.Choices.ChooseAsync(link, shared.ToString("N")), Status: 200);
            }
            catch (MentoringProblemException problem)
            {
                return (Pair: (Pair?)null, problem.Status);
            }
        })));

        Assert.Single(attempts, a => a.Pair is not null);
        Assert.All(attempts.Where(a => a.Pair is null), a => Assert.Equal(409, a.Status));
        await using var db = pg.Factory.CreateDbContext();
        Assert.Equal(1, await db.Set<Pair>().CountAsync(p => p.MentorId == shared && p.Status == PairStatus.Approved));
    }

    [Fact]
    public async Task PrivacyExport_OfAMenteeOfferedAChoice_IncludesTheChoice()
    {
        var (_, choice) = await OneChoiceAsync();
        string email;
        await using (var db = _f.Factory.CreateDbContext())
        {
            email = await db.Set<Application>().Where(a => a.Id == choice.MenteeId).Select(a => a.Email).SingleAsync();
        }

        var export = await _f.Privacy.ExportAsync(email, "manager");

        var exported = Assert.Single(export.MentorChoices);
        Assert.Equal(choice.Id, exported.Id);
        Assert.Equal(choice.Candidates.Count, exported.Candidates.Count);
    }

    private Links.LinkClaims ChoiceLink(MentorChoice choice) =>
        _f.Claims(LinkPurpose.ChooseMentor, choice.ProgrammeId, PartnershipService.ParticipantRef(choice.MenteeId), MentorChoiceService.ChoiceRef(choice.Id));

    private async Task<(Programme Programme, MentorChoice Choice)> OneChoiceAsync()
    {
        var programme = await CohortAsync(mentors: 3, mentees: 1, capacity: 1);
        await _f.Matching.RunAsync(programme.Id, 0, "manager");
        return (programme, Assert.Single((await _f.Matching.ApproveMatchesAsync(programme.Id, "manager")).Choices));
    }

    private async Task<Guid> IdAsync(string externalId)
    {
        await using var db = _f.Factory.CreateDbContext();
        return await db.Set<Application>().Where(a => a.ExternalId == externalId).Select(a => a.Id).SingleAsync();
    }

    private Task<Programme> CohortAsync(int mentors, int mentees, int capacity, bool choose = true) =>
        _f.CohortAsync(mentors, mentees, capacity, MentoringFixture.ValidProgramme() with { MenteeChoosesFromTopThree = choose });
}
