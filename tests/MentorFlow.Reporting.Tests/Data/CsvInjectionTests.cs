using MentorFlow.Reporting.Data;

namespace MentorFlow.Reporting.Tests.Data;

/// <summary>
/// The one CSV writer (every export of the service and of <c>mentorflow</c>) neutralises cells a spreadsheet would run
/// as formulas, and the one reader undoes it.
/// </summary>
public sealed class CsvInjectionTests
{
    private static readonly CsvSchema NameAndScore = new(["name", "score"], []);

    public static TheoryData<string> Hostile => ["=cmd|' /C calc'!A0", "+1", "@SUM(A1)", "-2+3", "\tx", "\rx", "'=already quoted", "''-x"];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Neutralise_WhenCellStartsLikeAFormula_PrefixesAQuoteAndRestoreGivesItBack(string cell)
    {
        var written = CsvTable.Neutralise(cell);

        Assert.Equal("'" + cell, written);
        Assert.Equal(cell, CsvTable.Restore(written));
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Write_WhenCellStartsLikeAFormula_PrefixesAQuoteAndReadGivesTheOriginalBack(string cell)
    {
        var writer = new StringWriter();

        CsvTable.Write(writer, ["name", "score"], [cell], c => [c, "-3"]);
        var csv = writer.ToString();
        var row = Assert.Single(CsvTable.Read(new StringReader(csv), "x.csv", NameAndScore, r => new[] { r.Raw("name"), r.Raw("score") }).OrThrow());

        var written = csv.Split('\n', 2)[1].TrimStart('"');
        Assert.StartsWith("'" + cell[..1], written, StringComparison.Ordinal);
        Assert.Equal(cell, row[0]);
        Assert.Equal("-3", row[1]);
        Assert.EndsWith(",-3\n", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-3")]
    [InlineData("-0.25")]
    [InlineData("Ada Lovelace")]
    [InlineData("Ada O'Brien")]
    [InlineData("it's fine")]
    [InlineData("'quoted but harmless")]
    [InlineData("'just a quote")]
    [InlineData("")]
    public void Neutralise_WhenCellIsANegativeNumberOrPlainText_LeavesIt(string cell)
    {
        Assert.Equal(cell, CsvTable.Neutralise(cell));
        Assert.Equal(cell, CsvTable.Restore(cell));
    }

    [Fact]
    public void ApplicationsCsv_WhenNameIsAFormula_WritesItAsTextAndReadsTheOriginalBack()
    {
        var hostile = TestData.Application("m1", Role.Mentor, statement: "@SUM(A1)") with { Name = "=cmd|' /C calc'!A0" };
        var writer = new StringWriter();

        ApplicationsCsv.Write(writer, [hostile]);
        var text = writer.ToString();
        var again = Assert.Single(ApplicationsCsv.Read(new StringReader(text), "applications.csv").OrThrow());

        var dataLine = text.Split('\n')[1];
        Assert.Contains(",'=cmd|' /C calc'!A0,", dataLine, StringComparison.Ordinal);
        Assert.Contains("'@SUM(A1)", dataLine, StringComparison.Ordinal);
        Assert.DoesNotContain(",=", dataLine, StringComparison.Ordinal);
        Assert.Equal("=cmd|' /C calc'!A0", again.Name);
        Assert.Equal("@SUM(A1)", again.Statement);
    }

    [Fact]
    public void PairsCsv_WhenIdsAndReasonsStartLikeFormulas_NeutralisesThemAndRoundTrips()
    {
        var pairs = new[] { new Pair("+1", "-2+3", 0.5, "=HYPERLINK(\"http://evil\")") };
        var writer = new StringWriter();

        PairsCsv.Write(writer, pairs);
        var again = PairsCsv.Read(new StringReader(writer.ToString()), "pairs.csv").OrThrow();

        Assert.Equal("mentor_id,mentee_id,score,reasons\n'+1,'-2+3,0.5000,\"'=HYPERLINK(\"\"http://evil\"\")\"\n", writer.ToString());
        Assert.Equal(pairs, again);
    }

    [Fact]
    public void RelationshipsCsv_WhenProgrammeNameIsAFormula_NeutralisesItButKeepsNumbersNumeric()
    {
        var relationship = new Relationship
        {
            MentorId = "m1",
            MenteeId = "e1",
            Programme = "@evil",
            Started = new DateOnly(2026, 1, 1),
            PlannedEnd = new DateOnly(2026, 7, 1),
            Status = RelationshipStatus.Active,
            Meetings = 3,
            Satisfaction = 4.5,
        };
        var writer = new StringWriter();

        RelationshipsCsv.Write(writer, [relationship]);
        var again = Assert.Single(RelationshipsCsv.Read(new StringReader(writer.ToString()), "relationships.csv").OrThrow());

        Assert.Contains("m1,e1,'@evil,2026-01-01", writer.ToString(), StringComparison.Ordinal);
        Assert.Equal(relationship, again);
    }

    [Fact]
    public void Readers_WhenNumericColumnHoldsANeutralisedNegativeNumber_ReadItAsTheNumber()
    {
        // A spreadsheet user may save "'-1" into a numeric column; the reader takes the number (and the range check names it).
        var result = OutcomesCsv.Read(new StringReader("mentor_id,mentee_id,completed,satisfaction,goal_met\nm1,e1,true,'-1,true\n"), "outcomes.csv");

        var error = Assert.Single(result.Errors);
        Assert.Equal("satisfaction", error.Column);
        Assert.Contains("got -1", error.Message, StringComparison.Ordinal);
    }
}
