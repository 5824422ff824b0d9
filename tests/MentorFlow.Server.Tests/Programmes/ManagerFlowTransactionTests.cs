using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MentorFlow.Mentoring.Automation;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Server.Persistence;
using MentorFlow.Server.Tests.Infrastructure;
using MentorFlow.Server.Tests.Security;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MentorFlow.Server.Tests.Programmes.FormFlowTransactionTests;

namespace MentorFlow.Server.Tests.Programmes;

/// <summary>
/// A manager's phase change or approval and the flows it starts are one transaction: when a flow to start is not
/// published the manager gets a 503 problem naming <c>flow</c> and nothing changes (the phase stays, the pairs stay
/// proposed), so a crash or a failure can never leave a phase without its flow or an approved pair without its
/// introductions; once the flow is published again the same call does both.
/// </summary>
public sealed class ManagerFlowTransactionTests
{
    [Fact]
    public async Task OpenPoll_WhileThePollFlowIsRetracted_Answers503NamingFlow_KeepsTheDraft_AndStartsTheFlowOnceRepublished()
    {
        using var server = new ServerFactory { Settings = Settings() };
        using var manager = server.CreateManagerClient();
        var created = await (await Ok(manager.PostAsJsonAsync(new Uri("/api/programmes", UriKind.Relative), ManagerKeyTests.Programme("Open " + Guid.NewGuid().ToString("N")[..6]))))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();
        await Ok(manager.PostAsync(new Uri($"/elsa/api/workflow-definitions/{DefaultFlows.InterestPoll}/retract", UriKind.Relative), null));

        var refused = await manager.PostAsync(new Uri($"/api/programmes/{id}/open", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("publish it in the Studio", problem.GetProperty("errors").GetProperty("flow")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(ProgrammePhase.Draft, await PhaseAsync(server, id));
        Assert.Equal(0, await InstancesAsync(server, DefaultFlows.InterestPoll, id));

        await Ok(manager.PostAsync(new Uri($"/elsa/api/workflow-definitions/{DefaultFlows.InterestPoll}/publish", UriKind.Relative), null));
        await Ok(manager.PostAsync(new Uri($"/api/programmes/{id}/open", UriKind.Relative), null));

        Assert.Equal(ProgrammePhase.Poll, await PhaseAsync(server, id));
        Assert.Equal(1, await InstancesAsync(server, DefaultFlows.InterestPoll, id));
    }

    [Fact]
    public async Task ApproveMatches_WhileTheIntroductionsFlowIsRetracted_Answers503_ApprovesNothing_AndApprovesWithIntroductionsOnceRepublished()
    {
        using var server = new ServerFactory { Settings = Settings() };
        using var manager = server.CreateManagerClient();
        var id = await ProgrammeAsync(manager, choose: false);
        await Ok(manager.PostAsJsonAsync(new Uri($"/api/programmes/{id}/matching/run", UriKind.Relative), new { minScore = 0.0 }));
        await Ok(manager.PostAsync(new Uri($"/elsa/api/workflow-definitions/{DefaultFlows.Introductions}/retract", UriKind.Relative), null));

        var refused = await manager.PostAsync(new Uri($"/api/programmes/{id}/matching/approve", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var pair = await SinglePairAsync(server, id);
        Assert.Equal(PairStatus.Proposed, pair.Status);
        Assert.Equal(0, await InstancesAsync(server, DefaultFlows.Introductions, pair.Id));

        await Ok(manager.PostAsync(new Uri($"/elsa/api/workflow-definitions/{DefaultFlows.Introductions}/publish", UriKind.Relative), null));
        await Ok(manager.PostAsync(new Uri($"/api/programmes/{id}/matching/approve", UriKind.Relative), null));

        pair = await SinglePairAsync(server, id);
        Assert.Equal(PairStatus.Approved, pair.Status);
        Assert.Equal(1, await InstancesAsync(server, DefaultFlows.Introductions, pair.Id));
    }

    private static async Task<ProgrammePhase> PhaseAsync(ServerFactory server, Guid id)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>().Set<Programme>().AsNoTracking().SingleAsync(p => p.Id == id)).Phase;
    }

    private static async Task<Pair> SinglePairAsync(ServerFactory server, Guid programmeId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>().Set<Pair>().AsNoTracking().SingleAsync(p => p.ProgrammeId == programmeId);
    }

    private static async Task<int> InstancesAsync(ServerFactory server, string definitionId, Guid correlation)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var id = correlation.ToString();
        return await scope.ServiceProvider.GetRequiredService<MentorFlowDbContext>().Set<WorkflowInstanceRecord>()
            .CountAsync(i => i.DefinitionId == definitionId && i.CorrelationId == id);
    }
}
