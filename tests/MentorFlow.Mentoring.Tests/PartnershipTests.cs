using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Services;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Mentoring.Tests;

public sealed class PartnershipTests : IDisposable
{
    private readonly MentoringFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Confirm_ByBothSides_StartsThePartnershipWithDefaultPolicyAndEndDateFromLength()
    {
        var (_, pair, mentor, mentee) = await _f.ApprovedPairAsync();

        var afterMentor = await _f.Partnership.ConfirmAsync(_f.PairClaims(LinkPurpose.ConfirmMatch, pair, mentor), new ConfirmInput(true));
        var afterBoth = await _f.Partnership.ConfirmAsync(_f.PairClaims(LinkPurpose.ConfirmMatch, pair, mentee), new ConfirmInput(true));

        Assert.Equal(PairStatus.Approved, afterMentor.Status);
        Assert.Equal(PairStatus.Active, afterBoth.Status);
        Assert.Equal(MeetingFrequency.EveryTwoWeeks, afterBoth.MeetingFrequency);
        Assert.Equal(new DateOnly(2026, 3, 2), afterBoth.StartDate);
        Assert.Equal(new DateOnly(2026, 9, 2), afterBoth.EndDate);
    }

    [Fact]
    public async Task Confirm_WhenOneSideDeclines_PairIsDeclinedAndLaterAcceptanceIsRefused()
    {
        var (_, pair, mentor, mentee) = await _f.ApprovedPairAsync();

        var declined = await _f.Partnership.ConfirmAsync(_f.PairClaims(LinkPurpose.ConfirmMatch, pair, mentee), new ConfirmInput(false));
        var late = await Assert.ThrowsAsync<MentoringProblemException>(
            () => _f.Partnership.ConfirmAsync(_f.PairClaims(LinkPurpose.ConfirmMatch, pair, mentor), new ConfirmInput(true)));

        Assert.Equal((PairStatus.Declined, ParticipantRole.Mentee), (declined.Status, declined.DeclinedBy));
        Assert.Equal(409, late.Status);
    }

    [Fact]
    public async Task Confirm_WithLinkOfAnotherPurpose_IsRefusedNamingTheLink()
    {
        var (_, pair, mentor, _) = await _f.ApprovedPairAsync();

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(
            () => _f.Partnership.ConfirmAsync(_f.PairClaims(LinkPurpose.Policy, pair, mentor), new ConfirmInput(true)));

        Assert.Equal(["link"], problem.Errors.Keys);
    }

    [Fact]
    public async Task Confirm_WithSameLinkTwice_SecondIsRefusedAsUsed()
    {
        var (_, pair, mentor, _) = await _f.ApprovedPairAsync();
        var claims = _f.PairClaims(LinkPurpose.ConfirmMatch, pair, mentor);
        await _f.Partnership.ConfirmAsync(claims, new ConfirmInput(true));

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Partnership.ConfirmAsync(claims, new ConfirmInput(true)));

        Assert.Equal(["link"], problem.Errors.Keys);
    }

    [Fact]
    public async Task SetPolicy_WithChosenLength_DerivesEndDateAndBumpsPolicyVersion()
    {
        var (pair, mentor, _) = await ActivePairAsync();

        var updated = await _f.Partnership.SetPolicyAsync(_f.PairClaims(LinkPurpose.Policy, pair, mentor), new PolicyInput("weekly", "phone", "6-9"));

        Assert.Equal((MeetingFrequency.Weekly, "phone", new DateOnly(2026, 12, 2), 2), (updated.MeetingFrequency, updated.Communication, updated.EndDate, updated.PolicyVersion));
    }

    [Fact]
    public async Task SetPolicy_WithMalformedValues_NamesEachField()
    {
        var (pair, mentor, _) = await ActivePairAsync();

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(
            () => _f.Partnership.SetPolicyAsync(_f.PairClaims(LinkPurpose.Policy, pair, mentor), new PolicyInput("daily", "fax", "9-12")));

        Assert.Equal(new[] { "communication", "length", "meetingFrequency" }, problem.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Goal_MetThenContinue_RecordsMetGoalAndANewOpenGoal()
    {
        var (pair, mentor, mentee) = await ActivePairAsync();
        await _f.Partnership.SetGoalAsync(_f.PairClaims(LinkPurpose.Goal, pair, mentee), new GoalInput("Give a conference talk", new DateOnly(2026, 6, 1)));

        var met = await _f.Partnership.MarkGoalMetAsync(_f.PairClaims(LinkPurpose.GoalMet, pair, mentor));
        await _f.Partnership.SetGoalAsync(_f.PairClaims(LinkPurpose.Goal, pair, mentee), new GoalInput("Lead a project", new DateOnly(2026, 8, 1), "continue"));

        await using var db = _f.Factory.CreateDbContext();
        var goals = (await db.Set<Goal>().Where(g => g.PairId == pair.Id).ToListAsync()).OrderBy(g => g.Status).ToList();
        Assert.Equal(ParticipantRole.Mentor, met.MetMarkedBy);
        Assert.Equal([GoalStatus.Open, GoalStatus.Met], goals.Select(g => g.Status));
        Assert.Equal("Lead a project", goals[0].Text);
    }

    [Fact]
    public async Task Goal_DecisionClose_ClosesThePairEarly()
    {
        var (pair, _, mentee) = await ActivePairAsync();

        var closed = await _f.Partnership.SetGoalAsync(_f.PairClaims(LinkPurpose.Goal, pair, mentee), new GoalInput(null, null, "close"));

        Assert.Equal(PairStatus.ClosedEarly, closed.Status);
        Assert.Equal(new DateOnly(2026, 3, 2), closed.EndedOn);
    }

    [Fact]
    public async Task Goal_WithTargetAfterTheEndDate_NamesTargetDate()
    {
        var (pair, _, mentee) = await ActivePairAsync();

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(
            () => _f.Partnership.SetGoalAsync(_f.PairClaims(LinkPurpose.Goal, pair, mentee), new GoalInput("x", new DateOnly(2027, 1, 1))));

        Assert.Equal(["targetDate"], problem.Errors.Keys);
    }

    [Fact]
    public async Task CheckIns_CountOneMeetingPerRoundWhenBothSidesSayTheyMet()
    {
        var (pair, mentor, mentee) = await ActivePairAsync();
        await _f.Partnership.AnswerSurveyAsync(_f.PairClaims(LinkPurpose.CheckInSurvey, pair, mentor, 1), new SurveyInput(4, true, ""));
        await _f.Partnership.AnswerSurveyAsync(_f.PairClaims(LinkPurpose.CheckInSurvey, pair, mentee, 1), new SurveyInput(5, true, "great"));
        _f.Clock.Advance(TimeSpan.FromDays(14));
        await _f.Partnership.AnswerSurveyAsync(_f.PairClaims(LinkPurpose.CheckInSurvey, pair, mentee, 2), new SurveyInput(3, true, ""));
        var noMeeting = await _f.Partnership.AnswerSurveyAsync(_f.PairClaims(LinkPurpose.CheckInSurvey, pair, mentee, 3), new SurveyInput(3, false, ""));
        var duplicate = await Assert.ThrowsAsync<MentoringProblemException>(
            () => _f.Partnership.AnswerSurveyAsync(_f.PairClaims(LinkPurpose.CheckInSurvey, pair, mentee, 3), new SurveyInput(3, false, "")));

        await using var db = _f.Factory.CreateDbContext();
        var stored = await db.Set<Pair>().SingleAsync(p => p.Id == pair.Id);
        Assert.Equal(2, stored.MeetingsHeld);
        Assert.Equal(new DateOnly(2026, 3, 16), stored.LastMeetingOn);
        Assert.Equal(3, noMeeting.Round);
        Assert.Equal(409, duplicate.Status);
    }

    [Fact]
    public async Task ClosingSurveys_SetSatisfactionToTheMeanOfBothSides()
    {
        var (pair, mentor, mentee) = await ActivePairAsync();
        await _f.Partnership.AnswerSurveyAsync(_f.PairClaims(LinkPurpose.ClosingSurvey, pair, mentor), new SurveyInput(4, null, ""));
        await _f.Partnership.AnswerSurveyAsync(_f.PairClaims(LinkPurpose.ClosingSurvey, pair, mentee), new SurveyInput(5, null, ""));

        await using var db = _f.Factory.CreateDbContext();
        Assert.Equal(4.5, (await db.Set<Pair>().SingleAsync(p => p.Id == pair.Id)).Satisfaction);
    }

    [Fact]
    public async Task Survey_WithMissingRatingAndMet_NamesBothFields()
    {
        var (pair, mentor, _) = await ActivePairAsync();

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(
            () => _f.Partnership.AnswerSurveyAsync(_f.PairClaims(LinkPurpose.CheckInSurvey, pair, mentor, 1), new SurveyInput(9, null, "")));

        Assert.Equal(new[] { "met", "rating" }, problem.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Testimonial_WithConsent_IsExportedInTestimonialsCsv()
    {
        var (pair, mentor, mentee) = await ActivePairAsync();
        await _f.Partnership.GiveTestimonialAsync(_f.PairClaims(LinkPurpose.Testimonial, pair, mentee), new TestimonialInput("It changed my career, \"really\".", true));
        var missingConsent = await Assert.ThrowsAsync<MentoringProblemException>(
            () => _f.Partnership.GiveTestimonialAsync(_f.PairClaims(LinkPurpose.Testimonial, pair, mentor), new TestimonialInput("short", null)));

        var csv = await _f.Exports.ExportAsync(pair.ProgrammeId, "testimonials.csv");

        Assert.Equal("participant_id,role,date,text,consent\ne1,mentee,2026-03-02,\"It changed my career, \"\"really\"\".\",true\n", csv);
        Assert.Equal(new[] { "consent", "text" }, missingConsent.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RelationshipsCsv_AfterAClosedPair_HasEveryColumnOfTheContract()
    {
        var (pair, mentor, mentee) = await ActivePairAsync();
        await _f.Partnership.SetGoalAsync(_f.PairClaims(LinkPurpose.Goal, pair, mentee), new GoalInput("Talk", new DateOnly(2026, 5, 1)));
        await _f.Partnership.MarkGoalMetAsync(_f.PairClaims(LinkPurpose.GoalMet, pair, mentee));
        await _f.Partnership.AnswerSurveyAsync(_f.PairClaims(LinkPurpose.CheckInSurvey, pair, mentor, 1), new SurveyInput(4, true, ""));
        await _f.Partnership.AnswerSurveyAsync(_f.PairClaims(LinkPurpose.ClosingSurvey, pair, mentor), new SurveyInput(4, null, ""));
        _f.Clock.Advance(TimeSpan.FromDays(200));
        await _f.Partnership.CloseAsync(pair.Id, "manager");

        var csv = await _f.Exports.ExportAsync(pair.ProgrammeId, "relationships.csv");
        var read = MentorFlow.Reporting.Data.RelationshipsCsv.Read(new StringReader(csv), "relationships.csv");

        Assert.Equal(
            "mentor_id,mentee_id,programme,started,planned_end,ended,status,meetings,last_meeting,goal_met,satisfaction\n"
            + "m1,e1,Data community mentoring 2026,2026-03-02,2026-09-02,2026-09-18,completed,1,2026-03-02,true,4\n",
            csv);
        Assert.Empty(read.Errors);
    }

    private async Task<(Pair Pair, Application Mentor, Application Mentee)> ActivePairAsync()
    {
        var (_, pair, mentor, mentee) = await _f.ApprovedPairAsync();
        await _f.Partnership.ConfirmAsync(_f.PairClaims(LinkPurpose.ConfirmMatch, pair, mentor), new ConfirmInput(true));
        var active = await _f.Partnership.ConfirmAsync(_f.PairClaims(LinkPurpose.ConfirmMatch, pair, mentee), new ConfirmInput(true));
        return (active, mentor, mentee);
    }
}
