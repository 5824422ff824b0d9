using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Services;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Mentoring.Tests;

public sealed class PrivacyTests : IDisposable
{
    private readonly MentoringFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Export_ReturnsEverythingAboutThePersonAndIsAudited()
    {
        var (_, pair, mentor, mentee) = await _f.ApprovedPairAsync();
        await _f.Partnership.ConfirmAsync(_f.PairClaims(LinkPurpose.ConfirmMatch, pair, mentee), new ConfirmInput(true));

        var export = await _f.Privacy.ExportAsync("MENTEE@contoso.test", "manager");

        Assert.Equal("mentee@contoso.test", Assert.Single(export.Applications).Email);
        Assert.Equal(pair.Id, Assert.Single(export.Pairs).Id);
        Assert.Contains(export.AuditEntries, e => e.Action == "match.accepted");
        await using var db = _f.Factory.CreateDbContext();
        var audit = await db.Set<AuditEntry>().SingleAsync(e => e.Action == "privacy.exported");
        Assert.DoesNotContain("mentee@contoso.test", audit.Subject, StringComparison.Ordinal);
        _ = mentor;
    }

    [Fact]
    public async Task Erase_AnonymisesApplicationsDeletesPersonalRowsClosesRunningPairsAndAudits()
    {
        var (programme, pair, mentor, mentee) = await _f.ApprovedPairAsync();
        await _f.Partnership.ConfirmAsync(_f.PairClaims(LinkPurpose.ConfirmMatch, pair, mentor), new ConfirmInput(true));
        await _f.Partnership.ConfirmAsync(_f.PairClaims(LinkPurpose.ConfirmMatch, pair, mentee), new ConfirmInput(true));
        await _f.Partnership.GiveTestimonialAsync(_f.PairClaims(LinkPurpose.Testimonial, pair, mentee), new TestimonialInput("A wonderful programme.", true));
        await _f.Partnership.AnswerSurveyAsync(_f.PairClaims(LinkPurpose.CheckInSurvey, pair, mentee, 1), new SurveyInput(5, true, "my private note"));

        var result = await _f.Privacy.EraseAsync("mentee@contoso.test", "manager");

        await using var db = _f.Factory.CreateDbContext();
        var application = await db.Set<Application>().SingleAsync(a => a.Id == mentee.Id);
        Assert.Equal("(erased)", application.Name);
        Assert.EndsWith("@erased.invalid", application.Email, StringComparison.Ordinal);
        Assert.Empty(await db.Set<Testimonial>().ToListAsync());
        Assert.Equal("", (await db.Set<SurveyResponse>().SingleAsync()).Comment);
        Assert.Equal(PairStatus.ClosedEarly, (await db.Set<Pair>().SingleAsync()).Status);
        Assert.Equal(pair.Id, Assert.Single(result.ClosedPairs).Id);
        var audit = await db.Set<AuditEntry>().ToListAsync();
        Assert.Contains(audit, e => e.Action == "privacy.erased" && e.Subject == result.Subject);
        Assert.DoesNotContain(audit, e => e.Actor == "participant:e1" || e.Subject.Contains("mentee@contoso.test", StringComparison.Ordinal));
        var notFound = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Privacy.ExportAsync("mentee@contoso.test", "manager"));
        Assert.Equal(404, notFound.Status);
        _ = programme;
    }

    [Fact]
    public async Task Erase_WithMalformedAddress_NamesEmail()
    {
        var problem = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Privacy.EraseAsync("nobody", "manager"));

        Assert.Equal(["email"], problem.Errors.Keys);
    }
}
