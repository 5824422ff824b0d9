using System.Net.Http.Json;
using System.Text.Json;
using MentorFlow.Mentoring.Automation;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Server.Persistence;
using MentorFlow.Server.Tests.Infrastructure;
using MentorFlow.Testing;
using MentorFlow.Workflows.Persistence;
using MentorFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MentorFlow.Server.Tests.Programmes.FormFlowTransactionTests;

namespace MentorFlow.Server.Tests.Programmes;

/// <summary>
/// The reconciliation sweep: an approved pair whose introductions flow was cancelled and a mentee's open choice whose
/// flow is gone each raise one incident on the programme dashboard, once however often the sweep runs; the incident is
/// resolved when the flow runs again and opened again when it faults. The hosted service runs the sweep on the
/// injected clock.
/// </summary>
public sealed class FlowReconciliationTests
{
    [Fact]
    public async Task Sweep_OnSqlite_RaisesOneIncidentPerPairOrChoiceWaitingOnABrokenFlow_OnlyOnce_AndResolvesIt()
    {
        using var server = new ServerFactory { Settings = Settings() };
        await SweepAsync(server);
    }

    [Fact]
    public async Task Sweep_OnPostgres_RaisesOneIncidentPerPairOrChoiceWaitingOnABrokenFlow_OnlyOnce_AndResolvesIt()
    {
        await using var postgres = await TestPostgres.CreateAsync();
        using var server = new ServerFactory { Settings = Settings(postgres) };
        await SweepAsync(server);
    }

    [Fact]
    public async Task HostedService_RunsTheSweepEveryInterval_OnTheInjectedClock()
    {
        var settings = Settings();
        settings["Workflows:EnableBackgroundServices"] = "true";
        settings["Mentoring:FlowReconciliation:Interval"] = "00:30:00";
        settings["Mentoring:FlowReconciliation:GracePeriod"] = "00:10:00";
        using var server = new ServerFactory { Settings = settings };
        using var manager = server.CreateManagerClient();
        var (programmeId, pair) = await ApprovedPairAsync(server, manager);
        var runtime = server.Services.GetRequiredService<IWorkflowRuntime>();
        Assert.True(await runtime.CancelAsync(await IntroductionsAsync(server, pair.Id)));

        server.Clock.Advance(TimeSpan.FromMinutes(20));
        await Task.Delay(500);
        Assert.Empty(await IncidentsAsync(server, programmeId));

        server.Clock.Advance(TimeSpan.FromMinutes(10));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!(await IncidentsAsync(server, programmeId)).Any() && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
        }

        var incident = Assert.Single(await IncidentsAsync(server, programmeId));
        Assert.Equal(pair.Id, incident.SubjectId);
        Assert.Equal("Cancelled", incident.Problem);
    }

    private static async Task SweepAsync(ServerFactory server)
    {
        using var manager = server.CreateManagerClient();
        var runtime = server.Services.GetRequiredService<IWorkflowRuntime>();
        var sweep = server.Services.GetRequiredService<FlowReconciliation>();
        var (pairProgramme, pair) = await ApprovedPairAsync(server, manager);
        var choiceProgramme = await ProgrammeAsync(manager, choose: true);
        await Ok(manager.PostAsJsonAsync(new Uri($"/api/programmes/{choiceProgramme}/matching/run", UriKind.Relative), new { minScore = 0.0 }));
        await Ok(manager.PostAsync(new Uri($"/api/programmes/{choiceProgramme}/matching/approve", UriKind.Relative), null));
        Guid choiceId;
        string choiceFlow;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
            choiceId = (await db.Set<MentorChoice>().AsNoTracking().SingleAsync(c => c.ProgrammeId == choiceProgramme)).Id;
            var correlation = choiceId.ToString();
            choiceFlow = (await db.Set<WorkflowInstanceRecord>().AsNoTracking().SingleAsync(i => i.CorrelationId == correlation)).Id;
        }

        // Healthy flows and fresh subjects raise nothing.
        server.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(0, (await sweep.SweepAsync()).Raised);

        // The pair's introductions are cancelled, the choice's flow is deleted: both wait forever.
        Assert.True(await runtime.CancelAsync(await IntroductionsAsync(server, pair.Id)));
        Assert.True(await runtime.DeleteInstanceAsync(choiceFlow));

        var first = await sweep.SweepAsync();
        var second = await sweep.SweepAsync();

        Assert.Equal(2, first.Raised);
        Assert.Equal((0, 0), (second.Raised, second.Resolved));
        var pairIncident = Assert.Single(await IncidentsAsync(server, pairProgramme));
        Assert.Equal(("Cancelled", DefaultFlows.Introductions), (pairIncident.Problem, pairIncident.DefinitionId));
        var choiceIncident = Assert.Single(await IncidentsAsync(server, choiceProgramme));
        Assert.Equal(("Missing", DefaultFlows.MentorChoice, choiceId), (choiceIncident.Problem, choiceIncident.DefinitionId, choiceIncident.SubjectId));

        // The manager sees each on the programme dashboard, with the other workflow incidents.
        var dashboard = await manager.GetFromJsonAsync<JsonElement>(new Uri($"/api/programmes/{pairProgramme}/dashboard", UriKind.Relative));
        var incidents = dashboard.GetProperty("incidents");
        Assert.Equal(1, incidents.GetProperty("open").GetInt32());
        var item = Assert.Single(incidents.GetProperty("items").EnumerateArray().ToList());
        Assert.Equal("Flow check", item.GetProperty("activityType").GetString());
        Assert.Equal(DefaultFlows.Introductions, item.GetProperty("definitionId").GetString());
        Assert.StartsWith("Pair Mentor ", item.GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.Contains("was cancelled", item.GetProperty("message").GetString(), StringComparison.Ordinal);
        var choiceDashboard = await manager.GetFromJsonAsync<JsonElement>(new Uri($"/api/programmes/{choiceProgramme}/dashboard", UriKind.Relative));
        var choiceItem = Assert.Single(choiceDashboard.GetProperty("incidents").GetProperty("items").EnumerateArray().ToList());
        Assert.Equal("Mentor choice of Mentee One", choiceItem.GetProperty("subject").GetString());
        Assert.Contains("was never started", choiceItem.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The flow runs again: the next sweep resolves the incident (and does not raise it again).
        await runtime.StartAsync(DefaultFlows.Introductions, new Dictionary<string, object?> { ["PairId"] = pair.Id.ToString() }, pair.Id.ToString());
        var third = await sweep.SweepAsync();

        Assert.Equal((0, 1), (third.Raised, third.Resolved));
        Assert.NotNull(Assert.Single(await IncidentsAsync(server, pairProgramme)).ResolvedAt);
        Assert.Null(Assert.Single(await IncidentsAsync(server, choiceProgramme)).ResolvedAt);
        var after = await manager.GetFromJsonAsync<JsonElement>(new Uri($"/api/programmes/{pairProgramme}/dashboard", UriKind.Relative));
        Assert.Equal(0, after.GetProperty("incidents").GetProperty("open").GetInt32());
        Assert.Equal(1, after.GetProperty("incidents").GetProperty("resolved").GetInt32());

        // It breaks again (the new flow faults): the same incident opens again, once.
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
            var correlation = pair.Id.ToString();
            Assert.Equal(1, await db.Database.ExecuteSqlAsync(
                $"UPDATE wf_instances SET status = 'Finished', sub_status = 'Faulted' WHERE correlation_id = {correlation} AND definition_id = {DefaultFlows.Introductions} AND status = 'Running'"));
        }

        var fourth = await sweep.SweepAsync();
        var fifth = await sweep.SweepAsync();

        Assert.Equal((1, 0), (fourth.Raised, fifth.Raised));
        var reopened = Assert.Single(await IncidentsAsync(server, pairProgramme));
        Assert.Equal(("Faulted", (DateTimeOffset?)null), (reopened.Problem, reopened.ResolvedAt));
        Assert.Contains("faulted: retry its incident", reopened.Message, StringComparison.Ordinal);
    }

    private static async Task<string> IntroductionsAsync(ServerFactory server, Guid pairId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>();
        var correlation = pairId.ToString();
        return (await db.Set<WorkflowInstanceRecord>().AsNoTracking().SingleAsync(i => i.CorrelationId == correlation && i.DefinitionId == DefaultFlows.Introductions)).Id;
    }

    private static async Task<IReadOnlyList<FlowIncident>> IncidentsAsync(ServerFactory server, Guid programmeId) =>
        await server.Services.GetRequiredService<FlowReconciliation>().ListAsync(programmeId);
}
