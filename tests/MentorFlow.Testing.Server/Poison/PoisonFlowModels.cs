using System.Text.Json.Nodes;

namespace MentorFlow.Testing.Server.Poison;

/// <summary>
/// The hostile flows a careless or malicious flow author writes, as Elsa 3 definition JSON the Studio saves: one line
/// of activities from Start to End.
/// </summary>
public static class PoisonFlowModels
{
    /// <summary>WriteLine whose Liquid text doubles a string with <c>append</c> the given number of times.</summary>
    public static JsonObject LiquidDoubling(string definitionId, int doublings) => Line(definitionId, [],
        ("write", "Elsa.WriteLine", [("text", Expression("String", "Liquid",
            $"{{% assign s = 'x' %}}{{% for i in (1..{doublings}) %}}{{% assign s = s | append: s %}}{{% endfor %}}{{{{ s | size }}}}"))]));

    /// <summary>WriteLine whose text is a JavaScript expression.</summary>
    public static JsonObject ScriptText(string definitionId, string script) => Line(definitionId, [],
        ("write", "Elsa.WriteLine", [("text", Expression("String", "JavaScript", script))]));

    /// <summary>SetVariable <c>Big</c> (Object) to a JavaScript expression.</summary>
    public static JsonObject ScriptVariable(string definitionId, string script) => Line(definitionId, ["Big"],
        ("big", "Elsa.SetVariable", [("variable", Variable("Big")), ("value", Expression("Object", "JavaScript", script))]));

    /// <summary>
    /// <paramref name="count"/> SetVariables, each storing a string of <paramref name="length"/> characters: every value is
    /// under the per-value limit, together they are over the instance state limit.
    /// </summary>
    public static JsonObject ManyLargeVariables(string definitionId, int count, int length)
    {
        var names = Enumerable.Range(1, count).Select(i => $"Big{i}").ToArray();
        return Line(definitionId, names, [.. names.Select(name =>
            (name.ToLowerInvariant(), "Elsa.SetVariable", new (string, JsonNode)[] { ("variable", Variable(name)), ("value", Expression("Object", "JavaScript", $"'x'.repeat({length})")) }))]);
    }

    /// <summary>WriteLine, then an Event "Go" that waits: the instance stays running (Suspended).</summary>
    public static JsonObject Waiting(string definitionId) => Line(definitionId, [],
        ("write", "Elsa.WriteLine", [("text", Expression("String", "Literal", "waiting for Go"))]),
        ("wait", "Elsa.Event", [("eventName", Expression("String", "Literal", "Go"))]));

    private static JsonObject Line(string definitionId, string[] variables, params (string Id, string Type, (string Name, JsonNode Value)[] Inputs)[] steps)
    {
        var activities = new JsonArray(Activity("start", "Elsa.Start", 0, []));
        var connections = new JsonArray();
        var previous = "start";
        var x = 0;
        foreach (var (id, type, inputs) in steps)
        {
            activities.Add(Activity(id, type, x += 250, inputs));
            connections.Add(Connection(previous, id));
            previous = id;
        }

        activities.Add(Activity("end", "Elsa.End", x + 250, []));
        connections.Add(Connection(previous, "end"));
        return new JsonObject
        {
            ["definitionId"] = definitionId,
            ["name"] = definitionId,
            ["description"] = "A hostile flow of the poison benchmark.",
            ["variables"] = new JsonArray([.. variables.Select(name => (JsonNode)new JsonObject
            {
                ["id"] = $"var-{name}",
                ["name"] = name,
                ["typeName"] = "Object",
                ["isArray"] = false,
            })]),
            ["inputs"] = new JsonArray(),
            ["outputs"] = new JsonArray(),
            ["outcomes"] = new JsonArray(),
            ["customProperties"] = new JsonObject(),
            ["options"] = new JsonObject(),
            ["root"] = new JsonObject
            {
                ["type"] = "Elsa.Flowchart",
                ["version"] = 1,
                ["id"] = "fc",
                ["nodeId"] = "Workflow1:fc",
                ["metadata"] = new JsonObject(),
                ["customProperties"] = new JsonObject(),
                ["activities"] = activities,
                ["connections"] = connections,
            },
        };
    }

    private static JsonObject Expression(string typeName, string type, string value) => new()
    {
        ["typeName"] = typeName,
        ["expression"] = new JsonObject { ["type"] = type, ["value"] = value },
    };

    private static JsonObject Variable(string name) => new() { ["id"] = $"var-{name}", ["name"] = name };

    private static JsonObject Activity(string id, string type, double x, (string Name, JsonNode Value)[] inputs)
    {
        var activity = new JsonObject
        {
            ["id"] = id,
            ["nodeId"] = $"Workflow1:fc:{id}",
            ["name"] = id,
            ["type"] = type,
            ["version"] = 1,
            ["customProperties"] = new JsonObject(),
            ["metadata"] = new JsonObject
            {
                ["designer"] = new JsonObject { ["position"] = new JsonObject { ["x"] = x, ["y"] = 40 } },
            },
        };
        foreach (var (name, value) in inputs)
        {
            activity[name] = value;
        }

        return activity;
    }

    private static JsonObject Connection(string source, string target) => new()
    {
        ["source"] = new JsonObject { ["activity"] = source, ["port"] = "Done" },
        ["target"] = new JsonObject { ["activity"] = target, ["port"] = "In" },
        ["vertices"] = new JsonArray(),
    };
}
