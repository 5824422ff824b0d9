using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Services;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Mentoring.Tests;

public sealed class ProgrammeServiceTests : IDisposable
{
    private readonly MentoringFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Create_WithEveryFieldValid_StoresAllFieldsAndAuditsIt()
    {
        var programme = await _f.Programmes.CreateAsync(MentoringFixture.ValidProgramme(), "manager");

        var stored = await _f.Programmes.GetAsync(programme.Id);
        Assert.Equal("Data community mentoring 2026", stored.Name);
        Assert.Equal([MentorFlow.Reporting.Data.ProgrammeLength.ThreeToSix, MentorFlow.Reporting.Data.ProgrammeLength.SixToNine], stored.LengthOptions);
        Assert.Equal("https://contoso.test/guide", Assert.Single(stored.Resources).Url);
        Assert.Equal(MeetingFrequency.EveryTwoWeeks, stored.DefaultMeetingFrequency);
        Assert.Equal(ProgrammePhase.Draft, stored.Phase);
        await using var db = _f.Factory.CreateDbContext();
        Assert.Equal("programme.created", (await db.Set<AuditEntry>().SingleAsync()).Action);
    }

    [Fact]
    public async Task Create_WithMalformedFields_NamesEachFieldAndSavesNothing()
    {
        var input = MentoringFixture.ValidProgramme() with
        {
            Name = " ",
            OrganizerMailbox = "not-an-address",
            TimeZone = "Mars/Olympus",
            Language = "xx",
            Resources = [new ResourceInput("", "ftp://x")],
            LengthOptions = ["1-2"],
            TargetMenteesPerMentor = 0,
            PollClosesAt = MentoringFixture.Start.AddDays(-1),
            ApplicationsCloseAt = MentoringFixture.Start.AddDays(-2),
            DefaultMeetingFrequency = "daily",
            DefaultCommunication = "pigeon",
            ConfirmationDays = 0,
            KickOffDays = 99,
        };

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Programmes.CreateAsync(input, "manager"));

        Assert.Equal(400, problem.Status);
        Assert.Equal(
            new[]
            {
                "applicationsCloseAt", "confirmationDays", "defaultCommunication", "defaultMeetingFrequency", "kickOffDays", "language",
                "lengthOptions", "name", "organizerMailbox", "pollClosesAt", "resources[0].title", "resources[0].url",
                "targetMenteesPerMentor", "timeZone",
            },
            problem.Errors.Keys.Order(StringComparer.Ordinal));
        await using var db = _f.Factory.CreateDbContext();
        Assert.Empty(await db.Set<Programme>().ToListAsync());
        Assert.Empty(await db.Set<AuditEntry>().ToListAsync());
    }

    [Fact]
    public async Task MoveTo_WhenLifecycleDoesNotAllowIt_ReturnsConflictNamingPhase()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Poll);

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Programmes.MoveToAsync(programme.Id, ProgrammePhase.Running, "manager"));

        Assert.Equal(409, problem.Status);
        Assert.Contains("phase", problem.Errors.Keys);
        Assert.Equal(ProgrammePhase.Poll, (await _f.Programmes.GetAsync(programme.Id)).Phase);
    }

    [Fact]
    public async Task Get_WhenProgrammeUnknown_ReturnsNotFound()
    {
        var problem = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Programmes.GetAsync(Guid.NewGuid()));
        Assert.Equal(404, problem.Status);
    }

    [Fact]
    public async Task ImportMembers_WithOneBadRow_NamesLineAndColumnAndImportsNothing()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Draft);
        const string csv = "email,name,seniority_years\nana@contoso.test,Ana,10\nbad-address,Bob,3\ncarl@contoso.test,\"Carl, Jr.\",abc\n";

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Programmes.ImportMembersAsync(programme.Id, csv, "manager"));

        Assert.Equal(new[] { "line 3: email", "line 4: seniority_years" }, problem.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(await _f.Programmes.MembersAsync(programme.Id));
    }

    [Fact]
    public async Task ImportMembers_WhenRequiredColumnMissing_NamesTheColumn()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Draft);

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Programmes.ImportMembersAsync(programme.Id, "mail,name\na@b.test,A\n", "manager"));

        Assert.Contains("email", problem.Errors.Keys);
    }

    [Fact]
    public async Task ImportMembers_Twice_UpdatesExistingMembersInsteadOfDuplicating()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Draft);
        await _f.Programmes.ImportMembersAsync(programme.Id, "email,name,seniority_years\nana@contoso.test,Ana,10\n", "manager");

        var result = await _f.Programmes.ImportMembersAsync(programme.Id, "email,name\nANA@contoso.test,Ana Diaz\nbo@contoso.test,Bo\n", "manager");

        Assert.Equal(new MemberImportResult(1, 1, 2), result);
        var members = await _f.Programmes.MembersAsync(programme.Id);
        Assert.Equal(["Ana Diaz", "Bo"], members.Select(m => m.Name));
        Assert.Equal(10, members[0].SeniorityYears);
    }

    [Fact]
    public async Task PollResults_WhenMentorsCannotCoverMenteesAtTarget_ReportShortageAndRecruitmentCandidates()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Poll);
        await _f.Programmes.ImportMembersAsync(programme.Id,
            "email,name,seniority_years\nm@c.test,M,15\ne1@c.test,E1,2\ne2@c.test,E2,12\ne3@c.test,E3,1\ne4@c.test,E4,9\nq@c.test,Quiet,20\n", "manager");
        foreach (var (email, choice) in new[] { ("m@c.test", "mentor"), ("e1@c.test", "mentee"), ("e2@c.test", "mentee"), ("e3@c.test", "mentee"), ("e4@c.test", "mentee") })
        {
            await _f.Participation.SubmitPollAsync(_f.Claims(LinkPurpose.Poll, programme.Id, email), new PollInput(null, choice, ["sql"]));
        }

        var results = await _f.Programmes.PollResultsAsync(programme.Id);
        var candidates = await _f.Programmes.RecruitmentCandidatesAsync(programme.Id);

        Assert.Equal((1, 4, 0), (results.Mentors, results.Mentees, results.Both));
        Assert.True(results.MentorShortage);
        Assert.Equal(1, results.MentorsMissing);
        Assert.Equal(4, results.MenteesPerMentor);
        Assert.Equal(["q@c.test", "e2@c.test", "e4@c.test"], candidates.Select(c => c.Email));
    }

    [Fact]
    public async Task SubmitPoll_AfterClosingDate_IsRefusedAsClosed()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Poll);
        var link = _f.Links.Issue(LinkPurpose.Poll, programme.Id, "late@c.test", lifetime: TimeSpan.FromDays(30));
        _f.Clock.Advance(TimeSpan.FromDays(15));

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(
            () => _f.Participation.SubmitPollAsync(_f.Links.Verify(link).Claims!, new PollInput(null, "mentor", null)));

        Assert.Equal(409, problem.Status);
        Assert.Contains("poll", problem.Errors.Keys);
    }

    [Fact]
    public async Task SubmitPoll_WithoutChoice_NamesChoiceAndDoesNotUseTheLink()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Poll);
        var claims = _f.Claims(LinkPurpose.Poll, programme.Id, "a@c.test");

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Participation.SubmitPollAsync(claims, new PollInput(null, "sometimes", null)));
        await _f.Participation.SubmitPollAsync(claims, new PollInput(null, "both", null));

        Assert.Contains("choice", problem.Errors.Keys);
        Assert.Equal(1, (await _f.Programmes.PollResultsAsync(programme.Id)).Both);
    }
}
