using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MentorFlow.Graph.Outbox;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Server.Persistence;
using MentorFlow.Server.Tests.Infrastructure;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Server.Tests.Security;

/// <summary>
/// Participants with hostile names, goals and statements go through every default flow on the real server (forms,
/// workflow engine, Graph outbox, embedded Graph sandbox over HTTP, accelerated time): no markup of theirs reaches an
/// outgoing mail or invite body as markup (it arrives HTML-encoded, readable as text), and no subject, location or
/// recipient name carries a line break.
/// </summary>
public sealed partial class ExpressionEncodingSecurityTests : IDisposable
{
    private const string Organizer = "mentoring@contoso.test";
    private const string LinkBreakout = "</strong><a href=\"https://evil.example/x\">Confirm</a><strong>";
    private const string Script = "<script>alert(1)</script>";
    private const string AttributeBreakout = "\"><img src=x onerror=alert(1)>";
    private const string HeaderInjection = "Hello\r\nBcc: x@evil.example";

    /// <summary>The markup the default templates use themselves; any other tag in a body came from data.</summary>
    private static readonly HashSet<string> TemplateTags = new(StringComparer.OrdinalIgnoreCase) { "p", "strong", "a", "ul", "li", "br", "em" };

    private static readonly string[] HostileMarkup =
    [
        "<script", "<img", "onerror=alert(1)>", "href=\"https://evil.example", "<a href=\"https://evil", "\"><",
    ];

    private readonly ServerFactory _server = new()
    {
        Settings = new Dictionary<string, string?>
        {
            ["Graph:Dispatcher:Enabled"] = "false",
            ["GraphSandbox:Port"] = "0",
            ["Workflows:EnableBackgroundServices"] = "false",
            ["Mentoring:Links:SigningKey"] = "security-test-link-signing-key-0123456789abcdef",
            ["Mentoring:Links:PublicBaseUrl"] = "http://localhost",
            ["Logging:LogLevel:Default"] = "Warning",
        },
    };

    public void Dispose() => _server.Dispose();

    private static string Mentor(int i) => $"mentor{i}@c.test";

    private static string Mentee(int i) => $"mentee{i}@c.test";

    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        [Mentor(1)] = Script,
        [Mentor(2)] = AttributeBreakout,
        [Mentee(1)] = LinkBreakout,
        [Mentee(2)] = HeaderInjection,
    };

    [Fact]
    public async Task DefaultFlows_WithHostileNamesGoalsAndStatements_SendNoRawMarkupInAnyBody_AndNoLineBreakInAnySubject()
    {
        var s = new Driver(_server);
        var start = _server.Clock.GetUtcNow();
        var created = await (await s.PostAsync("/api/programmes", new
        {
            name = "Community mentoring",
            organizerMailbox = Organizer,
            timeZone = "Europe/London",
            resources = new[] { new { title = "Guide", url = "https://contoso.test/guide" } },
            lengthOptions = new[] { "3-6" },
            targetMenteesPerMentor = 1,
            pollClosesAt = start.AddDays(14),
            applicationsCloseAt = start.AddDays(35),
            recruitmentEndsAt = start.AddDays(28),
            confirmationDays = 5,
            kickOffDays = 7,
        })).Content.ReadFromJsonAsync<JsonElement>();
        var api = $"/api/programmes/{created.GetProperty("id").GetGuid()}";

        // The member list carries the hostile names too (quoted CSV fields, the line break included).
        var members = new StringBuilder("email,name,seniority_years\n");
        foreach (var (email, name) in Names)
        {
            members.Append(CultureInfo.InvariantCulture, $"{email},\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{(email == Mentee(2) ? 3 : 12)}\n");
        }

        (await s.Manager.PostAsync(new Uri($"{api}/members", UriKind.Relative), new StringContent(members.ToString(), Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();

        // Poll (announce; mentee 2 answers only after the reminder): one mentor for three mentees is a shortage, so
        // mentor 2 (senior, answered "mentee") is recruited.
        await s.PostAsync($"{api}/open");
        await s.DispatchAsync();
        foreach (var email in new[] { Mentor(1), Mentor(2), Mentee(1) })
        {
            await s.SubmitAsync(s.Links(email, "would you like to mentor")[0], ("name", Names[email]), ("choice", email == Mentor(1) ? "Mentor" : "Mentee"), ("topics", "leadership"));
        }

        await s.AdvanceAsync(TimeSpan.FromDays(12.5));
        await s.SubmitAsync(s.Links(Mentee(2), "poll closes soon")[0], ("name", Names[Mentee(2)]), ("choice", "Mentee"), ("topics", "leadership"));
        await s.AdvanceAsync(TimeSpan.FromDays(1.5));
        Assert.Single(s.MailTo(Organizer), m => m.Subject.StartsWith("Poll closed", StringComparison.Ordinal));

        // Applications (and recruitment): everyone applies with a hostile name, goal and statement; mentee 2 after the reminder.
        await s.PostAsync($"{api}/phase", new { phase = "Applications" });
        await s.DispatchAsync();
        Assert.Single(s.MailTo(Mentor(2)), m => m.Subject.StartsWith("Could you mentor", StringComparison.Ordinal));
        foreach (var email in new[] { Mentor(1), Mentor(2), Mentee(1) })
        {
            await ApplyAsync(s, email);
        }

        await s.AdvanceAsync(TimeSpan.FromDays(18));
        await ApplyAsync(s, Mentee(2));
        await s.AdvanceAsync(TimeSpan.FromDays(3.5));
        Assert.Single(s.MailTo(Organizer), m => m.Subject.StartsWith("Applications closed", StringComparison.Ordinal));

        // Matching and approval: both sides confirm by link; intros, welcome, kick-off, check-ins follow.
        await s.PostAsync($"{api}/matching/run", new { minScore = 0.0 });
        await s.PostAsync($"{api}/matching/approve");
        await s.DispatchAsync();
        foreach (var email in Names.Keys)
        {
            foreach (var link in s.AllLinks(email, email.StartsWith("mentor", StringComparison.Ordinal) ? "meet your proposed mentee" : "meet your proposed mentor"))
            {
                await s.SubmitAsync(link, ("accept", "yes"));
            }
        }

        await s.DispatchAsync();

        // Mentee 1: a hostile common goal, met (goal reassessment).
        var intro = s.Links(Mentee(1), "are matched");
        await s.SubmitAsync(intro[1], ("text", LinkBreakout + Script), ("targetDate", start.AddDays(120).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        await s.SubmitAsync(intro[2]);
        await s.DispatchAsync();

        // Through kick-off (not scheduled: the automatic invite), check-in surveys, mid-point and closing.
        await s.AdvanceAsync(TimeSpan.FromDays(250));

        var mails = (await s.Sandbox.MessagesAsync());
        var events = (await s.Sandbox.EventsAsync(Organizer));
        string[] expected = ["would you like to mentor", "poll closes soon", "Poll closed", "Could you mentor", "Apply to", "Applications closed", "meet your proposed mentee",
            "meet your proposed mentor", "are matched", "Welcome to", "Please schedule your kick-off", "Check-in:", "Half-way", "Goal met!", "closing survey", "Thank you"];
        Assert.All(expected, subject => Assert.Contains(mails, m => m.Subject.Contains(subject, StringComparison.Ordinal)));
        Assert.Contains(events, e => e.Subject.StartsWith("Kick-off:", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Type == "seriesMaster");

        AssertNothingHostileGetsOut(mails, events);

        // The names did reach the mail, as readable text: the mentor's proposal shows mentee 1's name, encoded.
        var proposal = s.MailTo(MentorOf(s, Mentee(1))).First(m => m.Subject.Contains("meet your proposed mentee", StringComparison.Ordinal));
        Assert.Contains(LinkBreakout, WebUtility.HtmlDecode(proposal.BodyContent), StringComparison.Ordinal);
        Assert.Contains("&lt;/strong&gt;&lt;a href=&quot;https://evil.example/x&quot;&gt;Confirm&lt;/a&gt;&lt;strong&gt;", proposal.BodyContent, StringComparison.Ordinal);
        var headerMail = s.MailTo(MentorOf(s, Mentee(2))).First(m => m.Subject.Contains("meet your proposed mentee", StringComparison.Ordinal));
        Assert.Contains(HeaderInjection, WebUtility.HtmlDecode(headerMail.BodyContent), StringComparison.Ordinal);
        Assert.Contains(mails, m => m.Subject.Contains("Hello Bcc: x@evil.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MentorChoiceFlow_WithHostileNames_ListsCandidatesEncoded_AndTheFallbackSendsNoRawMarkup()
    {
        var s = new Driver(_server);
        var start = _server.Clock.GetUtcNow();
        var created = await (await s.PostAsync("/api/programmes", new
        {
            name = "Community mentoring",
            organizerMailbox = Organizer,
            timeZone = "Europe/London",
            resources = Array.Empty<object>(),
            lengthOptions = new[] { "3-6" },
            targetMenteesPerMentor = 2,
            pollClosesAt = start.AddDays(14),
            applicationsCloseAt = start.AddDays(35),
            confirmationDays = 5,
            kickOffDays = 7,
            menteeChoosesFromTopThree = true,
        })).Content.ReadFromJsonAsync<JsonElement>();
        var api = $"/api/programmes/{created.GetProperty("id").GetGuid()}";
        await s.PostAsync($"{api}/phase", new { phase = "Applications" });

        // Two mentors with room for one mentee each and two mentees: mentee 1 chooses, mentee 2 is silent and gets the other mentor.
        var csv = new StringBuilder("id,role,name,email,time_zone,interests,career_path,goals,seniority_years,preferred_length,capacity,statement\n");
        csv.Append(Row("mentor1", "mentor", Script, Mentor(1), "12", "1"));
        csv.Append(Row("mentor2", "mentor", AttributeBreakout, Mentor(2), "12", "1"));
        csv.Append(Row("mentee1", "mentee", LinkBreakout, Mentee(1), "2", ""));
        csv.Append(Row("mentee2", "mentee", HeaderInjection, Mentee(2), "2", ""));
        var imported = await s.Manager.PostAsync(new Uri($"{api}/applications/import", UriKind.Relative), new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        await s.PostAsync($"{api}/matching/run", new { minScore = 0.0 });
        await s.PostAsync($"{api}/matching/approve");
        await s.DispatchAsync();

        var ask = s.MailTo(Mentee(1)).Single(m => m.Subject.Contains("choose your mentor", StringComparison.Ordinal));
        Assert.Contains("<ul><li><strong>", ask.BodyContent, StringComparison.Ordinal);
        Assert.Contains("<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>", ask.BodyContent, StringComparison.Ordinal);
        Assert.Contains("Hello &lt;/strong&gt;&lt;a href=&quot;https://evil.example/x&quot;&gt;", ask.BodyContent, StringComparison.Ordinal);

        var link = s.Links(Mentee(1), "choose your mentor")[0];
        var offered = CandidateValue().Matches(await (await s.Participant.GetAsync(new Uri(link, UriKind.Relative))).Content.ReadAsStringAsync())
            .Select(m => m.Groups[1].Value).ToList();
        var chosen = await s.Participant.PostAsync(new Uri(link, UriKind.Relative), new FormUrlEncodedContent([new("mentor", offered[0])]));
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        await s.AdvanceAsync(TimeSpan.FromDays(6));

        var mails = (await s.Sandbox.MessagesAsync());
        Assert.Equal(2, mails.Count(m => m.Subject.Contains("meet your proposed mentee", StringComparison.Ordinal)));
        Assert.Contains(mails, m => m.Subject.Contains("meet your proposed mentor", StringComparison.Ordinal) && m.To[0].Address == Mentee(2));
        AssertNothingHostileGetsOut(mails, (await s.Sandbox.EventsAsync(Organizer)));

        static string Row(string id, string role, string name, string email, string seniority, string capacity) =>
            $"{id},{role},\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{email},Europe/London,leadership;sql,data,\"{Script};{AttributeBreakout.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{seniority},3-6,{capacity},\"{AttributeBreakout.Replace("\"", "\"\"", StringComparison.Ordinal)}{Script}\"\n";
    }

    private static async Task ApplyAsync(Driver s, string email)
    {
        var mentor = email.StartsWith("mentor", StringComparison.Ordinal);
        await s.SubmitAsync(s.Links(email, "Apply to")[0],
            ("role", mentor ? "mentor" : "mentee"), ("name", Names[email]), ("time_zone", "Europe/London"),
            ("interests", "leadership, sql"), ("career_path", "data"), ("goals", Script + ", " + AttributeBreakout),
            ("seniority_years", mentor ? "12" : "3"), ("preferred_length", "3-6"), ("capacity", mentor ? "1" : ""), ("communication", "video"),
            ("statement", Script + AttributeBreakout + HeaderInjection));
    }

    private static string MentorOf(Driver s, string mentee) =>
        new[] { Mentor(1), Mentor(2) }.Single(m => s.MailTo(m).Any(x => x.Subject.Contains("meet your proposed mentee", StringComparison.Ordinal)
            && WebUtility.HtmlDecode(x.BodyContent).Contains(Names[mentee], StringComparison.Ordinal)));

    private static void AssertNothingHostileGetsOut(IReadOnlyList<SandboxMessage> mails, IReadOnlyList<SandboxEvent> events)
    {
        Assert.NotEmpty(mails);
        var bodies = mails.Select(m => (Where: $"mail '{m.Subject}'", m.BodyContent))
            .Concat(events.Select(e => (Where: $"invite '{e.Subject}'", e.BodyContent)))
            .Concat(events.Where(e => e.CancellationComment is not null).Select(e => (Where: $"cancellation of '{e.Subject}'", e.CancellationComment!)));
        foreach (var (where, body) in bodies)
        {
            foreach (var markup in HostileMarkup)
            {
                Assert.False(body.Contains(markup, StringComparison.OrdinalIgnoreCase), $"{where} contains raw '{markup}': {body}");
            }

            var tags = Tag().Matches(body).Select(t => t.Groups[1].Value).Where(t => !TemplateTags.Contains(t)).ToList();
            Assert.True(tags.Count == 0, $"{where} contains tags the template does not have ({string.Join(", ", tags)}): {body}");
        }

        var lines = mails.Select(m => m.Subject).Concat(events.Select(e => e.Subject)).Concat(events.Select(e => e.Location ?? ""))
            .Concat(mails.SelectMany(m => m.To.Concat(m.Cc)).Select(t => t.Name ?? ""))
            .Concat(events.SelectMany(e => e.Attendees).Select(a => a.Name ?? ""));
        Assert.All(lines, line => Assert.False(line.Any(c => char.IsControl(c)), $"'{line}' has a control character"));
    }

    [GeneratedRegex("</?\\s*([a-zA-Z][a-zA-Z0-9]*)")]
    private static partial Regex Tag();

    [GeneratedRegex("name=\"mentor\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex CandidateValue();

    /// <summary>
    /// Drives the server through accelerated time like the end-to-end scenario: the fake clock jumps from one due
    /// workflow timer to the next, the timers fire, the Graph outbox is dispatched to the sandbox at every stop.
    /// </summary>
    private sealed partial class Driver(ServerFactory server)
    {
        public HttpClient Manager { get; } = server.CreateManagerClient();

        public HttpClient Participant { get; } = server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        public MentorFlow.Graph.Sandbox.GraphSandbox Sandbox => server.Services.GetRequiredService<MentorFlow.Graph.Sandbox.GraphSandbox>();

        public async Task DispatchAsync()
        {
            var dispatcher = server.Services.GetRequiredService<GraphOutboxDispatcher<MentorFlowDbContext>>();
            for (var round = 0; round < 1_000 && await dispatcher.DispatchOnceAsync(CancellationToken.None) > 0; round++)
            {
            }
        }

        public async Task AdvanceAsync(TimeSpan span)
        {
            var maintenance = server.Services.GetRequiredService<IWorkflowEngineMaintenance>();
            var target = server.Clock.GetUtcNow() + span;
            for (var stops = 0; stops < 10_000; stops++)
            {
                var next = await maintenance.ListTimersDueBeforeAsync(target, 1);
                var stop = next.Count > 0 && next[0].DueAt < target && next[0].DueAt > server.Clock.GetUtcNow() ? next[0].DueAt : target;
                if (next.Count > 0 && next[0].DueAt <= server.Clock.GetUtcNow())
                {
                    stop = server.Clock.GetUtcNow();
                }

                if (stop > server.Clock.GetUtcNow())
                {
                    server.Clock.Advance(stop - server.Clock.GetUtcNow());
                }

                for (var i = 0; i < 20 && await maintenance.FireDueTimersAsync() > 0; i++)
                {
                }

                await DispatchAsync();
                if (server.Clock.GetUtcNow() >= target)
                {
                    return;
                }
            }
        }

        public IReadOnlyList<SandboxMessage> MailTo(string email) =>
            Sandbox.MessagesAsync().GetAwaiter().GetResult().Where(m => m.To.Any(t => string.Equals(t.Address, email, StringComparison.OrdinalIgnoreCase))).ToList();

        public IReadOnlyList<string> Links(string email, string subject)
        {
            var mail = MailTo(email).Where(m => m.Subject.Contains(subject, StringComparison.Ordinal)).OrderBy(m => m.SentAt).LastOrDefault()
                ?? throw new InvalidOperationException($"{email} has no mail about '{subject}' (has: {string.Join(" | ", MailTo(email).Select(m => m.Subject))})");
            return FormLink().Matches(mail.BodyContent).Select(m => new Uri(WebUtility.HtmlDecode(m.Value)).PathAndQuery).ToList();
        }

        public IReadOnlyList<string> AllLinks(string email, string subject) =>
            MailTo(email).Where(m => m.Subject.Contains(subject, StringComparison.Ordinal)).OrderBy(m => m.SentAt)
                .Select(m => new Uri(WebUtility.HtmlDecode(FormLink().Match(m.BodyContent).Value)).PathAndQuery).ToList();

        public async Task SubmitAsync(string path, params (string Name, string Value)[] fields)
        {
            var response = await Participant.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"POST {path} gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        public async Task<HttpResponseMessage> PostAsync(string path, object? body = null)
        {
            var response = body is null
                ? await Manager.PostAsync(new Uri(path, UriKind.Relative), null)
                : await Manager.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST {path} gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            return response;
        }

        [GeneratedRegex("https?://localhost/forms/[A-Za-z0-9_\\-\\.]+")]
        private static partial Regex FormLink();
    }
}
