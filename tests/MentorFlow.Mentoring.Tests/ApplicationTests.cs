using MentorFlow.Mentoring.Domain;
using Microsoft.EntityFrameworkCore;
using ApplicationsCsv = MentorFlow.Reporting.Data.ApplicationsCsv;

namespace MentorFlow.Mentoring.Tests;

public sealed class ApplicationTests : IDisposable
{
    private const string Header = "id,role,name,email,time_zone,interests,career_path,goals,expertise,seniority_years,hours_per_month,preferred_length,communication,languages,capacity,statement\n";
    private readonly MentoringFixture _f = new();

    public void Dispose() => _f.Dispose();

    public static TheoryData<string, ApplicationInput> BadFields => new()
    {
        { "role", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { Role = "coach" } },
        { "role", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { Role = null } },
        { "name", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { Name = "  " } },
        { "email", MentoringFixture.ValidApplication("x", "mentor", "not an email") },
        { "timeZone", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { TimeZone = "GMT+1" } },
        { "timeZone", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { TimeZone = "W. Europe Standard Time" } },
        { "interests", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { Interests = [" ", ""] } },
        { "careerPath", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { CareerPath = null } },
        { "goals", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { Goals = [] } },
        { "interests", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { Interests = [.. Enumerable.Range(0, 21).Select(i => $"topic-{i}")] } },
        { "careerPath", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { CareerPath = new string('c', 61) } },
        { "seniorityYears", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { SeniorityYears = -1 } },
        { "seniorityYears", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { SeniorityYears = null } },
        { "hoursPerMonth", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { HoursPerMonth = 0 } },
        { "preferredLength", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { PreferredLength = "12-18" } },
        { "preferredLength", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { PreferredLength = "9-12" } },
        { "communication", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { Communication = ["fax"] } },
        { "languages", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { Languages = ["english"] } },
        { "capacity", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { Capacity = 0 } },
        { "capacity", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { Capacity = null } },
        { "statement", MentoringFixture.ValidApplication("x", "mentor", "x@c.test") with { Statement = new string('s', 4001) } },
        { "id", MentoringFixture.ValidApplication("has space", "mentor", "x@c.test") },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Add_WithOneMalformedField_NamesThatFieldAndSavesNothing(string field, ApplicationInput input)
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Applications);

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Participation.AddAsync(programme.Id, input, "manager"));

        Assert.Equal(400, problem.Status);
        Assert.Equal([field], problem.Errors.Keys);
        Assert.Empty(await _f.Participation.ListAsync(programme.Id));
    }

    [Fact]
    public async Task Add_MenteeWithCapacity_IgnoresCapacityAndNormalisesTags()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Applications);
        var input = MentoringFixture.ValidApplication("e1", "Mentee", "Ana@Contoso.test") with { Capacity = 0, Interests = [" Data-Science ", "data-science", "SQL"] };

        var application = await _f.Participation.AddAsync(programme.Id, input, "manager");

        Assert.Null(application.Capacity);
        Assert.Equal("ana@contoso.test", application.Email);
        Assert.Equal(["data-science", "sql"], application.Interests);
    }

    [Fact]
    public async Task Add_SecondApplicationOfSamePerson_IsConflictNamingEmail()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Applications);
        await _f.Participation.AddAsync(programme.Id, MentoringFixture.ValidApplication("a1", "mentor", "ana@c.test"), "manager");

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(
            () => _f.Participation.AddAsync(programme.Id, MentoringFixture.ValidApplication("a2", "mentee", "ANA@c.test"), "manager"));

        Assert.Equal(409, problem.Status);
        Assert.Equal(["email"], problem.Errors.Keys);
    }

    [Fact]
    public async Task Apply_ByLink_UsesTheLinksEmailAndRefusesTheSameLinkTwice()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Applications);
        var claims = _f.Claims(LinkPurpose.Apply, programme.Id, "linked@c.test");

        var application = await _f.Participation.ApplyAsync(claims, MentoringFixture.ValidApplication("", "mentee", "someone-else@c.test"));
        var again = await Assert.ThrowsAsync<MentoringProblemException>(
            () => _f.Participation.ApplyAsync(claims, MentoringFixture.ValidApplication("", "mentee", "x@c.test")));

        Assert.Equal("linked@c.test", application.Email);
        Assert.StartsWith("p-", application.ExternalId, StringComparison.Ordinal);
        Assert.Equal(409, again.Status);
    }

    [Fact]
    public async Task Import_WithBadRows_NamesLineAndColumnOfEachAndImportsNothing()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Applications);
        var csv = Header
            + "m1,mentor,Mia,mia@c.test,Europe/London,data-science;sql,data-engineering,leadership,python,12,4,3-6,video;chat,en,2,\"Happy to help, truly\"\n"
            + "e1,mentee,Eli,eli@c.test,Nowhere/City,ml,data-science,career,,2,,6-9,,en,,\n"
            + "e2,mentee,Eve,mia@c.test,Europe/Paris,ml,data-science,career,,x,,3-6,,en,,\n"
            + "m1,mentor,Max,max@c.test,Europe/Paris,ml,data-science,career,,20,,3-6,,en,0,\n";

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Participation.ImportAsync(programme.Id, csv, "manager"));

        Assert.Equal(
            new[] { "line 3: time_zone", "line 4: email", "line 4: seniority_years", "line 5: capacity", "line 5: id" },
            problem.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(await _f.Participation.ListAsync(programme.Id));
    }

    [Fact]
    public async Task Import_WhenRequiredColumnMissing_NamesTheColumn()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Applications);

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(
            () => _f.Participation.ImportAsync(programme.Id, "id,role,name,email\nm1,mentor,M,m@c.test\n", "manager"));

        Assert.Contains("time_zone", problem.Errors.Keys);
        Assert.Contains("preferred_length", problem.Errors.Keys);
    }

    [Fact]
    public async Task Import_WithUnclosedQuote_IsRefusedNamingTheLine()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Applications);

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(
            () => _f.Participation.ImportAsync(programme.Id, Header + "m1,mentor,\"Mia,mia@c.test\n", "manager"));

        Assert.Equal(["line 2"], problem.Errors.Keys);
        Assert.Contains("docs/data-formats.md", problem.Errors["line 2"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_WhenRequiredColumnMissing_SaysWhichFileAndPointsToTheFormat()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Applications);

        var problem = await Assert.ThrowsAsync<MentoringProblemException>(
            () => _f.Participation.ImportAsync(programme.Id, "id,role,name,email\nm1,mentor,M,m@c.test\n", "manager"));

        var message = Assert.Single(problem.Errors["time_zone"]);
        Assert.Contains("applications.csv", message, StringComparison.Ordinal);
        Assert.Contains("docs/data-formats.md", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_WhenSpreadsheetLeftBlankRows_SkipsThemAndImportsTheRest()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Applications);
        var csv = Header
            + "m1,mentor,Mia,mia@c.test,Europe/London,sql,data,leadership,,12,,3-6,,en,2,\n"
            + ",,,,,,,,,,,,,,,\n"
            + " , ,,,,,,,,,,,,,,\n"
            + "e1,mentee,Eli,eli@c.test,Europe/London,sql,data,career,,2,,3-6,,en,,\n";

        var result = await _f.Participation.ImportAsync(programme.Id, csv, "manager");

        Assert.Equal(2, result.Imported);
    }

    [Fact]
    public async Task ExportApplications_AfterImport_IsReadBackByTheReportingReaderWithEveryField()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Applications);
        var csv = Header
            + "m1,mentor,Mia,mia@c.test,Europe/London,data-science;sql,data-engineering,leadership,python,12,4.5,3-6,video;chat,en;es,2,\"Happy to help, \"\"truly\"\"\nand more\"\n"
            + "e1,mentee,Eli,eli@c.test,America/New_York,ml,data-science,career,,2,,6-9,,en,,\n";
        await _f.Participation.ImportAsync(programme.Id, csv, "manager");

        var exported = await _f.Exports.ExportAsync(programme.Id, "applications.csv");
        var read = ApplicationsCsv.Read(new StringReader(exported), "applications.csv");

        Assert.Empty(read.Errors);
        var mia = read.Rows.Single(r => r.Id == "m1");
        Assert.Equal(["data-science", "sql"], mia.Interests);
        Assert.Equal(4.5, mia.HoursPerMonth);
        Assert.Equal(2, mia.Capacity);
        Assert.Equal(["en", "es"], mia.Languages);
        Assert.Equal("Happy to help, \"truly\"\nand more", mia.Statement);
        Assert.Equal(MentorFlow.Reporting.Data.ProgrammeLength.SixToNine, read.Rows.Single(r => r.Id == "e1").PreferredLength);
        await using var db = _f.Factory.CreateDbContext();
        Assert.Equal(2, await db.Set<Application>().CountAsync());
    }
}
