using System.Net;
using System.Net.Sockets;
using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Metrics;

namespace MentorFlow.Reporting.Tests.Metrics;

// Hand-computed programme (reporting date 2026-03-31, active window 30 days → 2026-03-02..2026-03-31):
//   R1 m1–e1 started 01-05, active, last meeting 03-20                      → running, active
//   R2 m1–e2 started 01-12, completed 03-10, last meeting 03-05, goal, 4.5  → ended, active (met in window)
//   R3 m2–e3 started 02-02, closed early 02-20, last 02-09, no goal, 2      → ended, not active
//   R4 m3–e4 started 03-25, active, no meeting yet                          → running, not active
//   R5 m2–e5 started 01-20, active, last meeting 02-15                      → running, dormant
public sealed class ProgrammeMetricsTests
{
    private static readonly DateOnly AsOf = new(2026, 3, 31);

    private static readonly IReadOnlyList<Relationship> Relationships =
    [
        Rel("m1", "e1", "2026-01-05", null, RelationshipStatus.Active, 4, "2026-03-20", null, null),
        Rel("m1", "e2", "2026-01-12", "2026-03-10", RelationshipStatus.Completed, 5, "2026-03-05", true, 4.5),
        Rel("m2", "e3", "2026-02-02", "2026-02-20", RelationshipStatus.ClosedEarly, 1, "2026-02-09", false, 2),
        Rel("m3", "e4", "2026-03-25", null, RelationshipStatus.Active, 0, null, null, null),
        Rel("m2", "e5", "2026-01-20", null, RelationshipStatus.Active, 2, "2026-02-15", null, null),
    ];

    private static readonly IReadOnlyList<PlatformDay> Platform =
    [
        new(D("2025-12-01"), 50, 1),
        new(D("2025-12-30"), 100, 2),
        new(D("2026-01-02"), 140, 4),
        new(D("2026-01-10"), 150, 6),
        new(D("2026-02-10"), 210, 3),
        new(D("2026-04-02"), 999, 99),
    ];

    private static readonly IReadOnlyList<Testimonial> Testimonials =
    [
        new("e2", Role.Mentee, D("2026-03-12"), "It changed how I plan my career.", true),
        new("m1", Role.Mentor, D("2026-03-15"), "Private note", false),
        new("e1", Role.Mentee, D("2026-04-05"), "After the reporting date", true),
    ];

    private static readonly MetricsOptions Options = new() { AsOf = AsOf, ActiveWindowDays = 30, BaselineDays = 10 };

    [Fact]
    public void ActiveParticipants_CountsDistinctPeopleWithAMeetingInTheWindow()
    {
        Assert.Equal((1, 2), ProgrammeMetrics.ActiveParticipants(Relationships, AsOf, 30));
    }

    [Fact]
    public void ActiveParticipants_WithShorterWindow_DropsPeopleWhoseLastMeetingIsOlder()
    {
        // Window 03-22..03-31: only R1 (last meeting 03-20) is out too → nobody.
        Assert.Equal((0, 0), ProgrammeMetrics.ActiveParticipants(Relationships, AsOf, 10));
        // Window 03-12..03-31 keeps R1 only.
        Assert.Equal((1, 1), ProgrammeMetrics.ActiveParticipants(Relationships, AsOf, 20));
    }

    [Fact]
    public void ActiveRelationships_CountsThoseStartedAndNotEnded()
    {
        Assert.Equal(3, ProgrammeMetrics.ActiveRelationships(Relationships, AsOf));
        Assert.Equal(3, ProgrammeMetrics.ActiveRelationships(Relationships, D("2026-02-28")));
        Assert.Equal(0, ProgrammeMetrics.ActiveRelationships(Relationships, D("2026-01-04")));
    }

    [Fact]
    public void ParticipationOverTime_Monthly_MatchesHandCount()
    {
        var points = ProgrammeMetrics.ParticipationOverTime(Relationships, D("2026-01-05"), Options);

        Assert.Equal(
            [(D("2026-01-01"), D("2026-01-31"), 2, 3), (D("2026-02-01"), D("2026-02-28"), 2, 4), (D("2026-03-01"), AsOf, 1, 2)],
            points.Select(p => (p.Period, p.AsOf, p.ActiveMentors, p.ActiveMentees)));
    }

    [Fact]
    public void RelationshipsOverTime_Monthly_CountsRunningStartedCompletedAndClosedEarly()
    {
        var points = ProgrammeMetrics.RelationshipsOverTime(Relationships, D("2026-01-01"), AsOf, Granularity.Monthly);

        Assert.Equal(
            [new RelationshipPoint(D("2026-01-01"), 3, 3, 0, 0), new RelationshipPoint(D("2026-02-01"), 3, 1, 0, 1), new RelationshipPoint(D("2026-03-01"), 3, 1, 1, 0)],
            points);
    }

    [Fact]
    public void Outcomes_GiveCompletionEarlyClosureGoalAttainmentAndSatisfactionOfEndedPairs()
    {
        var outcomes = ProgrammeMetrics.Outcomes(Relationships, DateOnly.MinValue, AsOf);

        Assert.Equal(new OutcomeSummary(2, 1, 1, 0.5, 0.5, 2, 0.5, 2, 3.25), outcomes);
    }

    [Fact]
    public void Outcomes_WhenNothingEndedInThePeriod_AreNullNotZero()
    {
        var outcomes = ProgrammeMetrics.Outcomes(Relationships, D("2026-01-01"), D("2026-01-31"));

        Assert.Equal(new OutcomeSummary(0, 0, 0, null, null, 0, null, 0, null), outcomes);
    }

    [Fact]
    public void OutcomesOverTime_Monthly_PutsEachEndingInItsMonth()
    {
        var points = ProgrammeMetrics.OutcomesOverTime(Relationships, D("2026-01-01"), AsOf, Granularity.Monthly);

        Assert.Equal(
            [
                new OutcomePoint(D("2026-01-01"), 0, null, null, null, null),
                new OutcomePoint(D("2026-02-01"), 1, 0, 1, 0, 2),
                new OutcomePoint(D("2026-03-01"), 1, 1, 0, 1, 4.5),
            ],
            points);
    }

    [Fact]
    public void PlatformGrowth_ComparesPerDayAveragesWithTheStatedBaseline()
    {
        var growth = ProgrammeMetrics.PlatformGrowth(Platform, D("2026-01-05"), AsOf, 10);

        Assert.Equal((D("2025-12-26"), D("2026-01-04")), (growth.BaselineFrom, growth.BaselineTo));
        Assert.Equal((2, 2), (growth.BaselineDaysWithData, growth.ProgrammeDaysWithData));
        Assert.Equal(120, growth.BaselineVisitorsPerDay);
        Assert.Equal(180, growth.ProgrammeVisitorsPerDay);
        Assert.Equal(0.5, growth.VisitorChange);
        Assert.Equal(3, growth.BaselineNewMembersPerDay);
        Assert.Equal(4.5, growth.ProgrammeNewMembersPerDay);
        Assert.Equal(0.5, growth.NewMemberChange);
        Assert.Equal(9, growth.TotalNewMembers);
        Assert.Equal(360, growth.TotalVisitors);
        Assert.Contains("2025-12-26 to 2026-01-04", growth.BaselineDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void PlatformGrowth_WithoutBaselineData_HasNoChange()
    {
        var growth = ProgrammeMetrics.PlatformGrowth(Platform, D("2025-12-01"), D("2025-12-31"), 30);

        Assert.Equal(0, growth.BaselineDaysWithData);
        Assert.Null(growth.VisitorChange);
        Assert.Null(growth.NewMemberChange);
        Assert.Equal(3, growth.TotalNewMembers);
    }

    [Fact]
    public void PlatformOverTime_Weekly_SumsEachWholeIsoWeekAndKeepsEmptyWeeks()
    {
        // The first week (Mon 2025-12-29) is counted whole: 12-30 (100, 2) + 01-02 (140, 4).
        var points = ProgrammeMetrics.PlatformOverTime(Platform, D("2026-01-01"), D("2026-01-20"), Granularity.Weekly);

        Assert.Equal(
            [new PlatformPoint(D("2025-12-29"), 240, 6, 2), new PlatformPoint(D("2026-01-05"), 150, 6, 1), new PlatformPoint(D("2026-01-12"), 0, 0, 0), new PlatformPoint(D("2026-01-19"), 0, 0, 0)],
            points);
        Assert.Equal(120, points[0].VisitorsPerDay);
        Assert.Null(points[2].VisitorsPerDay);
    }

    [Fact]
    public void Testimonials_CountsUpToTheDateAndQuotesOnlyConsentedOnes()
    {
        var summary = ProgrammeMetrics.Testimonials(Testimonials, AsOf);

        Assert.Equal(2, summary.Received);
        Assert.Equal(1, summary.Consented);
        Assert.Equal([new Quote("e2", Role.Mentee, D("2026-03-12"), "It changed how I plan my career.")], summary.Quotes);
    }

    [Fact]
    public void TestimonialsOverTime_Weekly_IncludesEmptyWeeks()
    {
        var points = ProgrammeMetrics.TestimonialsOverTime(Testimonials, D("2026-03-02"), AsOf, Granularity.Weekly);

        Assert.Equal([0, 2, 0, 0, 0], points.Select(p => p.Received));
        Assert.Equal([0, 1, 0, 0, 0], points.Select(p => p.Consented));
    }

    [Fact]
    public void Funnel_CountsPollApplicantsMatchedAndCompletedPeople()
    {
        var applications = Enumerable.Range(1, 12).Select(i => App($"p{i}")).ToList();

        var funnel = ProgrammeMetrics.Funnel(20, applications, Relationships, AsOf);

        Assert.Equal(
            [new FunnelStage("Answered the poll", 20), new FunnelStage("Applied", 12), new FunnelStage("Matched", 8), new FunnelStage("Completed", 2)],
            funnel);
        Assert.Equal("Applied", ProgrammeMetrics.Funnel(null, applications, Relationships, AsOf)[0].Label);
    }

    [Fact]
    public void Summarise_GivesTheKeyFiguresAtTheReportingDate()
    {
        var data = new ProgrammeData(Relationships, Platform, Testimonials, [], []);

        var summary = ProgrammeMetrics.Summarise(data, Options);

        Assert.Equal(D("2026-01-05"), summary.ProgrammeStart);
        Assert.Equal((1, 2, 3), (summary.ActiveMentors, summary.ActiveMentees, summary.ActiveParticipants));
        Assert.Equal((3, 5, 1), (summary.ActiveRelationships, summary.TotalRelationships, summary.NewRelationshipsInWindow));
        Assert.Equal(0.5, summary.Outcomes.EarlyClosureRate);
        Assert.Equal(0.5, summary.Platform!.VisitorChange);
        Assert.Equal(2, summary.Testimonials.Received);
    }

    [Fact]
    public void Summarise_ProgrammeWithNoHistory_IsAllZeroWithNoRatesAndNoBaseline()
    {
        var summary = ProgrammeMetrics.Summarise(ProgrammeData.Empty, Options);

        Assert.Null(summary.ProgrammeStart);
        Assert.Equal((0, 0, 0, 0), (summary.ActiveMentors, summary.ActiveMentees, summary.ActiveRelationships, summary.TotalRelationships));
        Assert.Null(summary.Outcomes.CompletionRate);
        Assert.Null(summary.Outcomes.Satisfaction);
        Assert.Null(summary.Platform);
        Assert.Equal(0, summary.Testimonials.Received);
        Assert.All(ProgrammeMetrics.ParticipationOverTime([], D("2026-01-01"), Options), p => Assert.Equal(0, p.Total));
        Assert.Null(ProgrammeData.Empty.LatestDate);
    }

    [Fact]
    public void Table_RightAlignsNumbersOnlyAndEncodesText()
    {
        var html = ReportHtml.Table(["a", "b", "c", "d"], [["1,234", "€5,000", "16 more years of experience", "<script>"], ["38%", "8.4 months", "M0016 (data)", "n/a"]]);

        Assert.Contains("<td class=\"num\">1,234</td><td class=\"num\">€5,000</td><td>16 more years of experience</td><td>&lt;script&gt;</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">38%</td><td class=\"num\">8.4 months</td><td>M0016 (data)</td><td>n/a</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyFigures_CarryTheRawValueForCheckingAndEncodeLabels()
    {
        var html = ReportHtml.KeyFigures([new KeyFigure("roi", "Return <on> investment", 0.4285714285714286, "43%", "note", true), new KeyFigure("payback_months", "Payback", null, "never")]);

        Assert.Contains("data-key=\"roi\" data-value=\"0.4285714285714286\"", html, StringComparison.Ordinal);
        Assert.Contains("Return &lt;on&gt; investment", html, StringComparison.Ordinal);
        Assert.Contains("data-key=\"payback_months\" data-value=\"\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"value up\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_WithZeroActiveWindow_ThrowNamingTheOption()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ProgrammeMetrics.Summarise(ProgrammeData.Empty, Options with { ActiveWindowDays = 0 }));

        Assert.Equal(nameof(MetricsOptions.ActiveWindowDays), error.ParamName);
    }

    [Theory]
    [InlineData("2026-03-31", Granularity.Weekly, "2026-03-30")]
    [InlineData("2026-03-29", Granularity.Weekly, "2026-03-23")]
    [InlineData("2026-03-31", Granularity.Monthly, "2026-03-01")]
    public void PeriodStart_IsMondayOrFirstOfMonth(string day, Granularity granularity, string expected)
    {
        Assert.Equal(D(expected), ProgrammeMetrics.PeriodStart(D(day), granularity));
    }

    [Fact]
    public void Load_WhenAFileBreaksTheContract_ReportsFileLineAndColumn()
    {
        var folder = WriteFolder(relationships:
            "mentor_id,mentee_id,programme,started,planned_end,ended,status,meetings,last_meeting,goal_met,satisfaction\n" +
            "m1,e1,p,2026-01-05,2026-06-30,,active,4,2026-03-20,,\n" +
            "m1,e2,p,2026-01-12,2026-04-30,,paused,2,,,\n");
        try
        {
            var error = Assert.Throws<CsvDataException>(() => ProgrammeData.Load(folder));

            Assert.Contains(error.Errors, e => e.File.EndsWith("relationships.csv", StringComparison.Ordinal) && e.Line == 3 && e.Column == "status");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_WhenARequiredFileIsMissing_NamesIt()
    {
        var folder = WriteFolder();
        File.Delete(Path.Combine(folder, "testimonials.csv"));
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => ProgrammeData.Load(folder));

            Assert.Contains("testimonials.csv", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_WithoutPlatformAnalyticsButWithPollAnswers_HasNoPlatformFiguresAndCountsThePoll()
    {
        var folder = WriteFolder();
        File.Delete(Path.Combine(folder, "platform.csv"));
        File.WriteAllText(Path.Combine(folder, "poll.csv"), "email,name,choice,topics\na@x.org,A,mentor,data\nb@x.org,B,mentee,\"data;ux\"\nc@x.org,C,mentee,\n");
        try
        {
            var data = ProgrammeData.Load(folder);
            var summary = ProgrammeMetrics.Summarise(data, Options with { AsOf = D("2026-03-31") });

            Assert.Empty(data.Platform);
            Assert.Equal(3, data.PollResponses);
            Assert.Equal(0, summary.Platform!.ProgrammeDaysWithData);
            Assert.DoesNotContain(ReportHtml.SummaryFigures(summary), f => f.Key is "new_members" or "visitor_change");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task LoadFromApiAsync_DownloadsTheExportsOverHttpWithTheApiKey()
    {
        var source = WriteFolder();
        var target = Path.Combine(Path.GetTempPath(), "mf-api-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var seenKeys = new List<string?>();
        var server = Task.Run(async () =>
        {
            for (var i = 0; i < ProgrammeData.RequiredFiles.Count + ProgrammeData.OptionalFiles.Count; i++)
            {
                var context = await listener.GetContextAsync();
                seenKeys.Add(context.Request.Headers["Authorization"]);
                var file = Path.Combine(source, context.Request.Url!.Segments[^1]);
                context.Response.StatusCode = File.Exists(file) ? 200 : 404;
                if (File.Exists(file))
                {
                    await context.Response.OutputStream.WriteAsync(await File.ReadAllBytesAsync(file));
                }

                context.Response.Close();
            }
        });
        try
        {
            using var http = new HttpClient();
            var data = await ProgrammeData.LoadFromApiAsync(http, new Uri($"http://127.0.0.1:{port}/"), "prog-1", "secret", target);
            await server;

            Assert.Single(data.Relationships);
            Assert.Empty(data.Applications);
            Assert.All(seenKeys, k => Assert.Equal("ApiKey secret", k));
            Assert.True(File.Exists(Path.Combine(target, "relationships.csv")));
        }
        finally
        {
            Directory.Delete(source, recursive: true);
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static string WriteFolder(string? relationships = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "mf-metrics-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "relationships.csv"), relationships ??
            "mentor_id,mentee_id,programme,started,planned_end,ended,status,meetings,last_meeting,goal_met,satisfaction\n" +
            "m1,e1,p,2026-01-05,2026-06-30,,active,4,2026-03-20,,\n");
        File.WriteAllText(Path.Combine(folder, "platform.csv"), "date,visitors,new_members\n2026-01-10,150,6\n");
        File.WriteAllText(Path.Combine(folder, "testimonials.csv"), "participant_id,role,date,text,consent\ne1,mentee,2026-03-12,Great,true\n");
        return folder;
    }

    private static DateOnly D(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static Relationship Rel(string mentor, string mentee, string started, string? ended, RelationshipStatus status, int meetings, string? last, bool? goal, double? satisfaction) => new()
    {
        MentorId = mentor,
        MenteeId = mentee,
        Programme = "spring-2026",
        Started = D(started),
        PlannedEnd = D(started).AddMonths(6),
        Ended = ended is null ? null : D(ended),
        Status = status,
        Meetings = meetings,
        LastMeeting = last is null ? null : D(last),
        GoalMet = goal,
        Satisfaction = satisfaction,
    };

    private static Application App(string id) => new()
    {
        Id = id,
        Role = Role.Mentee,
        Name = id,
        Email = id + "@example.org",
        TimeZone = "Europe/London",
        Interests = ["data"],
        CareerPath = "engineering",
        Goals = ["growth"],
        SeniorityYears = 1,
        PreferredLength = ProgrammeLength.SixToNine,
    };
}
