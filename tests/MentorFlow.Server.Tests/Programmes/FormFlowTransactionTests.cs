using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MentorFlow.Mentoring.Automation;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Server.Persistence;
using MentorFlow.Server.Tests.Infrastructure;
using MentorFlow.Server.Tests.Security;
using MentorFlow.Testing;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Server.Tests.Programmes;

/// <summary>
/// A participant's answer, the spent link and the flows it starts or signals are one transaction: when a flow to start
/// is not published, or the database refuses the engine's rows, the participant gets a "try again later" page (503,
/// no stack trace), nothing is recorded and the link still works; once the cause is gone the same link succeeds.
/// </summary>
public sealed class FormFlowTransactionTests
{
    private const string Unavailable = "We could not record this right now";

    [Fact]
    public async Task ConfirmMatch_WhileAPartnershipFlowIsRetracted_OnSqlite_GetsTryLaterPage_RecordsNothing_AndSucceedsOnceRepublished()
    {
        using var server = new ServerFactory { Settings = Settings() };
        await ConfirmWhileRetractedAsync(server);
    }

    [Fact]
    public async Task ConfirmMatch_WhileAPartnershipFlowIsRetracted_OnPostgres_GetsTryLaterPage_RecordsNothing_AndSucceedsOnceRepublished()
    {
        await using var postgres = await TestPostgres.CreateAsync();
        using var server = new ServerFactory { Settings = Settings(postgres) };
        await ConfirmWhileRetractedAsync(server);
    }

    [Fact]
    public async Task ConfirmMatch_WhenTheDatabaseRefusesTheEnginesInboxRow_OnSqlite_RecordsNothing_AndTheLinkWorksAfterwards()
    {
        using var server = new ServerFactory { Settings = Settings() };
        await ConfirmWhileInboxRefusedAsync(server, postgres: false);
    }

    [Fact]
    public async Task ConfirmMatch_WhenTheDatabaseRefusesTheEnginesInboxRow_OnPostgres_RecordsNothing_AndTheLinkWorksAfterwards()
    {
        await using var postgres = await TestPostgres.CreateAsync();
        using var server = new ServerFactory { Settings = Settings(postgres) };
        await ConfirmWhileInboxRefusedAsync(server, postgres: true);
    }

    [Fact]
    public async Task ChooseMentor_WhileTheIntroductionsFlowIsRetracted_OnSqlite_KeepsTheChoiceOpen_AndTheSameLinkChoosesOnceRepublished()
    {
        using var server = new ServerFactory { Settings = Settings() };
        await ChooseWhileRetractedAsync(server);
    }

    [Fact]
    public async Task ChooseMentor_WhileTheIntroductionsFlowIsRetracted_OnPostgres_KeepsTheChoiceOpen_AndTheSameLinkChoosesOnceRepublished()
    {
        await using var postgres = await TestPostgres.CreateAsync();
        using var server = new ServerFactory { Settings = Settings(postgres) };
        await ChooseWhileRetractedAsync(server);
    }

    private static async Task ConfirmWhileRetractedAsync(ServerFactory server)
    {
        using var manager = server.CreateManagerClient();
        using var participant = server.CreateClient();
        var (programmeId, pair) = await ApprovedPairAsync(server, manager);
        Assert.Equal(HttpStatusCode.OK, (await participant.PostAsync(await LinkAsync(manager, programmeId, "ConfirmMatch", pair.MenteeId, pair.Id), Accept())).StatusCode);
        var mentorLink = await LinkAsync(manager, programmeId, "ConfirmMatch", pair.MentorId, pair.Id);
        await Ok(manager.PostAsync(new Uri($"/elsa/api/workflow-definitions/{DefaultFlows.Closing}/retract", UriKind.Relative), null));

        var refused = await participant.PostAsync(mentorLink, Accept());

        await AssertTryLaterAsync(refused);
        var stored = await PairAsync(server, pair.Id);
        Assert.Equal(PairStatus.Approved, stored.Status);
        Assert.Null(stored.MentorConfirmedAt);
        Assert.Empty(await PartnershipFlowsAsync(server, pair.Id));
        Assert.Equal(0, await InboxCountAsync(server));
        var form = await participant.GetAsync(mentorLink);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);

        await Ok(manager.PostAsync(new Uri($"/elsa/api/workflow-definitions/{DefaultFlows.Closing}/publish", UriKind.Relative), null));
        var accepted = await participant.PostAsync(mentorLink, Accept());

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(PairStatus.Active, (await PairAsync(server, pair.Id)).Status);
        Assert.Equal(DefaultFlows.PartnershipFlows.Order(StringComparer.Ordinal), (await PartnershipFlowsAsync(server, pair.Id)).Order(StringComparer.Ordinal));
        Assert.Equal(0, await InboxCountAsync(server));
        Assert.Equal(HttpStatusCode.Gone, (await participant.PostAsync(mentorLink, Accept())).StatusCode);
    }

    private static async Task ConfirmWhileInboxRefusedAsync(ServerFactory server, bool postgres)
    {
        using var manager = server.CreateManagerClient();
        using var participant = server.CreateClient();
        var (programmeId, pair) = await ApprovedPairAsync(server, manager);
        Assert.Equal(HttpStatusCode.OK, (await participant.PostAsync(await LinkAsync(manager, programmeId, "ConfirmMatch", pair.MenteeId, pair.Id), Accept())).StatusCode);
        var mentorLink = await LinkAsync(manager, programmeId, "ConfirmMatch", pair.MentorId, pair.Id);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
            // The database refuses the engine's row (the introductions flow waits for PairActive, so the answer queues one).
            await db.Database.ExecuteSqlRawAsync(postgres
                ? "CREATE FUNCTION mf_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$; "
                  + "CREATE TRIGGER mf_test_refuse BEFORE INSERT ON wf_inbox FOR EACH ROW EXECUTE FUNCTION mf_test_refuse();"
                : "CREATE TRIGGER mf_test_refuse BEFORE INSERT ON wf_inbox BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
        }

        var refused = await participant.PostAsync(mentorLink, Accept());

        await AssertTryLaterAsync(refused);
        var stored = await PairAsync(server, pair.Id);
        Assert.Equal(PairStatus.Approved, stored.Status);
        Assert.Null(stored.MentorConfirmedAt);
        Assert.Empty(await PartnershipFlowsAsync(server, pair.Id));
        Assert.Equal(HttpStatusCode.OK, (await participant.GetAsync(mentorLink)).StatusCode);

        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
            await db.Database.ExecuteSqlRawAsync(postgres ? "DROP TRIGGER mf_test_refuse ON wf_inbox" : "DROP TRIGGER mf_test_refuse");
        }

        var accepted = await participant.PostAsync(mentorLink, Accept());

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(PairStatus.Active, (await PairAsync(server, pair.Id)).Status);
        Assert.Equal(DefaultFlows.PartnershipFlows.Count, (await PartnershipFlowsAsync(server, pair.Id)).Count);
        Assert.Equal(0, await InboxCountAsync(server));
    }

    private static async Task ChooseWhileRetractedAsync(ServerFactory server)
    {
        using var manager = server.CreateManagerClient();
        using var participant = server.CreateClient();
        var programmeId = await ProgrammeAsync(manager, choose: true);
        await Ok(manager.PostAsJsonAsync(new Uri($"/api/programmes/{programmeId}/matching/run", UriKind.Relative), new { minScore = 0.0 }));
        await Ok(manager.PostAsync(new Uri($"/api/programmes/{programmeId}/matching/approve", UriKind.Relative), null));
        MentorChoice choice;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
            choice = await db.Set<MentorChoice>().AsNoTracking().SingleAsync(c => c.ProgrammeId == programmeId);
        }

        var link = await LinkAsync(manager, programmeId, "ChooseMentor", choice.MenteeId, choice.Id);
        var mentor = choice.Candidates[0].MentorId.ToString("N");
        await Ok(manager.PostAsync(new Uri($"/elsa/api/workflow-definitions/{DefaultFlows.Introductions}/retract", UriKind.Relative), null));

        var refused = await participant.PostAsync(link, Form(("mentor", mentor)));

        await AssertTryLaterAsync(refused);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
            Assert.Equal(MentorChoiceStatus.Open, (await db.Set<MentorChoice>().AsNoTracking().SingleAsync(c => c.Id == choice.Id)).Status);
            Assert.Equal(0, await db.Set<Pair>().CountAsync(p => p.ProgrammeId == programmeId));
            Assert.Equal(0, await db.Set<UsedLink>().CountAsync());
        }

        Assert.Equal(0, await InboxCountAsync(server));
        Assert.Equal(HttpStatusCode.OK, (await participant.GetAsync(link)).StatusCode);

        await Ok(manager.PostAsync(new Uri($"/elsa/api/workflow-definitions/{DefaultFlows.Introductions}/publish", UriKind.Relative), null));
        var chosen = await participant.PostAsync(link, Form(("mentor", mentor)));

        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
            var stored = await db.Set<MentorChoice>().AsNoTracking().SingleAsync(c => c.Id == choice.Id);
            Assert.Equal(MentorChoiceStatus.Chosen, stored.Status);
            var pairId = stored.PairId!.Value.ToString();
            Assert.Equal(1, await db.Set<WorkflowInstanceRecord>().CountAsync(i => i.CorrelationId == pairId && i.DefinitionId == DefaultFlows.Introductions));
            var choiceFlow = await db.Set<WorkflowInstanceRecord>().AsNoTracking().SingleAsync(i => i.CorrelationId == choice.Id.ToString());
            Assert.Equal("Finished", choiceFlow.Status);
        }

        Assert.Equal(0, await InboxCountAsync(server));
    }

    internal static Dictionary<string, string?> Settings(TestPostgres? postgres = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Graph:Dispatcher:Enabled"] = "false",
            ["GraphSandbox:Port"] = "0",
            ["Workflows:EnableBackgroundServices"] = "false",
            ["Mentoring:Links:SigningKey"] = new string('s', 40),
        };
        if (postgres is not null)
        {
            settings["Database:Provider"] = "Postgres";
            settings["ConnectionStrings:mentorflow"] = postgres.ConnectionString;
        }

        return settings;
    }

    private static async Task AssertTryLaterAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(Unavailable, html, StringComparison.Ordinal);
        Assert.Contains("the link from your email still works", html, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("wf_", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
    }

    /// <summary>A programme in its applications phase with two mentors and one mentee (or, when mentees choose, their choice offered).</summary>
    internal static async Task<Guid> ProgrammeAsync(HttpClient manager, bool choose)
    {
        var body = JsonSerializer.SerializeToNode(ManagerKeyTests.Programme("Transactions " + Guid.NewGuid().ToString("N")[..6]))!;
        body["menteeChoosesFromTopThree"] = choose;
        var created = await (await Ok(manager.PostAsJsonAsync(new Uri("/api/programmes", UriKind.Relative), body))).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();
        await Ok(manager.PostAsJsonAsync(new Uri($"/api/programmes/{id}/phase", UriKind.Relative), new { phase = "Applications" }));
        var csv = new StringBuilder("id,role,name,email,time_zone,interests,career_path,goals,seniority_years,preferred_length,capacity\n")
            .Append("mentor1,mentor,Mentor One,mentor1@c.test,Europe/London,sql;python,data,sql,12,3-6,1\n")
            .Append("mentor2,mentor,Mentor Two,mentor2@c.test,Europe/London,python;cloud,data,python,12,3-6,1\n")
            .Append("mentee1,mentee,Mentee One,mentee1@c.test,Europe/London,sql,data,sql,2,3-6,\n");
        await Ok(manager.PostAsync(new Uri($"/api/programmes/{id}/applications/import", UriKind.Relative), new StringContent(csv.ToString(), Encoding.UTF8, "text/csv")));
        return id;
    }

    /// <summary>A programme whose one pair is approved (its introductions flow waits for both confirmations).</summary>
    internal static async Task<(Guid ProgrammeId, Pair Pair)> ApprovedPairAsync(ServerFactory server, HttpClient manager)
    {
        var id = await ProgrammeAsync(manager, choose: false);
        await Ok(manager.PostAsJsonAsync(new Uri($"/api/programmes/{id}/matching/run", UriKind.Relative), new { minScore = 0.0 }));
        await Ok(manager.PostAsync(new Uri($"/api/programmes/{id}/matching/approve", UriKind.Relative), null));
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
        return (id, await db.Set<Pair>().AsNoTracking().SingleAsync(p => p.ProgrammeId == id && p.Status == PairStatus.Approved));
    }

    internal static async Task<Uri> LinkAsync(HttpClient manager, Guid programmeId, string purpose, Guid participant, Guid subject)
    {
        var link = await (await Ok(manager.PostAsJsonAsync(new Uri($"/api/programmes/{programmeId}/links", UriKind.Relative),
            new { purpose, participant = participant.ToString("N"), subject = subject.ToString("N") }))).Content.ReadFromJsonAsync<JsonElement>();
        return new Uri(new Uri(link.GetProperty("url").GetString()!).PathAndQuery, UriKind.Relative);
    }

    internal static async Task<Pair> PairAsync(ServerFactory server, Guid pairId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
        return await db.Set<Pair>().AsNoTracking().SingleAsync(p => p.Id == pairId);
    }

    private static async Task<List<string>> PartnershipFlowsAsync(ServerFactory server, Guid pairId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
        var correlation = pairId.ToString();
        return await db.Set<WorkflowInstanceRecord>().AsNoTracking()
            .Where(i => i.CorrelationId == correlation && i.DefinitionId != DefaultFlows.Introductions).Select(i => i.DefinitionId).ToListAsync();
    }

    private static async Task<int> InboxCountAsync(ServerFactory server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>().Set<WorkflowInboxRecord>().CountAsync();
    }

    private static FormUrlEncodedContent Accept() => Form(("accept", "yes"));

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    internal static async Task<HttpResponseMessage> Ok(Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }
}
