using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>Elsa 3 definition JSON for the Studio tests, and small helpers for the Elsa API.</summary>
internal static class StudioFlows
{
    /// <summary>
    /// Start → WriteLine (Liquid greeting from a variable) → Event "Go" (waits) → End, with designer metadata the
    /// Studio writes (positions, sizes) and a property the server does not know, to check they are kept.
    /// </summary>
    public static JsonObject Waiting(string definitionId, string? name = null) => new()
    {
        ["definitionId"] = definitionId,
        ["name"] = name ?? $"Flow {definitionId}",
        ["description"] = "A flow for the Studio tests.",
        ["variables"] = new JsonArray(new JsonObject
        {
            ["id"] = "var-greeting",
            ["name"] = "Greeting",
            ["typeName"] = "String",
            ["isArray"] = false,
            ["value"] = "Hello",
        }),
        ["inputs"] = new JsonArray(),
        ["outputs"] = new JsonArray(),
        ["outcomes"] = new JsonArray(),
        ["customProperties"] = new JsonObject { ["mentorflow:owner"] = "studio-tests" },
        ["options"] = new JsonObject { ["autoUpdateConsumingWorkflows"] = false },
        ["root"] = new JsonObject
        {
            ["type"] = "Elsa.Flowchart",
            ["version"] = 1,
            ["id"] = "fc",
            ["nodeId"] = "Workflow1:fc",
            ["metadata"] = new JsonObject(),
            ["customProperties"] = new JsonObject(),
            ["activities"] = new JsonArray(
                Activity("start", "Elsa.Start", 0),
                Activity("write", "Elsa.WriteLine", 250, ("text", Expression("Liquid", "{{ Greeting }} from {{ Workflow.DefinitionId }}"))),
                Activity("wait", "Elsa.Event", 500, ("eventName", Expression("Literal", "Go"))),
                Activity("end", "Elsa.End", 750)),
            ["connections"] = new JsonArray(
                Connection("start", "Done", "write"),
                Connection("write", "Done", "wait"),
                Connection("wait", "Done", "end")),
        },
    };

    /// <summary>A flow whose WriteLine has a Liquid text that does not parse and which connects to a missing activity.</summary>
    public static JsonObject Invalid(string definitionId)
    {
        var model = Waiting(definitionId);
        var activities = (JsonArray)model["root"]!["activities"]!;
        activities[1]!["text"] = Expression("Liquid", "{{ Greeting ");
        ((JsonArray)model["root"]!["connections"]!).Add(Connection("end", "Done", "nowhere"));
        return model;
    }

    public static JsonObject Expression(string type, string value) => new()
    {
        ["typeName"] = "String",
        ["expression"] = new JsonObject { ["type"] = type, ["value"] = value },
    };

    public static JsonObject Activity(string id, string type, double x, params (string Name, JsonNode Value)[] inputs)
    {
        var activity = new JsonObject
        {
            ["id"] = id,
            ["nodeId"] = $"Workflow1:fc:{id}",
            ["name"] = id,
            ["type"] = type,
            ["version"] = 1,
            ["customProperties"] = new JsonObject { ["canStartWorkflow"] = false, ["runAsynchronously"] = false },
            ["metadata"] = new JsonObject
            {
                ["designer"] = new JsonObject
                {
                    ["position"] = new JsonObject { ["x"] = x, ["y"] = 40.5 },
                    ["size"] = new JsonObject { ["width"] = 200, ["height"] = 50 },
                },
            },
        };
        foreach (var (name, value) in inputs)
        {
            activity[name] = value;
        }

        return activity;
    }

    public static JsonObject Connection(string source, string port, string target) => new()
    {
        ["source"] = new JsonObject { ["activity"] = source, ["port"] = port },
        ["target"] = new JsonObject { ["activity"] = target, ["port"] = "In" },
        ["vertices"] = new JsonArray(),
    };

    public static async Task<JsonObject> SaveAsync(HttpClient client, JsonObject model, bool publish = false)
    {
        var response = await client.PostAsJsonAsync(new Uri("/elsa/api/workflow-definitions", UriKind.Relative), new JsonObject
        {
            ["model"] = model.DeepClone(),
            ["publish"] = publish,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"save failed: {(int)response.StatusCode} {body}");
        return (JsonObject)JsonNode.Parse(body)!;
    }

    public static async Task<JsonNode> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} failed: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public static async Task<(HttpResponseMessage Response, JsonNode? Body)> PostAsync(HttpClient client, string path, JsonNode? body)
    {
        var response = body is null
            ? await client.PostAsync(new Uri(path, UriKind.Relative), null)
            : await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
