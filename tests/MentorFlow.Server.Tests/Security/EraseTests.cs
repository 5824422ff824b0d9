using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MentorFlow.Graph.Outbox;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Server.Persistence;
using MentorFlow.Server.Tests.Infrastructure;
using MentorFlow.Testing;
using MentorFlow.Workflows.Persistence;
using MentorFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SandboxMessage = MentorFlow.Graph.Sandbox.SandboxMessage;

namespace MentorFlow.Server.Tests.Security;

/// <summary>
/// "Erase means erased": a programme run through the real server and its default flows (poll, applications,
/// matching, confirmations, partnership flows running, mail sent and mail still queued), then
/// <c>POST /api/participants/erase</c> of one mentee. Every text and blob column of every table (from the database
/// catalog) and the Graph sandbox are then searched for their address, their name and a word of their statement.
/// </summary>
public sealed partial class EraseTests
{
    private const string Organizer = "mentoring@contoso.test";
    private const string Email = "zoe.quintana@contoso.test";
    private const string Name = "Zoë Quintana";
    private const string StatementWord = "Xylophonist";
    private const string TestimonialWord = "Quokkaphile";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Erase_OnSqlite_LeavesNoTraceInAnyColumnOrTheSandboxAndKeepsTheProgrammeCounts()
    {
        using var server = new ServerFactory { Settings = Settings() };
        await RunAsync(server);
    }

    [Fact]
    public async Task Erase_OnPostgres_LeavesNoTraceInAnyColumnOrTheSandboxAndKeepsTheProgrammeCounts()
    {
        await using var postgres = await TestPostgres.CreateAsync();
        var settings = Settings();
        settings["Database:Provider"] = "Postgres";
        settings["ConnectionStrings:mentorflow"] = postgres.ConnectionString;
        using var server = new ServerFactory { Settings = settings };
        await RunAsync(server);
    }

    [Fact]
    public async Task Erase_OfUnknownOrMalformedAddress_IsA4xxNamingEmail()
    {
        using var server = new ServerFactory { Settings = Settings() };
        using var manager = server.CreateManagerClient();

        var unknown = await manager.PostAsJsonAsync(new Uri("/api/participants/erase", UriKind.Relative), new { email = "nobody@contoso.test" });
        var malformed = await manager.PostAsJsonAsync(new Uri("/api/participants/erase", UriKind.Relative), new { email = "nobody" });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("email", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings() => new()
    {
        ["Graph:Dispatcher:Enabled"] = "false",
        ["GraphSandbox:Port"] = "0",
        ["Workflows:EnableBackgroundServices"] = "false",
        ["Mentoring:Links:SigningKey"] = new string('s', 40),
        ["Mentoring:Links:PublicBaseUrl"] = "http://localhost",
    };

    private static async Task RunAsync(ServerFactory server)
    {
        using var manager = server.CreateManagerClient();
        using var participant = server.CreateClient();
        var sandbox = server.Services.GetRequiredService<MentorFlow.Graph.Sandbox.GraphSandbox>();
        var programme = await ProgrammeAsync(server, manager, participant, sandbox);

        // Before: the export shows the person's flows and the mail to them, sent and queued.
        var export = await (await Ok(manager.PostAsJsonAsync(new Uri("/api/participants/export", UriKind.Relative), new { email = Email })))
            .Content.ReadFromJsonAsync<JsonElement>(Json);
        Assert.Contains(export.GetProperty("flows").EnumerateArray(), f => f.GetProperty("definitionId").GetString() == "mentoring-welcome");
        var exported = export.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("status").GetString()).ToList();
        Assert.Contains("Sent", exported);
        Assert.Contains("Pending", exported);
        Assert.Contains(StatementWord, export.GetProperty("applications")[0].GetProperty("statement").GetString(), StringComparison.Ordinal);
        var before = await DashboardAsync(manager, programme.Id);
        Assert.NotEmpty(await HitsAsync(server, [Email, Name, StatementWord]));
        Assert.NotEmpty(SandboxHits(sandbox, [Email, Name]));

        var erase = await Ok(manager.PostAsJsonAsync(new Uri("/api/participants/erase", UriKind.Relative), new { email = Email }));
        var result = await erase.Content.ReadFromJsonAsync<JsonElement>(Json);

        // Their flows stopped: every instance of their pair is finished (cancelled), with no wait left.
        Assert.True(result.GetProperty("flowsCancelled").GetInt32() >= 5, result.ToString());
        Assert.True(result.GetProperty("messagesCancelled").GetInt32() >= 1, result.ToString());
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
            var pairId = programme.PairId.ToString();
            var flows = await db.Set<WorkflowInstanceRecord>().AsNoTracking().Where(i => i.CorrelationId == pairId).ToListAsync();
            Assert.NotEmpty(flows);
            Assert.All(flows, f => Assert.Equal(nameof(WorkflowStatus.Finished), f.Status));
            Assert.Contains(flows, f => f.SubStatus == nameof(WorkflowSubStatus.Cancelled));
            var ids = flows.Select(f => f.Id).ToList();
            Assert.Equal(0, await db.Set<WorkflowBookmarkRecord>().CountAsync(b => ids.Contains(b.InstanceId)));
            Assert.Equal(0, await db.Set<WorkflowInboxRecord>().CountAsync(m => ids.Contains(m.InstanceId)));
            Assert.Contains(await db.Set<GraphOutboxMessage>().AsNoTracking().ToListAsync(), m => m.Status == GraphMessageStatus.Cancelled);
        }

        // Nothing more reaches them: time passes (timers would fire), the outbox is sent, they receive nothing new.
        var mailsToThemBefore = (await sandbox.MessagesAsync()).Count(m => m.Recipients.Contains(Email, StringComparer.OrdinalIgnoreCase));
        Assert.Equal(0, mailsToThemBefore);
        await AdvanceAsync(server, TimeSpan.FromDays(20));
        Assert.DoesNotContain((await sandbox.MessagesAsync()), m => m.Recipients.Contains(Email, StringComparer.OrdinalIgnoreCase));

        var hits = await HitsAsync(server, [Email, Name, StatementWord, TestimonialWord]);
        Assert.True(hits.Count == 0, "Still stored after erase: " + string.Join("; ", hits));
        if (!server.Settings.ContainsKey("Database:Provider"))
        {
            // SQLite: not in the file either (free pages, free space in pages, the write-ahead log).
            var fileHits = await FileHitsAsync(server, [Email, Name, StatementWord, TestimonialWord]);
            Assert.True(fileHits.Count == 0, "Still in the database file after erase: " + string.Join("; ", fileHits));
        }

        var sandboxHits = SandboxHits(sandbox, [Email, Name, StatementWord, TestimonialWord]);
        Assert.True(sandboxHits.Count == 0, "Still in the Graph sandbox after erase: " + string.Join("; ", sandboxHits));

        // The programme's figures still add up: in the funnel and the poll the person counts as an anonymous poll
        // answer and applicant, their pair as a relationship that closed early; the balance of the applications
        // (people who can still be matched) no longer counts them.
        var after = await DashboardAsync(manager, programme.Id);
        Assert.Equal(before.PollResponses, after.PollResponses);
        Assert.Equal((before.Applications - 1, before.Mentors, before.Mentees - 1), (after.Applications, after.Mentors, after.Mentees));
        Assert.Equal(before.TotalRelationships, after.TotalRelationships);
        Assert.Equal(before.Active - 1, after.Active);
        Assert.Equal(before.ClosedEarly + 1, after.ClosedEarly);
        Assert.Equal(before.Funnel, after.Funnel);
        Assert.Equal(before.TestimonialsReceived, after.TestimonialsReceived);
        Assert.Empty(after.DataIssues);

        // A second erase finds nothing: the person is gone.
        var again = await manager.PostAsJsonAsync(new Uri("/api/participants/erase", UriKind.Relative), new { email = Email });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    private sealed record SeededProgramme(Guid Id, Guid PairId);

    /// <summary>
    /// Poll → applications → matching → approval → both confirm the erased mentee's pair; the proposal mails are sent,
    /// the welcome and kick-off mails are still queued; the other pair stays unconfirmed.
    /// </summary>
    private static async Task<SeededProgramme> ProgrammeAsync(ServerFactory server, HttpClient manager, HttpClient participant, MentorFlow.Graph.Sandbox.GraphSandbox sandbox)
    {
        var start = server.Clock.GetUtcNow();
        var created = await (await Ok(manager.PostAsJsonAsync(new Uri("/api/programmes", UriKind.Relative), new
        {
            name = "Data community mentoring",
            organizerMailbox = Organizer,
            timeZone = "Europe/London",
            lengthOptions = new[] { "3-6" },
            targetMenteesPerMentor = 1,
            pollClosesAt = start.AddDays(7),
            applicationsCloseAt = start.AddDays(21),
            confirmationDays = 5,
            kickOffDays = 7,
        }))).Content.ReadFromJsonAsync<JsonElement>(Json);
        var id = created.GetProperty("id").GetGuid();
        var api = $"/api/programmes/{id}";
        var people = new (string Email, string Name, bool Mentor)[]
        {
            ("mia@contoso.test", "Mia Mentor", true), ("max@contoso.test", "Max Mentor", true),
            (Email, Name, false), ("eli@contoso.test", "Eli Mentee", false),
        };
        var members = new StringBuilder("email,name,seniority_years\n");
        foreach (var (email, name, mentor) in people)
        {
            members.Append(email).Append(',').Append(name).Append(',').Append(mentor ? "12" : "3").Append('\n');
        }

        await Ok(manager.PostAsync(new Uri($"{api}/members", UriKind.Relative), new StringContent(members.ToString(), Encoding.UTF8, "text/csv")));
        await Ok(manager.PostAsync(new Uri($"{api}/open", UriKind.Relative), null));
        await DispatchAsync(server);
        foreach (var (email, _, mentor) in people)
        {
            await SubmitAsync(participant, Links(sandbox, email, "would you like to mentor")[0], ("choice", mentor ? "Mentor" : "Mentee"), ("topics", "cloud"));
        }

        await Ok(manager.PostAsJsonAsync(new Uri($"{api}/phase", UriKind.Relative), new { phase = "Applications" }));
        await DispatchAsync(server);
        foreach (var (email, name, mentor) in people)
        {
            var statement = email == Email ? $"I play in a band as a {StatementWord} and want to move into data engineering." : "Happy to learn.";
            await SubmitAsync(participant, Links(sandbox, email, "Apply to")[0],
                ("role", mentor ? "mentor" : "mentee"), ("name", name), ("time_zone", "Europe/London"), ("interests", "cloud, data-science"),
                ("career_path", "data"), ("goals", "cloud"), ("seniority_years", mentor ? "12" : "3"), ("preferred_length", "3-6"),
                ("capacity", mentor ? "1" : ""), ("communication", "video"), ("statement", statement));
        }

        var review = await (await Ok(manager.PostAsJsonAsync(new Uri($"{api}/matching/run", UriKind.Relative), new { minScore = 0.0 })))
            .Content.ReadFromJsonAsync<JsonElement>(Json);
        Assert.Equal(2, review.GetProperty("pairs").GetArrayLength());
        await Ok(manager.PostAsync(new Uri($"{api}/matching/approve", UriKind.Relative), null));
        await DispatchAsync(server);

        // Both sides of the erased mentee's pair confirm; the partnership flows start and queue their first mails.
        var proposal = Links(sandbox, Email, "meet your proposed mentor")[0];
        await SubmitAsync(participant, proposal, ("accept", "yes"));
        var theirMentor = (await sandbox.MessagesAsync()).Where(m => m.Subject.Contains("meet your proposed mentee", StringComparison.Ordinal))
            .Select(m => m.To[0].Address).First(a => MailTo(sandbox, a).Any(m => m.BodyContent.Contains(WebUtility.HtmlEncode(Name), StringComparison.Ordinal)
                || m.BodyContent.Contains(Name, StringComparison.Ordinal)));
        await SubmitAsync(participant, Links(sandbox, theirMentor, "meet your proposed mentee")[0], ("accept", "yes"));

        Guid pairId;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
            var mentee = await db.Set<Application>().SingleAsync(a => a.Email == Email);
            var pair = await db.Set<Pair>().SingleAsync(p => p.MenteeId == mentee.Id);
            Assert.Equal(PairStatus.Active, pair.Status);
            pairId = pair.Id;

            // What a later stage of the programme adds: a check-in comment and a testimonial.
            db.Add(new SurveyResponse { PairId = pair.Id, ParticipantId = mentee.Id, Kind = SurveyKind.CheckIn, Round = 1, Rating = 4, Met = true, Comment = $"My mentor knows I am a {StatementWord}.", SubmittedAt = server.Clock.GetUtcNow() });
            db.Add(new Testimonial { ProgrammeId = id, ParticipantId = mentee.Id, Role = ParticipantRole.Mentee, Date = new DateOnly(2026, 11, 2), Text = $"As a {TestimonialWord}, I loved it.", Consent = true });
            await db.SaveChangesAsync();
            Assert.Contains(await db.Set<GraphOutboxMessage>().AsNoTracking().ToListAsync(),
                m => m.Status == GraphMessageStatus.Pending && m.Payload.Contains(Email, StringComparison.OrdinalIgnoreCase));
            Assert.Contains(await db.Set<WorkflowInstanceRecord>().AsNoTracking().Where(i => i.CorrelationId == pairId.ToString()).ToListAsync(),
                i => i.Status == nameof(WorkflowStatus.Running));
        }

        Assert.Contains((await sandbox.MessagesAsync()), m => m.Recipients.Contains(Email, StringComparer.OrdinalIgnoreCase));
        return new SeededProgramme(id, pairId);
    }

    private sealed record Figures(
        int Applications, int Mentors, int Mentees, int PollResponses, int Active, int ClosedEarly, int TotalRelationships,
        string Funnel, int TestimonialsReceived, IReadOnlyList<string> DataIssues);

    private static async Task<Figures> DashboardAsync(HttpClient manager, Guid id)
    {
        var body = await (await Ok(manager.GetAsync(new Uri($"/api/programmes/{id}/dashboard", UriKind.Relative)))).Content.ReadFromJsonAsync<JsonElement>(Json);
        var funnel = body.GetProperty("funnel");
        var metrics = body.GetProperty("metrics");
        return new Figures(
            funnel.GetProperty("applications").GetInt32(),
            funnel.GetProperty("mentorApplications").GetInt32(),
            funnel.GetProperty("menteeApplications").GetInt32(),
            body.GetProperty("poll").GetProperty("results").GetProperty("responses").GetInt32(),
            body.GetProperty("matches").GetProperty("active").GetInt32(),
            body.GetProperty("matches").GetProperty("closedEarly").GetInt32(),
            metrics.GetProperty("totalRelationships").GetInt32(),
            string.Join(", ", funnel.GetProperty("stages").EnumerateArray().Select(s => $"{s.GetProperty("label").GetString()}: {s.GetProperty("count").GetInt32()}")),
            body.GetProperty("testimonials").GetProperty("received").GetInt32(),
            [.. metrics.GetProperty("dataIssues").EnumerateArray().Select(i => i.ToString())]);
    }

    /// <summary>Every form a value may be stored in: as written, HTML-encoded, JSON-escaped (both), lower-cased.</summary>
    private static IReadOnlyList<string> Forms(IEnumerable<string> values) =>
        [.. values.SelectMany(v => new[] { v, WebUtility.HtmlEncode(v) })
            .SelectMany(v => new[] { v, JsonSerializer.Serialize(v)[1..^1] })
            .Select(v => v.ToLowerInvariant()).Distinct()];

    /// <summary>"table.column: value" for each text or blob cell of each table (from the catalog) holding one of the values.</summary>
    private static async Task<IReadOnlyList<string>> HitsAsync(ServerFactory server, IEnumerable<string> values)
    {
        var forms = Forms(values);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var postgres = db is PostgresMentorFlowDbContext;
        var columns = new List<(string Table, string Column)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = postgres
                ? "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                  + "AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'xml', 'ARRAY') ORDER BY table_name, column_name"
                : "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.name";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Assert.Contains(columns, c => c.Table == "graph_outbox");
        Assert.Contains(columns, c => c.Table == "wf_instances" && c.Column == "state");
        Assert.Contains(columns, c => c.Table == "mf_applications");
        var hits = new List<string>();
        foreach (var (table, column) in columns)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = postgres ? $"SELECT \"{column}\"::text FROM \"{table}\"" : $"SELECT \"{column}\" FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var text = Text(reader);
                if (text is not null && forms.FirstOrDefault(f => text.Contains(f, StringComparison.OrdinalIgnoreCase)) is { } found)
                {
                    hits.Add($"{table}.{column} holds '{found}': {(text.Length > 300 ? text[..300] + "…" : text)}");
                }
            }
        }

        return hits;
    }

    /// <summary>The values (in any stored form) found in the bytes of the SQLite database file and its write-ahead log.</summary>
    private static async Task<IReadOnlyList<string>> FileHitsAsync(ServerFactory server, IEnumerable<string> values)
    {
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }

        var forms = Forms(values);
        var hits = new List<string>();
        foreach (var path in new[] { server.DatabasePath, server.DatabasePath + "-wal" }.Where(File.Exists))
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy);
            var text = Encoding.UTF8.GetString(copy.ToArray());
            hits.AddRange(forms.Where(f => text.Contains(f, StringComparison.OrdinalIgnoreCase)).Select(f => $"{Path.GetFileName(path)} holds '{f}'"));
        }

        return hits;
    }

    private static string? Text(DbDataReader reader) =>
        reader.IsDBNull(0) ? null : reader.GetValue(0) switch
        {
            string text => text,
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture),
        };

    private static IReadOnlyList<string> SandboxHits(MentorFlow.Graph.Sandbox.GraphSandbox sandbox, IEnumerable<string> values)
    {
        var forms = Forms(values);
        var texts = sandbox.MessagesAsync().GetAwaiter().GetResult().Select(m => ($"mail {m.Subject}", JsonSerializer.Serialize(m)))
            .Concat(sandbox.EventsAsync().GetAwaiter().GetResult().Select(e => ($"event {e.Subject}", JsonSerializer.Serialize(e))))
            .Concat(sandbox.KnownAddressesAsync().GetAwaiter().GetResult().Select(a => ("address", a)));
        return [.. texts.Where(t => forms.Any(f => t.Item2.Contains(f, StringComparison.OrdinalIgnoreCase))).Select(t => t.Item1)];
    }

    private static async Task DispatchAsync(ServerFactory server)
    {
        var dispatcher = server.Services.GetRequiredService<GraphOutboxDispatcher<MentorFlowDbContext>>();
        for (var round = 0; round < 1_000 && await dispatcher.DispatchOnceAsync(CancellationToken.None) > 0; round++)
        {
        }
    }

    /// <summary>Moves the fake clock day by day, firing due workflow timers and sending the outbox at each step.</summary>
    private static async Task AdvanceAsync(ServerFactory server, TimeSpan span)
    {
        var maintenance = server.Services.GetRequiredService<IWorkflowEngineMaintenance>();
        for (var day = 0; day < span.TotalDays; day++)
        {
            server.Clock.Advance(TimeSpan.FromDays(1));
            for (var i = 0; i < 20 && await maintenance.FireDueTimersAsync() > 0; i++)
            {
            }

            await DispatchAsync(server);
        }
    }

    private static IReadOnlyList<SandboxMessage> MailTo(MentorFlow.Graph.Sandbox.GraphSandbox sandbox, string email) =>
        [.. sandbox.MessagesAsync().GetAwaiter().GetResult().Where(m => m.To.Any(t => string.Equals(t.Address, email, StringComparison.OrdinalIgnoreCase)))];

    private static IReadOnlyList<string> Links(MentorFlow.Graph.Sandbox.GraphSandbox sandbox, string email, string subject)
    {
        var mail = MailTo(sandbox, email).Where(m => m.Subject.Contains(subject, StringComparison.Ordinal)).OrderBy(m => m.SentAt).LastOrDefault()
            ?? throw new InvalidOperationException($"{email} has no mail about '{subject}' (has: {string.Join(" | ", MailTo(sandbox, email).Select(m => m.Subject))})");
        return [.. FormLink().Matches(mail.BodyContent).Select(m => new Uri(WebUtility.HtmlDecode(m.Value)).PathAndQuery)];
    }

    private static async Task SubmitAsync(HttpClient participant, string path, params (string Name, string Value)[] fields)
    {
        using var content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        var response = await participant.PostAsync(new Uri(path, UriKind.Relative), content);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {path} gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<HttpResponseMessage> Ok(Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    [GeneratedRegex("https?://localhost/forms/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex FormLink();
}
