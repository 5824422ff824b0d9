using System.Net;
using System.Text.Json.Nodes;
using MentorFlow.Server.Tests.Infrastructure;
using MentorFlow.Workflows.Definitions;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Server.Tests.FlowHttp;

/// <summary>The per-client, per-path limit on flow requests.</summary>
public sealed class FlowHttpRateLimitTests
{
    [Fact]
    public async Task RequestsPastTheLimit_Get429WithRetryAfter_PerPath()
    {
        using var server = new ServerFactory { Settings = { ["Workflows:HttpEndpoints:RateLimitPermits"] = "3" } };
        var definitions = server.Services.GetRequiredService<IWorkflowDefinitionService>();
        foreach (var path in (string[])["limited", "other"])
        {
            var saved = await definitions.ImportAsync(new JsonObject
            {
                ["definitionId"] = path,
                ["name"] = $"Rate {path}",
                ["root"] = new JsonObject
                {
                    ["type"] = "Elsa.Flowchart", ["id"] = "root", ["connections"] = new JsonArray(),
                    ["activities"] = new JsonArray { new JsonObject { ["id"] = "in", ["type"] = "Elsa.HttpEndpoint", ["version"] = 1, ["path"] = $"/{path}" } },
                },
            }.ToJsonString());
            Assert.True((await definitions.PublishAsync(saved.Definition.DefinitionId)).Succeeded);
        }

        using var client = server.CreateClient();
        var statuses = new List<int>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 5; i++)
        {
            var response = await client.GetAsync(new Uri("/workflows/limited", UriKind.Relative));
            statuses.Add((int)response.StatusCode);
            limited ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        var otherPath = await client.GetAsync(new Uri("/workflows/other", UriKind.Relative));

        Assert.Equal([200, 200, 200, 429, 429], statuses);
        Assert.InRange(limited!.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, otherPath.StatusCode);
    }
}
