using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Tests.Infrastructure;

/// <summary>Builds Elsa 3 definition JSON for tests.</summary>
public sealed class Flow
{
    private readonly JsonObject _model;
    private readonly JsonArray _activities = [];
    private readonly JsonArray _connections = [];
    private readonly JsonArray _variables = [];

    private Flow(string name, string? definitionId)
    {
        _model = new JsonObject
        {
            ["definitionId"] = definitionId ?? "",
            ["name"] = name,
            ["variables"] = _variables,
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
                ["activities"] = _activities,
                ["connections"] = _connections,
            },
        };
    }

    public static Flow Create(string? name = null, string? definitionId = null) =>
        new(name ?? "Flow " + Guid.NewGuid().ToString("N")[..8], definitionId);

    public static JsonObject Literal(string? value, string typeName = "String") =>
        Expr("Literal", value, typeName);

    public static JsonObject Expr(string type, string? value, string typeName = "String") => new()
    {
        ["typeName"] = typeName,
        ["expression"] = new JsonObject { ["type"] = type, ["value"] = value },
    };

    public Flow Var(string name, string typeName = "Object", string? value = null)
    {
        _variables.Add(new JsonObject { ["id"] = "var-" + name, ["name"] = name, ["typeName"] = typeName, ["isArray"] = false, ["value"] = value });
        return this;
    }

    public Flow Add(string id, string type, params (string Name, JsonNode? Value)[] properties)
    {
        var activity = new JsonObject
        {
            ["id"] = id,
            ["nodeId"] = "Workflow1:fc:" + id,
            ["name"] = id,
            ["type"] = type,
            ["version"] = 1,
            ["customProperties"] = new JsonObject(),
            ["metadata"] = new JsonObject { ["designer"] = new JsonObject { ["position"] = new JsonObject { ["x"] = 0, ["y"] = 0 } } },
        };
        foreach (var (name, value) in properties)
        {
            activity[name] = value;
        }

        _activities.Add(activity);
        return this;
    }

    /// <summary>Adds a nested flowchart (an Elsa.Flowchart activity) holding the activities and connections of <paramref name="inner"/>.</summary>
    public Flow Nested(string id, Flow inner) => Add(id, "Elsa.Flowchart",
        ("activities", inner._activities.DeepClone()),
        ("connections", inner._connections.DeepClone()));

    public Flow Connect(string source, string port, string target)
    {
        _connections.Add(new JsonObject
        {
            ["source"] = new JsonObject { ["activity"] = source, ["port"] = port },
            ["target"] = new JsonObject { ["activity"] = target, ["port"] = "In" },
        });
        return this;
    }

    /// <summary>Connects the activities in a chain through their Done ports.</summary>
    public Flow Chain(params string[] ids)
    {
        for (var i = 0; i + 1 < ids.Length; i++)
        {
            Connect(ids[i], "Done", ids[i + 1]);
        }

        return this;
    }

    public JsonObject Model => (JsonObject)_model.DeepClone();

    public string Json => _model.ToJsonString();
}
