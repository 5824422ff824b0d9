using System.Diagnostics;
using System.Globalization;
using System.Text;
using MentorFlow.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace MentorFlow.EndToEnd;

/// <summary>
/// The programme lifecycle acceptance scenario, through the HTTP API and the participant forms with accelerated time:
/// 30 mentors and 90 mentees go poll → close (mentor shortage, recruitment) → applications → matching → approval →
/// confirmations → welcome and kick-off (auto kick-off for pairs that did not schedule) → check-in series → a goal
/// met and a pair continuing → closing survey → testimonials. The Graph sandbox then holds exactly the expected
/// invites and mails per participant, each once, and the exports give the scenario's metrics.
/// </summary>
public sealed class LifecycleScenarioTests(ITestOutputHelper output) : IDisposable
{
    private const string Organizer = "mentoring@contoso.test";
    private static readonly string[] Topics = ["data-science", "public-speaking", "leadership", "cloud", "product"];
    private readonly MentorFlowApp _app = new(Scenario.Settings());

    public void Dispose() => _app.Dispose();

    private static string Mentor(int i) => $"mentor{i:00}@contoso.test";

    private static string Mentee(int i) => $"mentee{i:00}@contoso.test";

    [Fact]
    public async Task Programme_Of30MentorsAnd90Mentees_RunsFromPollToTestimonials()
    {
        var clock = Stopwatch.StartNew();
        var s = new Scenario(_app);
        var members = new StringBuilder("email,name,seniority_years\n");
        for (var i = 1; i <= 30; i++)
        {
            members.Append(CultureInfo.InvariantCulture, $"{Mentor(i)},Mentor {i},12\n");
        }

        for (var i = 1; i <= 90; i++)
        {
            members.Append(CultureInfo.InvariantCulture, $"{Mentee(i)},Mentee {i},{(i <= 10 ? 10 : 3)}\n");
        }

        // A programme with a target of 1 mentor for 2 mentees: 30 mentors for 90 mentees is a shortage.
        var created = await (await s.PostAsync("/api/programmes", new
        {
            name = "Data community mentoring",
            organizerMailbox = Organizer,
            timeZone = "Europe/London",
            resources = new[] { new { title = "Mentoring guide", url = "https://contoso.test/guide" } },
            lengthOptions = new[] { "3-6" },
            targetMenteesPerMentor = 2,
            pollClosesAt = MentorFlowApp.Start.AddDays(14),
            applicationsCloseAt = MentorFlowApp.Start.AddDays(35),
            recruitmentEndsAt = MentorFlowApp.Start.AddDays(28),
            confirmationDays = 5,
            kickOffDays = 7,
        })).JsonAsync();
        var id = created.GetProperty("id").GetGuid();
        var api = $"/api/programmes/{id}";
        (await s.Manager.PostAsync($"{api}/members", new StringContent(members.ToString(), Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();

        // Poll: announced to all 120, answered by 117 at once and by 3 after the reminder.
        await s.PostAsync($"{api}/open");
        await s.DispatchAsync();
        output.WriteLine($"poll announced after {clock.Elapsed}");
        Assert.All(Everyone(), email => Assert.Single(s.MailTo(email)));
        foreach (var (email, i) in Everyone().Select((e, i) => (e, i)).Where(x => x.e is not "mentee88@contoso.test" and not "mentee89@contoso.test" and not "mentee90@contoso.test"))
        {
            await s.SubmitAsync(s.Links(email, "would you like to mentor")[0], ("choice", email.StartsWith("mentor", StringComparison.Ordinal) ? "Mentor" : "Mentee"), ("topics", Topics[i % 5]));
        }

        output.WriteLine($"poll answered after {clock.Elapsed}");
        await s.AdvanceAsync(TimeSpan.FromDays(12.5));
        output.WriteLine($"12 days later after {clock.Elapsed}");
        foreach (var i in new[] { 88, 89, 90 })
        {
            await s.SubmitAsync(s.Links(Mentee(i), "poll closes soon")[0], ("choice", "Mentee"), ("topics", "cloud"));
        }

        await s.AdvanceAsync(TimeSpan.FromDays(1.5));
        var poll = await (await s.Manager.GetAsync($"{api}/poll")).JsonAsync();
        Assert.True(poll.GetProperty("results").GetProperty("mentorShortage").GetBoolean());
        Assert.Equal(15, poll.GetProperty("results").GetProperty("mentorsMissing").GetInt32());
        Assert.Single(s.MailTo(Organizer), m => m.Subject.StartsWith("Poll closed: mentors are short", StringComparison.Ordinal));

        // Applications (and mentor recruitment: the 10 senior members who chose "mentee").
        output.WriteLine($"poll closed after {clock.Elapsed}");
        await s.PostAsync($"{api}/phase", new { phase = "Applications" });
        await s.DispatchAsync();
        output.WriteLine($"applications opened after {clock.Elapsed}");
        for (var i = 1; i <= 10; i++)
        {
            Assert.Single(s.MailTo(Mentee(i)), m => m.Subject.StartsWith("Could you mentor", StringComparison.Ordinal));
        }

        foreach (var (email, i) in Everyone().Select((e, i) => (e, i)))
        {
            var mentor = email.StartsWith("mentor", StringComparison.Ordinal);
            await s.SubmitAsync(s.Links(email, "Apply to")[0],
                ("role", mentor ? "mentor" : "mentee"), ("name", email.Split('@')[0]), ("time_zone", "Europe/London"),
                ("interests", $"{Topics[i % 5]}, {Topics[(i + 1) % 5]}"), ("career_path", "data"), ("goals", Topics[i % 5]),
                ("seniority_years", mentor ? "12" : "3"), ("preferred_length", "3-6"), ("capacity", mentor ? "3" : ""), ("communication", "video"));
        }

        output.WriteLine($"applied after {clock.Elapsed}");
        await s.AdvanceAsync(TimeSpan.FromDays(21));
        output.WriteLine($"applications closed after {clock.Elapsed}");
        Assert.Single(s.MailTo(Organizer), m => m.Subject.StartsWith("Applications closed", StringComparison.Ordinal));

        // Matching: 90 pairs under the mentors' capacity of 3, approved; both sides confirm by link.
        var review = await (await s.PostAsync($"{api}/matching/run", new { minScore = 0.0 })).JsonAsync();
        Assert.Equal(90, review.GetProperty("pairs").GetArrayLength());
        await s.PostAsync($"{api}/matching/approve");
        await s.DispatchAsync();
        output.WriteLine($"approved after {clock.Elapsed}");
        foreach (var email in Everyone())
        {
            foreach (var link in s.AllLinks(email, email.StartsWith("mentor", StringComparison.Ordinal) ? "meet your proposed mentee" : "meet your proposed mentor"))
            {
                await s.SubmitAsync(link, ("accept", "yes"));
            }
        }

        await s.DispatchAsync();
        output.WriteLine($"confirmed after {clock.Elapsed}");

        // The introduction says the plan in words: how often, how, until which day (the programme's language and time zone).
        var introduction = s.MailTo(Mentor(1)).First(m => m.Subject.Contains("are matched", StringComparison.Ordinal));
        Assert.Matches(@"You meet every two weeks by video call, until \d{1,2} [A-Z][a-z]+ \d{4}\.", introduction.BodyContent);

        // Kick-off: 85 of the 90 reminders are answered; 5 pairs get the automatic kick-off invite.
        await s.AdvanceAsync(TimeSpan.FromDays(1.1));
        var reminders = Enumerable.Range(1, 30).SelectMany(i => s.MailTo(Mentor(i)).Where(m => m.Subject.StartsWith("Please schedule your kick-off", StringComparison.Ordinal))).ToList();
        Assert.Equal(90, reminders.Count);
        var notScheduled = reminders.Take(5).ToList();
        foreach (var reminder in reminders.Skip(5))
        {
            var link = new Uri(System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(reminder.BodyContent, "https?://localhost/forms/[A-Za-z0-9_\\-\\.]+").Value)).PathAndQuery;
            await s.SubmitAsync(link);
        }

        // A goal met, and the pair continues with a new goal.
        var introToMentee1 = s.Links(Mentee(1), "are matched");
        await s.SubmitAsync(introToMentee1[1], ("text", "Give a talk at the data meetup"), ("targetDate", "2026-06-30"));
        await s.SubmitAsync(introToMentee1[2]);
        await s.DispatchAsync();
        await s.SubmitAsync(s.Links(Mentee(1), "Goal met!")[0], ("decision", "continue"), ("text", "Lead a data project"), ("targetDate", "2026-08-31"));

        // Through the partnership to its end: check-in surveys (answered once by every mentee), mid-point, closing.
        await s.AdvanceAsync(TimeSpan.FromDays(8));
        Assert.Equal(5, (await s.Sandbox.EventsAsync(Organizer)).Count(e => e.Subject.StartsWith("Kick-off:", StringComparison.Ordinal)));
        await s.AdvanceAsync(TimeSpan.FromDays(25));
        for (var i = 1; i <= 90; i++)
        {
            await s.SubmitAsync(s.Links(Mentee(i), "Check-in:")[0], ("rating", "4"), ("met", "yes"));
        }

        // Mid-programme, the dashboard's figures (the reporting library's metrics over the exports) match the scenario.
        var mid = await (await s.Manager.GetAsync($"{api}/dashboard")).JsonAsync();
        Assert.Equal(120, mid.GetProperty("funnel").GetProperty("applications").GetInt32());
        Assert.Equal(90, mid.GetProperty("matches").GetProperty("active").GetInt32());
        Assert.Equal(90, mid.GetProperty("activePairs").GetArrayLength());
        Assert.Equal(90, mid.GetProperty("metrics").GetProperty("activeRelationships").GetInt32());
        Assert.Equal(120, mid.GetProperty("metrics").GetProperty("activeParticipants").GetInt32());
        Assert.Equal((30, 90), (mid.GetProperty("metrics").GetProperty("activeMentors").GetInt32(), mid.GetProperty("metrics").GetProperty("activeMentees").GetInt32()));
        Assert.Equal(0, mid.GetProperty("incidents").GetProperty("open").GetInt32());

        await s.AdvanceAsync(TimeSpan.FromDays(160));
        output.WriteLine($"end reached after {clock.Elapsed}");
        for (var i = 1; i <= 20; i++)
        {
            var links = s.Links(Mentee(i), "closing survey and your testimonial");
            await s.SubmitAsync(links[0], ("rating", "5"));
            await s.SubmitAsync(links[1], ("text", $"Mentoring changed how I work, thanks to my mentor ({i})."), ("consent", i <= 15 ? "yes" : "no"));
        }

        await s.AdvanceAsync(TimeSpan.FromDays(30));

        // The sandbox: one check-in series per pair, 5 kick-off invites, and for each participant each mail once.
        var events = (await s.Sandbox.EventsAsync(Organizer));
        Assert.Equal(90, events.Count(e => e.Type == "seriesMaster" && !e.IsCancelled));
        Assert.Equal(95, events.Count);
        var all = (await s.Sandbox.MessagesAsync());
        var repeated = all.GroupBy(m => (To: string.Join(",", m.To.Select(t => t.Address)), m.Subject, m.BodyContent)).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key.To}: {g.Key.Subject} x{g.Count()}").ToList();
        Assert.True(repeated.Count == 0, "Mails sent more than once: " + string.Join("; ", repeated));
        foreach (var email in Everyone())
        {
            var subjects = s.MailTo(email).Select(m => Kind(m.Subject)).ToList();
            var mentor = email.StartsWith("mentor", StringComparison.Ordinal);
            var expected = new List<string> { "poll", "apply", "proposed", "matched", "welcome", "checkin", "checkin", "checkin", "checkin", "checkin", "checkin", "midpoint", "closing", "thanks" };
            if (email is "mentee88@contoso.test" or "mentee89@contoso.test" or "mentee90@contoso.test")
            {
                expected.Add("poll-reminder");
            }

            if (!mentor && int.Parse(email[6..8], CultureInfo.InvariantCulture) <= 10)
            {
                expected.Add("recruitment");
            }

            var pairsOfMentor = mentor ? 3 : 1;
            if (mentor)
            {
                expected = ["poll", "apply", .. Repeat(["proposed", "matched", "kickoff", "checkin", "checkin", "checkin", "checkin", "checkin", "checkin", "midpoint", "closing", "thanks"], pairsOfMentor), "welcome"];
            }

            if (email == Mentee(1) || s.MailTo(email).Any(m => m.Subject.StartsWith("Goal met!", StringComparison.Ordinal)))
            {
                expected.Add("goal");
            }

            Assert.Equal(expected.Order(StringComparer.Ordinal), subjects.Order(StringComparer.Ordinal));
        }

        // The exports give the scenario's metrics.
        var relationships = await (await s.Manager.GetAsync($"{api}/export/relationships.csv")).Content.ReadAsStringAsync();
        var rows = MentorFlow.Reporting.Data.RelationshipsCsv.Read(new StringReader(relationships), "relationships.csv");
        Assert.Empty(rows.Errors);
        Assert.Equal(90, rows.Rows.Count);
        Assert.All(rows.Rows, r => Assert.Equal(MentorFlow.Reporting.Data.RelationshipStatus.Completed, r.Status));
        Assert.All(rows.Rows, r => Assert.True(r.Meetings >= 1));
        var testimonials = MentorFlow.Reporting.Data.TestimonialsCsv.Read(
            new StringReader(await (await s.Manager.GetAsync($"{api}/export/testimonials.csv")).Content.ReadAsStringAsync()), "testimonials.csv");
        Assert.Equal(20, testimonials.Rows.Count);
        Assert.Equal(15, testimonials.Rows.Count(t => t.Consent));
        var end = await (await s.Manager.GetAsync($"{api}/dashboard")).JsonAsync();
        Assert.Equal(90, end.GetProperty("matches").GetProperty("completed").GetInt32());
        Assert.Equal(0, end.GetProperty("metrics").GetProperty("activeRelationships").GetInt32());
        Assert.Equal(90, end.GetProperty("metrics").GetProperty("totalRelationships").GetInt32());
        Assert.Equal((20, 15), (end.GetProperty("testimonials").GetProperty("received").GetInt32(), end.GetProperty("testimonials").GetProperty("consented").GetInt32()));
        Assert.Equal(15, end.GetProperty("testimonials").GetProperty("quotes").GetArrayLength());
        Assert.Equal(0, end.GetProperty("incidents").GetProperty("open").GetInt32());
        Assert.Empty(end.GetProperty("metrics").GetProperty("dataIssues").EnumerateArray());
        output.WriteLine($"scenario took {clock.Elapsed}; {all.Count} mails, {events.Count} events");
    }

    private static IEnumerable<string> Everyone() =>
        Enumerable.Range(1, 30).Select(Mentor).Concat(Enumerable.Range(1, 90).Select(Mentee));

    private static IEnumerable<string> Repeat(string[] items, int times) => Enumerable.Range(0, times).SelectMany(_ => items);

    private static string Kind(string subject) => subject switch
    {
        _ when subject.Contains("would you like to mentor", StringComparison.Ordinal) => "poll",
        _ when subject.Contains("poll closes soon", StringComparison.Ordinal) => "poll-reminder",
        _ when subject.StartsWith("Apply to", StringComparison.Ordinal) => "apply",
        _ when subject.StartsWith("Could you mentor", StringComparison.Ordinal) => "recruitment",
        _ when subject.Contains("meet your proposed", StringComparison.Ordinal) => "proposed",
        _ when subject.Contains("are matched", StringComparison.Ordinal) => "matched",
        _ when subject.StartsWith("Welcome to", StringComparison.Ordinal) => "welcome",
        _ when subject.StartsWith("Please schedule your kick-off", StringComparison.Ordinal) => "kickoff",
        _ when subject.StartsWith("Check-in:", StringComparison.Ordinal) => "checkin",
        _ when subject.StartsWith("Half-way", StringComparison.Ordinal) => "midpoint",
        _ when subject.StartsWith("Goal met!", StringComparison.Ordinal) => "goal",
        _ when subject.Contains("closing survey", StringComparison.Ordinal) => "closing",
        _ when subject.StartsWith("Thank you", StringComparison.Ordinal) => "thanks",
        _ => subject,
    };
}
