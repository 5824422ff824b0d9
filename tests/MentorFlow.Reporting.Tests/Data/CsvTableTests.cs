using MentorFlow.Reporting.Data;

namespace MentorFlow.Reporting.Tests.Data;

/// <summary>The one CSV reader and writer: what every file of the service and of <c>mentorflow</c> goes through.</summary>
public sealed class CsvTableTests
{
    private static readonly CsvSchema EmailAndName = new(["email", "name"], ["note"]);

    private static CsvReadResult<string[]> Read(string text, int? maxRows = null) =>
        CsvTable.Read(new StringReader(text), "members.csv", EmailAndName, row => new[] { row.Raw("email") ?? "", row.Raw("name") ?? "", row.Raw("note") ?? "" }, maxRows);

    [Fact]
    public void Read_WhenTextStartsWithAByteOrderMark_ReadsTheFirstColumnByItsName()
    {
        var result = Read("\uFEFFemail,name\na@x.test,A\n");

        Assert.Empty(result.Errors);
        Assert.Equal("a@x.test", Assert.Single(result.Rows)[0]);
    }

    [Fact]
    public void Read_WhenHeaderNamesDifferInCaseAndSpaces_MatchesThemAndIgnoresExtraColumns()
    {
        var result = Read(" Email ,NAME,favourite\na@x.test,A,blue\n");

        Assert.Empty(result.Errors);
        Assert.Equal(["a@x.test", "A", ""], Assert.Single(result.Rows));
    }

    [Fact]
    public void Read_WhenFileHasMoreRowsThanTheLimit_RefusesTheWholeFileNamingTheLimit()
    {
        var result = Read("email,name\na@x.test,A\nb@x.test,B\nc@x.test,C\n", maxRows: 2);

        var error = Assert.Single(result.Errors);
        Assert.Empty(result.Rows);
        Assert.Equal(0, error.Line);
        Assert.Null(error.Column);
        Assert.Contains("more than 2 rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenFileOverTheLimitAlsoHasBadRows_ReportsOnlyTheLimitWithTheCallersAdvice()
    {
        var result = CsvTable.Read(
            new StringReader("email,name\nnot-an-email,A\nb@x.test,\nc@x.test,C\n"), "members.csv", EmailAndName,
            row =>
            {
                if (row.Raw("email") is not { } email || !email.Contains('@', StringComparison.Ordinal))
                {
                    row.Error("email", "not an email address");
                    return null;
                }

                return new[] { email, row.Raw("name") ?? "" };
            },
            maxRows: 2,
            advice: "import the members in parts");

        var error = Assert.Single(result.Errors);
        Assert.Equal("members.csv: the file has more than 2 rows: import the members in parts", error.ToString());
    }

    [Fact]
    public void Read_WhenAQuoteIsNeverClosed_ReportsTheLineWhereTheRecordStarts()
    {
        var result = Read("email,name\na@x.test,A\nb@x.test,\"B\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Null(error.Column);
        Assert.Contains("never closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenARecordIsShorterThanTheHeader_ReadsTheMissingCellsAsEmpty()
    {
        var result = Read("email,name,note\na@x.test,A\n");

        Assert.Empty(result.Errors);
        Assert.Equal(["a@x.test", "A", ""], Assert.Single(result.Rows));
    }

    [Fact]
    public void Write_WhenCellsHaveSeparatorsQuotesLineBreaksOrEdgeSpaces_QuotesThemAndReadGivesThemBack()
    {
        string[][] rows = [["a@x.test", "Doe, Jane", " padded "], ["b@x.test", "say \"hi\"", "two\nlines"]];
        var writer = new StringWriter();

        CsvTable.Write(writer, ["email", "name", "note"], rows, row => [.. row]);
        var again = Read(writer.ToString()).OrThrow();

        Assert.Equal("email,name,note\na@x.test,\"Doe, Jane\",\" padded \"\nb@x.test,\"say \"\"hi\"\"\",\"two\nlines\"\n", writer.ToString());
        Assert.Equal(rows, again);
    }
}
