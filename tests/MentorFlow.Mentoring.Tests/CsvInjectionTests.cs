using MentorFlow.Mentoring.Csv;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Services;
using ApplicationsCsv = MentorFlow.Reporting.Data.ApplicationsCsv;

namespace MentorFlow.Mentoring.Tests;

/// <summary>Exports are safe to open in a spreadsheet, and importing them gives back the original text.</summary>
public sealed class CsvInjectionTests : IDisposable
{
    private const string Calc = "=cmd|' /C calc'!A0";
    private readonly MentoringFixture _f = new();

    public void Dispose() => _f.Dispose();

    public static TheoryData<string> Hostile => [Calc, "+1", "@SUM(A1)", "-2+3", "\tsum", "\rsum", "'=SUM(A1)", "''-x"];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Write_WhenCellStartsLikeAFormula_PrefixesAQuoteAndReadGivesTheOriginalBack(string cell)
    {
        var csv = CsvTable.Write(["name", "score"], [[cell, "-3"]]);

        var row = Assert.Single(CsvTable.Read(csv, "x.csv", ["name", "score"]));
        var written = csv.Split('\n', 2)[1].TrimStart('"');
        Assert.StartsWith("'" + cell[..1], written, StringComparison.Ordinal);
        Assert.Equal(cell, row["name"]);
        Assert.Equal("-3", row["score"]);
        Assert.EndsWith(",-3\n", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-3")]
    [InlineData("-0.25")]
    [InlineData("Ada O'Brien")]
    [InlineData("'just a quote")]
    public void Neutralise_WhenCellIsANegativeNumberOrText_LeavesItAsItIs(string cell)
    {
        Assert.Equal(cell, CsvTable.Neutralise(cell));
        Assert.Equal(cell, CsvTable.Restore(cell));
    }

    [Fact]
    public async Task ExportApplications_WhenApplicantNameIsAFormula_WritesItAsTextAndBothReadersGiveTheNameBack()
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
        var mine = Assert.Single(CsvTable.Read(exported, "applications.csv", ApplicationColumns.Required));
        Assert.Equal(Calc, mine["name"]);
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
