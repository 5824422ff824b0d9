using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using MentorFlow.Server.Tests.Infrastructure;
using static MentorFlow.Server.Tests.Studio.StudioFlows;

namespace MentorFlow.Server.Tests.Security;

/// <summary>
/// A flow author's runaway expressions through the Studio's API on the real server: a Liquid template doubling a
/// string 30 times and a script repeating a string 5e8 times end, quickly, as a faulted instance whose incident names
/// the limit and its setting; no response of the Studio API carries a stack trace, none is a 500.
/// </summary>
public sealed class ExpressionLimitSecurityTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Limit = "exceeded 1 MB (Workflows:ExpressionOutputLimitBytes)";

    public static TheoryData<string, JsonObject> Runaways => new()
    {
        { "liquid", Expression("Liquid", "{% assign s = 'x' %}{% for i in (1..30) %}{% assign s = s | append: s %}{% endfor %}{{ s }}") },
        { "script", Expression("JavaScript", "'x'.repeat(5e8)") },
    };

    [Theory]
    [MemberData(nameof(Runaways))]
    public async Task RunawayExpression_EndsAsAnIncidentNamingTheLimit_AndNoResponseCarriesAStackTrace(string name, JsonObject text)
    {
        using var client = factory.CreateManagerClient();
        var id = Unique(name);
        var model = Waiting(id);
        model["root"]!["activities"]![1]!["text"] = text;
        await SaveAsync(client, model);
        var allocated = GC.GetTotalAllocatedBytes();
        var clock = Stopwatch.StartNew();

        var (execute, body) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/execute", new JsonObject { ["versionOptions"] = "Latest" });

        clock.Stop();
        Assert.Equal(HttpStatusCode.OK, execute.StatusCode);
        Assert.Equal("Faulted", (string?)body!["workflowState"]!["subStatus"]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.True(GC.GetTotalAllocatedBytes() - allocated < 256L * 1024 * 1024, "allocated more than 256 MB");
        var instanceId = execute.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        var responses = new List<string> { body.ToJsonString() };
        foreach (var path in new[]
        {
            $"/elsa/api/workflow-instances/{instanceId}",
            $"/elsa/api/workflow-instances/{instanceId}/execution-state",
            $"/elsa/api/workflow-instances/{instanceId}/journal",
            $"/elsa/api/activity-executions/list?workflowInstanceId={instanceId}&activityNodeId=Workflow1:fc:write",
        })
        {
            var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True((int)response.StatusCode < 500, $"GET {path} gave {(int)response.StatusCode}");
            responses.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Contains(responses, r => r.Contains(Limit, StringComparison.Ordinal));
        Assert.All(responses, r =>
        {
            Assert.DoesNotContain("   at ", r, StringComparison.Ordinal);
            Assert.DoesNotContain(".cs:line", r, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception:", r, StringComparison.Ordinal);
        });
    }
}
