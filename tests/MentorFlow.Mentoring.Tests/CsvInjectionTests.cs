using MentorFlow.Mentoring.Domain;
using ApplicationsCsv = MentorFlow.Reporting.Data.ApplicationsCsv;

namespace MentorFlow.Mentoring.Tests;

/// <summary>
/// The service's exports are safe to open in a spreadsheet, and importing them gives back the original text (the
/// writer's own rule is tested in MentorFlow.Reporting.Tests, Data/CsvInjectionTests).
/// </summary>
public sealed class CsvInjectionTests : IDisposable
{
    private const string Calc = "=cmd|' /C calc'!A0";
    private readonly MentoringFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task ExportApplications_WhenApplicantNameIsAFormula_WritesItAsTextAndReaderAndImportGiveTheNameBack()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Applications);
        await _f.Participation.AddAsync(programme.Id, MentoringFixture.ValidApplication("m1", "mentor", "m1@c.test") with
        {
            Name = Calc,
            Statement = "@SUM(A1:A9)",
        }, "manager");

        var exported = await _f.Exports.ExportAsync(programme.Id, "applications.csv");

        var line = exported.Split('\n')[1];
        Assert.Contains(",'" + Calc + ",", line, StringComparison.Ordinal);
        Assert.Contains(",'@SUM(A1:A9)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("," + Calc, line, StringComparison.Ordinal);
        var other = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Applications);
        await _f.Participation.ImportAsync(other.Id, exported, "manager");
        var imported = Assert.Single(await _f.Participation.ListAsync(other.Id));
        Assert.Equal(Calc, imported.Name);
        Assert.Equal("@SUM(A1:A9)", imported.Statement);
        var reporting = Assert.Single(ApplicationsCsv.Read(new StringReader(exported), "applications.csv").OrThrow());
        Assert.Equal(Calc, reporting.Name);
        Assert.Equal("@SUM(A1:A9)", reporting.Statement);
    }

    [Fact]
    public async Task ExportMembers_WhenImportedNameIsAFormula_NeutralisesItAndReimportKeepsTheName()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Draft);
        await _f.Programmes.ImportMembersAsync(programme.Id, "email,name,seniority_years\nada@c.test,+1-555-0100,3\n", "manager");

        var exported = await _f.Exports.ExportAsync(programme.Id, "members.csv");
        await _f.Programmes.ImportMembersAsync(programme.Id, exported, "manager");
        var again = await _f.Exports.ExportAsync(programme.Id, "members.csv");

        Assert.Equal("email,name,seniority_years\nada@c.test,'+1-555-0100,3\n", exported);
        Assert.Equal(exported, again);
    }
}
