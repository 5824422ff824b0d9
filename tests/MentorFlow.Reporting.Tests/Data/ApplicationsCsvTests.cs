using MentorFlow.Reporting.Data;

namespace MentorFlow.Reporting.Tests.Data;

public sealed class ApplicationsCsvTests
{
    private const string Header =
        "id,role,name,email,time_zone,interests,career_path,goals,expertise,seniority_years,hours_per_month,preferred_length,communication,languages,capacity,statement";

    private const string Mentor =
        "m1,mentor,Ada Lovelace,ada@example.org,Europe/London,Data-Science; public-speaking ;data-science,engineering-management,leadership;career-growth,ml;python,12,6,6-9,video;chat,en;fr,2,\"Happy to help, \"\"really\"\"\"";

    private const string Mentee =
        "e1,mentee,Grace Hopper,grace@example.org,America/New_York,data-science,software-engineering,leadership,,2,,3-6,,,,";

    private static CsvReadResult<Application> Read(string text) => ApplicationsCsv.Read(new StringReader(text), "applications.csv");

    [Fact]
    public void Read_WhenFileIsValid_ReturnsNormalisedApplications()
    {
        var result = Read($"{Header}\n{Mentor}\n{Mentee}\n");

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Rows.Count);
        var mentor = result.Rows[0];
        Assert.Equal(Role.Mentor, mentor.Role);
        Assert.Equal(["data-science", "public-speaking"], mentor.Interests);
        Assert.Equal("engineering-management", mentor.CareerPath);
        Assert.Equal(2, mentor.Capacity);
        Assert.Equal(6, mentor.HoursPerMonth);
        Assert.Equal(ProgrammeLength.SixToNine, mentor.PreferredLength);
        Assert.Equal(["en", "fr"], mentor.Languages);
        Assert.Equal("Happy to help, \"really\"", mentor.Statement);
        var mentee = result.Rows[1];
        Assert.Equal(Role.Mentee, mentee.Role);
        Assert.Equal(0, mentee.Capacity);
        Assert.Null(mentee.HoursPerMonth);
        Assert.Empty(mentee.Expertise);
        Assert.Equal([2, 3], result.Lines);
    }

    [Fact]
    public void Read_WhenExtraColumnsAndOptionalColumnsMissing_IgnoresExtraAndAcceptsFile()
    {
        var text = "id,role,name,email,time_zone,interests,career_path,goals,seniority_years,preferred_length,capacity,favourite_colour\n" +
                   "m1,mentor,A,a@example.org,UTC,x,y,z,3,9-12,1,blue\n";

        var result = Read(text);

        Assert.Empty(result.Errors);
        Assert.Single(result.Rows);
    }

    [Fact]
    public void WriteThenRead_RoundTripsEveryField()
    {
        var rows = Read($"{Header}\n{Mentor}\n{Mentee}\n").OrThrow();
        var writer = new StringWriter();

        ApplicationsCsv.Write(writer, rows);
        var again = Read(writer.ToString()).OrThrow();

        Assert.Equal(rows.Count, again.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i].Id, again[i].Id);
            Assert.Equal(rows[i].Interests, again[i].Interests);
            Assert.Equal(rows[i].Goals, again[i].Goals);
            Assert.Equal(rows[i].Statement, again[i].Statement);
            Assert.Equal(rows[i].Capacity, again[i].Capacity);
            Assert.Equal(rows[i].HoursPerMonth, again[i].HoursPerMonth);
        }
    }

    public static TheoryData<string, string, int, string?, string> BadFiles => new()
    {
        // name, csv (after the header), line, column, expected message fragment
        { "duplicate id", $"{Mentor}\n{Mentor}", 3, "id", "duplicate id 'm1'" },
        { "unknown role", Mentee.Replace(",mentee,", ",coach,", StringComparison.Ordinal), 2, "role", "unknown role 'coach'" },
        { "mentor capacity zero", Mentor.Replace(",2,\"Happy", ",0,\"Happy", StringComparison.Ordinal), 2, "capacity", "at least 1" },
        { "mentor capacity missing", Mentor.Replace(",2,\"Happy", ",,\"Happy", StringComparison.Ordinal), 2, "capacity", "needs a capacity" },
        { "mentor capacity not a number", Mentor.Replace(",2,\"Happy", ",two,\"Happy", StringComparison.Ordinal), 2, "capacity", "not a whole number" },
        { "bad time zone", Mentee.Replace("America/New_York", "Mars/Olympus", StringComparison.Ordinal), 2, "time_zone", "IANA" },
        { "unknown preferred length", Mentee.Replace(",3-6,", ",12-18,", StringComparison.Ordinal), 2, "preferred_length", "unknown preferred_length '12-18'" },
        { "invalid email", Mentee.Replace("grace@example.org", "grace at example", StringComparison.Ordinal), 2, "email", "not a valid email" },
        { "email with display name", Mentee.Replace("grace@example.org", "\"Grace <grace@example.org>\"", StringComparison.Ordinal), 2, "email", "not a valid email" },
        { "negative seniority", Mentee.Replace(",2,,3-6,", ",-1,,3-6,", StringComparison.Ordinal), 2, "seniority_years", "at least 0" },
        { "hours per month zero", Mentee.Replace(",2,,3-6,", ",2,0,3-6,", StringComparison.Ordinal), 2, "hours_per_month", "greater than 0" },
        { "hours per month not a number", Mentee.Replace(",2,,3-6,", ",2,lots,3-6,", StringComparison.Ordinal), 2, "hours_per_month", "not a number" },
        { "missing interests", Mentee.Replace(",data-science,", ", ; ,", StringComparison.Ordinal), 2, "interests", "at least one tag" },
        { "two career paths", Mentee.Replace("software-engineering", "a;b", StringComparison.Ordinal), 2, "career_path", "exactly one" },
        { "missing goals", Mentee.Replace(",leadership,", ",,", StringComparison.Ordinal), 2, "goals", "at least one tag" },
        { "unknown communication", Mentee.Replace(",3-6,,,,", ",3-6,pigeon,,,", StringComparison.Ordinal), 2, "communication", "unknown communication 'pigeon'" },
        { "bad language code", Mentee.Replace(",3-6,,,,", ",3-6,,english,,", StringComparison.Ordinal), 2, "languages", "ISO 639-1" },
        { "missing name", Mentee.Replace("Grace Hopper", "", StringComparison.Ordinal), 2, "name", "a value is required" },
        { "missing id", Mentee.Replace("e1,mentee", ",mentee", StringComparison.Ordinal), 2, "id", "a value is required" },
        { "stray quote", Mentee.Replace("Grace Hopper", "Grace \"Amazing\" Hopper", StringComparison.Ordinal), 2, null, "badly quoted" },
        { "error on a later line", $"{Mentor}\n{Mentee}\n{Mentee.Replace("e1,", "e2,", StringComparison.Ordinal).Replace(",3-6,", ",1-2,", StringComparison.Ordinal)}", 4, "preferred_length", "unknown preferred_length" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Read_WhenFileBreaksTheContract_ReportsFileLineAndColumn(string name, string body, int line, string? column, string message)
    {
        var result = Read($"{Header}\n{body}\n");

        Assert.False(result.IsValid, name);
        var error = Assert.Single(result.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal("applications.csv", error.File);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
    }

    [Theory]
    [InlineData("role")]
    [InlineData("time_zone")]
    [InlineData("preferred_length")]
    public void Read_WhenRequiredColumnIsMissing_NamesTheColumn(string missing)
    {
        var columns = Header.Split(',').Where(c => c != missing);
        var result = Read(string.Join(',', columns) + "\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.Line);
        Assert.Equal(missing, error.Column);
        Assert.Contains("required column is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenFileIsEmpty_ReportsMissingHeader()
    {
        var result = Read(string.Empty);

        Assert.Contains(result.Errors, e => e.Message.Contains("header", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WhenSeveralRowsAreBad_ReturnsEveryErrorNotOnlyTheFirst()
    {
        var bad1 = Mentee.Replace(",3-6,", ",x,", StringComparison.Ordinal);
        var bad2 = Mentee.Replace("e1,", "e2,", StringComparison.Ordinal).Replace("grace@example.org", "nope", StringComparison.Ordinal)
            .Replace("America/New_York", "Nowhere", StringComparison.Ordinal);

        var result = Read($"{Header}\n{bad1}\n{bad2}\n");

        Assert.Equal(3, result.Errors.Count);
        Assert.Equal([2, 3, 3], result.Errors.Select(e => e.Line));
        var exception = Assert.Throws<CsvDataException>(() => result.OrThrow());
        Assert.Equal(3, exception.Errors.Count);
        Assert.Equal("applications.csv", exception.File);
        Assert.Equal(2, exception.Line);
        Assert.Equal("preferred_length", exception.Column);
    }

    [Fact]
    public void Read_WhenQuotedFieldSpansLines_ReportsTheLineWhereTheRecordStarts()
    {
        var multiLine = Mentor.Replace("\"Happy to help, \"\"really\"\"\"", "\"line one\nline two\"", StringComparison.Ordinal);
        var bad = Mentee.Replace(",3-6,", ",x,", StringComparison.Ordinal);

        var result = Read($"{Header}\n{multiLine}\n{bad}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(4, error.Line);
        Assert.Equal("line one\nline two", result.Rows[0].Statement);
    }

    [Fact]
    public void Read_WhenFileDoesNotExist_ReportsTheFile()
    {
        var result = ApplicationsCsv.Read(Path.Combine(Path.GetTempPath(), "mentorflow-no-such-file.csv"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("mentorflow-no-such-file.csv", error.File);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }
}
