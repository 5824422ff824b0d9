using System.Globalization;
using System.Text.Json.Nodes;

namespace MentorFlow.Testing.Server.Workflows;

/// <summary>
/// The flows the workflow engine's figures are measured on, as the flowchart JSON a definition version stores, and the
/// builders they are made of (also used by the <c>peers</c> benchmark).
/// </summary>
public static class WorkflowFlowModels
{
    /// <summary>An input whose value is an expression of <paramref name="type"/> (Literal, Object, JavaScript, Liquid).</summary>
    public static JsonObject Expr(string type, string value) => new()
    {
        ["typeName"] = "Object",
        ["expression"] = new JsonObject { ["type"] = type, ["value"] = value },
    };

    public static JsonObject Node(string id, string type, params (string Name, JsonNode Value)[] inputs)
    {
        var node = new JsonObject { ["id"] = id, ["type"] = type, ["version"] = 1, ["metadata"] = new JsonObject() };
        foreach (var (name, value) in inputs)
        {
            node[name] = value;
        }

        return node;
    }

    public static JsonObject Root(IEnumerable<JsonObject> activities, IEnumerable<(string Source, string Port, string Target)> connections) => new()
    {
        ["type"] = "Elsa.Flowchart",
        ["id"] = "root",
        ["activities"] = new JsonArray([.. activities]),
        ["connections"] = new JsonArray([.. connections.Select(c => (JsonNode)new JsonObject
        {
            ["source"] = new JsonObject { ["activity"] = c.Source, ["port"] = c.Port },
            ["target"] = new JsonObject { ["activity"] = c.Target, ["port"] = "In" },
        })]),
    };

    /// <summary>
    /// <c>memory</c>: a ForEach over <paramref name="items"/> numbers, each iteration a SetVariable (two executions per
    /// item, plus the start and the loop's end). Run from its <c>start</c> activity.
    /// </summary>
    public static JsonObject Loop(int items) => new()
    {
        ["name"] = "memory",
        ["variables"] = new JsonArray(Counter()),
        ["root"] = Root(
            [
                Node("start", "Elsa.Start"),
                Node("loop", "Elsa.ForEach", ("items", Expr("Object", "[" + string.Join(',', Enumerable.Range(0, items)) + "]"))),
                Node("inc", "Elsa.SetVariable", ("variable", CounterReference()), ("value", Expr("Literal", "1"))),
            ],
            [("start", "Done", "loop"), ("loop", "Iterate", "inc"), ("inc", "Done", "loop")]),
    };

    /// <summary><c>ten</c>: Start, four WriteLines (Liquid) and four SetVariables (JavaScript) in turn, End.</summary>
    public static JsonObject TenActivities()
    {
        var activities = new List<JsonObject> { Node("start", "Elsa.Start") };
        var connections = new List<(string, string, string)>();
        var previous = "start";
        for (var i = 1; i <= 8; i++)
        {
            var id = "w" + i.ToString(CultureInfo.InvariantCulture);
            activities.Add(i % 2 == 0
                ? Node(id, "Elsa.SetVariable", ("variable", CounterReference()), ("value", Expr("JavaScript", "getVariable('N') + 1")))
                : Node(id, "Elsa.WriteLine", ("text", Expr("Liquid", "step {{ N }}"))));
            connections.Add((previous, "Done", id));
            previous = id;
        }

        activities.Add(Node("end", "Elsa.End"));
        connections.Add((previous, "Done", "end"));
        return new JsonObject
        {
            ["name"] = "ten",
            ["definitionId"] = "ten",
            ["variables"] = new JsonArray(Counter()),
            ["root"] = Root(activities, connections),
        };
    }

    /// <summary><c>timer</c>: a StartAt at the instance's input <c>At</c>, then <see cref="Fired"/> records the lag.</summary>
    public static JsonObject Timer() => new()
    {
        ["name"] = "timer",
        ["definitionId"] = "timer",
        ["root"] = Root(
            [
                Node("at", "Elsa.StartAt", ("dateTime", Expr("JavaScript", "getInput('At')"))),
                Node("fired", "Bench.Fired"),
            ],
            [("at", "Done", "fired")]),
    };

    /// <summary><c>history</c>: Start, a WriteLine, then an Event <c>Reply</c> that waits (the instance is Suspended).</summary>
    public static JsonObject History() => new()
    {
        ["name"] = "history",
        ["definitionId"] = "history",
        ["root"] = Root(
            [
                Node("start", "Elsa.Start"),
                Node("hello", "Elsa.WriteLine", ("text", Expr("Liquid", "hello {{ Workflow.CorrelationId }}"))),
                Node("wait", "Elsa.Event", ("eventName", Expr("Literal", "Reply"))),
            ],
            [("start", "Done", "hello"), ("hello", "Done", "wait")]),
    };

    private static JsonObject Counter() => new() { ["id"] = "n", ["name"] = "N", ["typeName"] = "Int32", ["value"] = "0" };

    private static JsonObject CounterReference() => new() { ["id"] = "n", ["name"] = "N" };
}
