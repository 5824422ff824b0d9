using MentorFlow.Reporting.Data;

namespace MentorFlow.Reporting.Tests.Data;

public sealed class OtherFilesCsvTests
{
    [Fact]
    public void Outcomes_WhenValid_ReadsEverySignal()
    {
        var result = OutcomesCsv.Read(new StringReader("mentor_id,mentee_id,completed,satisfaction,goal_met\nm1,e1,true,4.5,false\n"), "outcomes.csv");

        var outcome = Assert.Single(result.OrThrow());
        Assert.Equal(new Outcome("m1", "e1", true, 4.5, false), outcome);
    }

    [Theory]
    [InlineData("m1,e1,yes,4,true", "completed", "not 'true' or 'false'")]
    [InlineData("m1,e1,true,6,true", "satisfaction", "at most 5")]
    [InlineData("m1,e1,true,0.5,true", "satisfaction", "at least 1")]
    [InlineData(",e1,true,3,true", "mentor_id", "a value is required")]
    public void Outcomes_WhenRowIsBad_NamesTheColumn(string row, string column, string message)
    {
        var result = OutcomesCsv.Read(new StringReader($"mentor_id,mentee_id,completed,satisfaction,goal_met\n{row}\n"), "outcomes.csv");

        var error = Assert.Single(result.Errors);
        Assert.Equal((2, column), (error.Line, error.Column));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outcomes_WhenPairRepeats_ReportsDuplicate()
    {
        var result = OutcomesCsv.Read(new StringReader("mentor_id,mentee_id,completed,satisfaction,goal_met\nm1,e1,true,4,true\nm1,e1,false,2,false\n"), "outcomes.csv");

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("duplicate pair m1/e1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outcomes_CheckReferences_ReportsUnknownIdsAndWrongRoles()
    {
        var applications = new[]
        {
            TestData.Application("m1", Role.Mentor),
            TestData.Application("e1", Role.Mentee),
        };
        var outcomes = OutcomesCsv.Read(new StringReader("mentor_id,mentee_id,completed,satisfaction,goal_met\nm1,e1,true,4,true\ne1,zz,true,4,true\n"), "outcomes.csv");

        var errors = OutcomesCsv.CheckReferences(outcomes, applications, "outcomes.csv");

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e is { Line: 3, Column: "mentor_id" } && e.Message.Contains("is a mentee", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Line: 3, Column: "mentee_id" } && e.Message.Contains("'zz' is not an id", StringComparison.Ordinal));
    }

    [Fact]
    public void Pairs_RoundTripMatchedAndUnmatched()
    {
        var pairs = new[]
        {
            new Pair("m1", "e1", 0.8123, "shared interests 0.6; same career path"),
            new Pair(null, "e2", null, "no mentor scored above the minimum 0.35"),
        };
        var writer = new StringWriter();

        PairsCsv.Write(writer, pairs);
        var again = PairsCsv.Read(new StringReader(writer.ToString()), "pairs.csv").OrThrow();

        Assert.Equal(pairs, again);
        Assert.StartsWith("mentor_id,mentee_id,score,reasons\n", writer.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("m1,e1,1.5,x", "score", "at most 1")]
    [InlineData(",e1,,", "reasons", "needs a reason")]
    [InlineData("m1,e1,,x", "score", "needs a score")]
    public void Pairs_WhenRowIsBad_NamesTheColumn(string row, string column, string message)
    {
        var result = PairsCsv.Read(new StringReader($"mentor_id,mentee_id,score,reasons\n{row}\n"), "pairs.csv");

        var error = Assert.Single(result.Errors);
        Assert.Equal(column, error.Column);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Platform_RoundTripsAndRejectsDuplicateAndBadDates()
    {
        var days = new[] { new PlatformDay(new DateOnly(2026, 1, 1), 120, 4), new PlatformDay(new DateOnly(2026, 1, 2), 90, 0) };
        var writer = new StringWriter();
        PlatformCsv.Write(writer, days);
        Assert.Equal(days, PlatformCsv.Read(new StringReader(writer.ToString()), "platform.csv").OrThrow());

        var bad = PlatformCsv.Read(new StringReader("date,visitors,new_members\n2026-01-01,1,1\n2026-01-01,2,2\n01/02/2026,3,3\n2026-01-03,-4,0\n"), "platform.csv");

        Assert.Equal(3, bad.Errors.Count);
        Assert.Contains(bad.Errors, e => e is { Line: 3, Column: "date" } && e.Message.Contains("duplicate date", StringComparison.Ordinal));
        Assert.Contains(bad.Errors, e => e is { Line: 4, Column: "date" } && e.Message.Contains("ISO date", StringComparison.Ordinal));
        Assert.Contains(bad.Errors, e => e is { Line: 5, Column: "visitors" });
    }

    [Fact]
    public void Relationships_RoundTripsEveryStatus()
    {
        var rows = new[]
        {
            new Relationship
            {
                MentorId = "m1", MenteeId = "e1", Programme = "spring-2026", Started = new DateOnly(2026, 3, 1),
                PlannedEnd = new DateOnly(2026, 9, 1), Status = RelationshipStatus.Active, Meetings = 3,
                LastMeeting = new DateOnly(2026, 4, 1),
            },
            new Relationship
            {
                MentorId = "m1", MenteeId = "e2", Programme = "spring-2026", Started = new DateOnly(2026, 3, 1),
                PlannedEnd = new DateOnly(2026, 9, 1), Ended = new DateOnly(2026, 5, 1), Status = RelationshipStatus.ClosedEarly,
                Meetings = 0, GoalMet = false, Satisfaction = 2.5,
            },
        };
        var writer = new StringWriter();

        RelationshipsCsv.Write(writer, rows);
        var again = RelationshipsCsv.Read(new StringReader(writer.ToString()), "relationships.csv").OrThrow();

        Assert.Equal(rows, again);
    }

    [Theory]
    [InlineData("m1,e1,p,2026-03-01,2026-09-01,,paused,1,2026-03-02,,", "status", "unknown status 'paused'")]
    [InlineData("m1,e1,p,2026-03-01,2026-01-01,,active,1,2026-03-02,,", "planned_end", "before started")]
    [InlineData("m1,e1,p,2026-03-01,2026-09-01,,completed,1,2026-03-02,true,4", "ended", "needs an end date")]
    [InlineData("m1,e1,p,2026-03-01,2026-09-01,2026-04-01,active,1,2026-03-02,,", "ended", "no end date")]
    [InlineData("m1,e1,p,2026-03-01,2026-09-01,,active,0,2026-03-02,,", "last_meeting", "no meetings")]
    [InlineData("m1,e1,p,2026-03-01,2026-09-01,,active,1,2026-03-02,maybe,", "goal_met", "not 'true' or 'false'")]
    [InlineData("m1,e1,p,2026-03-01,2026-09-01,,active,1,2026-03-02,,9", "satisfaction", "at most 5")]
    public void Relationships_WhenRowIsBad_NamesTheColumn(string row, string column, string message)
    {
        var header = string.Join(',', RelationshipsCsv.Columns);
        var result = RelationshipsCsv.Read(new StringReader($"{header}\n{row}\n"), "relationships.csv");

        var error = Assert.Single(result.Errors);
        Assert.Equal((2, column), (error.Line, error.Column));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Testimonials_RoundTripTextWithCommasQuotesAndLineBreaks()
    {
        var rows = new[] { new Testimonial("e1", Role.Mentee, new DateOnly(2026, 6, 1), "Great, \"life-changing\"\nthank you", true) };
        var writer = new StringWriter();

        TestimonialsCsv.Write(writer, rows);
        var again = TestimonialsCsv.Read(new StringReader(writer.ToString()), "testimonials.csv").OrThrow();

        Assert.Equal(rows, again);
    }

    [Fact]
    public void Testimonials_WhenRoleUnknownAndConsentMissing_ReportsBoth()
    {
        var result = TestimonialsCsv.Read(new StringReader("participant_id,role,date,text,consent\np1,sponsor,2026-01-01,hi,\n"), "testimonials.csv");

        Assert.Equal(["role", "consent"], result.Errors.Select(e => e.Column));
    }

    [Fact]
    public void PairList_ReportsDuplicatesAndPeopleOutsideTheCohortOrInTheWrongRole()
    {
        var cohort = new[] { TestData.Application("m1", Role.Mentor), TestData.Application("e1", Role.Mentee) };
        var list = PairListCsv.Read(new StringReader("mentor_id,mentee_id,note\nm1,e1,keep\nm1,e1,again\ne1,m1,\nm1,e9,\n"), "pins.csv");

        var references = PairListCsv.CheckReferences(list, cohort, "pins.csv");

        var duplicate = Assert.Single(list.Errors);
        Assert.Equal(3, duplicate.Line);
        Assert.Equal(
            [(4, "mentor_id"), (4, "mentee_id"), (5, "mentee_id")],
            references.Select(e => (e.Line, e.Column!)));
    }

    [Fact]
    public void Write_ToPath_CreatesDirectoryAndLeavesNoTemporaryFile()
    {
        var directory = Path.Combine(Path.GetTempPath(), "mentorflow-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(directory, "nested", "platform.csv");
            PlatformCsv.Write(path, [new PlatformDay(new DateOnly(2026, 1, 1), 1, 1)]);

            Assert.True(File.Exists(path));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
