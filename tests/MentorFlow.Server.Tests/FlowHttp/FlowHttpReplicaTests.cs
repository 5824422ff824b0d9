using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Testing;

namespace MentorFlow.Server.Tests.FlowHttp;

/// <summary>
/// Two server replicas on one PostgreSQL database: a flow published through the Studio's API on one answers its path
/// on the other at once, and once retracted on the first, the other answers 404 at once.
/// </summary>
public sealed class FlowHttpReplicaTests
{
    [Fact]
    public async Task FlowPublishedOnReplicaA_AnswersOnReplicaB_AndRetractedOnA_Is404OnB()
    {
        await using var postgres = await TestPostgres.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:mentorflow"] = postgres.ConnectionString,
        };
        using var a = new FlowHttpServer { Settings = settings };
        _ = a.Server; // the first replica migrates the database
        using var b = new FlowHttpServer { Settings = settings };
        using var managerOnA = a.CreateManagerClient();
        using var callerOnB = b.CreateClient();
        var before = await callerOnB.GetAsync(new Uri("/workflows/replicas/hello", UriKind.Relative));

        var saved = await managerOnA.PostAsJsonAsync(new Uri("/elsa/api/workflow-definitions", UriKind.Relative), new JsonObject
        {
            ["model"] = Flow(),
            ["publish"] = true,
        });
        var published = await callerOnB.GetAsync(new Uri("/workflows/replicas/hello", UriKind.Relative));
        var retract = await managerOnA.PostAsync(new Uri("/elsa/api/workflow-definitions/replica-hello/retract", UriKind.Relative), null);
        var retracted = await callerOnB.GetAsync(new Uri("/workflows/replicas/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal("hello from either replica", await published.Content.ReadAsStringAsync());
        Assert.True(retract.IsSuccessStatusCode, await retract.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, retracted.StatusCode);
    }

    private static JsonObject Flow()
    {
        static JsonObject Literal(string value, string typeName = "String") =>
            new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = value } };

        return new JsonObject
        {
            ["definitionId"] = "replica-hello",
            ["name"] = "Replica hello",
            ["root"] = new JsonObject
            {
                ["type"] = "Elsa.Flowchart", ["id"] = "root",
                ["activities"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["id"] = "in", ["type"] = "Elsa.HttpEndpoint", ["version"] = 1,
                        ["path"] = Literal("/replicas/hello"), ["supportedMethods"] = Literal("[\"GET\"]", "String[]"),
                    },
                    new JsonObject { ["id"] = "reply", ["type"] = "Elsa.WriteHttpResponse", ["version"] = 1, ["content"] = Literal("hello from either replica") },
                },
                ["connections"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["source"] = new JsonObject { ["activity"] = "in", ["port"] = "Done" },
                        ["target"] = new JsonObject { ["activity"] = "reply", ["port"] = "In" },
                    },
                },
            },
        };
    }
}
