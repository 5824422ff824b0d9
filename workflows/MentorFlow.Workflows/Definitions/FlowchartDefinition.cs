using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Descriptors;

namespace MentorFlow.Workflows.Definitions;

/// <summary>One activity of a flowchart: its id, type and the raw JSON (inputs are read from it when it runs).</summary>
internal sealed record ActivityNode(string Id, string Type, int Version, string? Name, JsonObject Json)
{
    public ActivityDescriptor? Descriptor { get; init; }

    /// <summary>The nested flowchart this activity is in; null for the root flowchart.</summary>
    public string? Container { get; init; }

    /// <summary>
    /// A nested flowchart or sequence (an <c>Elsa.Flowchart</c> or <c>Elsa.Sequence</c> activity with activities of its
    /// own): the runner starts its first activity and the container completes when nothing is left in it.
    /// </summary>
    public bool IsContainer { get; init; }

    /// <summary>
    /// An activity with an embedded <c>body</c> (FlowNode, While, ParallelForEach): the body's activities have this one as
    /// their container; the activity runs again each time its body has nothing left to do.
    /// </summary>
    public bool HasBody { get; init; }

    /// <summary>Whether activities live inside this one (a nested flowchart or sequence, or a body).</summary>
    public bool HoldsActivities => IsContainer || HasBody;
}

/// <summary>A connection between two activities of one flowchart; <see cref="AnyPort"/> follows whatever outcome the source has.</summary>
internal sealed record Connection(string Source, string? SourcePort, string Target, string? TargetPort)
{
    /// <summary>The port of the connections a sequence implies between its steps: the next step runs whatever the outcome.</summary>
    public const string AnyPort = "*";
}

internal sealed record VariableDefinition(string? Id, string Name, string? TypeName, JsonNode? Value);

/// <summary>The executable view of a definition version, parsed once and cached.</summary>
internal sealed class FlowchartDefinition
{
    public required string VersionId { get; init; }
    public required string DefinitionId { get; init; }
    public required int Version { get; init; }
    public string? Name { get; init; }
    public required IReadOnlyDictionary<string, ActivityNode> Activities { get; init; }
    public required IReadOnlyList<ActivityNode> ActivityOrder { get; init; }
    public required IReadOnlyList<Connection> Connections { get; init; }
    public required IReadOnlyList<VariableDefinition> Variables { get; init; }
    public required ILookup<string, Connection> Outbound { get; init; }
    public required ILookup<string, Connection> Inbound { get; init; }

    /// <summary>The activity that runs first: <c>Elsa.Start</c> if present, else the first activity without inbound connections.</summary>
    public ActivityNode? StartActivity => StartOf(null);

    private const string RootKey = "\0root";
    private ILookup<string, ActivityNode>? _children;
    private Dictionary<string, ActivityNode?>? _starts;

    /// <summary>The activities directly in a flowchart (null: the root), in definition order.</summary>
    public IReadOnlyList<ActivityNode> ChildrenOf(string? container)
    {
        _children ??= ActivityOrder.ToLookup(a => a.Container ?? RootKey, StringComparer.Ordinal);
        return [.. _children[container ?? RootKey]];
    }

    /// <summary>
    /// The start of a flowchart (null: the root): its <c>Elsa.Start</c>, else its first activity without inbound
    /// connections. Worked out once per definition version (every instance start asks).
    /// </summary>
    public ActivityNode? StartOf(string? container)
    {
        _starts ??= ActivityOrder.Where(a => a.HoldsActivities).Select(a => a.Id).Prepend(RootKey).Distinct(StringComparer.Ordinal)
            .ToDictionary(key => key, key =>
            {
                var children = ChildrenOf(key == RootKey ? null : key);
                return children.FirstOrDefault(a => a.Type == "Elsa.Start") ?? children.FirstOrDefault(a => !Inbound.Contains(a.Id));
            }, StringComparer.Ordinal);
        return _starts.GetValueOrDefault(container ?? RootKey);
    }

    /// <summary>Whether an activity is inside a nested flowchart, at any depth.</summary>
    public bool IsWithin(string activityId, string container)
    {
        var current = Activities.GetValueOrDefault(activityId)?.Container;
        for (var depth = 0; current is not null && depth < 64; depth++)
        {
            if (string.Equals(current, container, StringComparison.Ordinal))
            {
                return true;
            }

            current = Activities.GetValueOrDefault(current)?.Container;
        }

        return false;
    }

    /// <summary>The nearest loop (an activity with a body that repeats it) around an activity, if any.</summary>
    public ActivityNode? EnclosingLoop(string activityId)
    {
        var current = Activities.GetValueOrDefault(activityId)?.Container;
        for (var depth = 0; current is not null && depth < 64; depth++)
        {
            var node = Activities.GetValueOrDefault(current);
            if (node is { HasBody: true, Descriptor.ClrType: { } type } && typeof(ILoopActivity).IsAssignableFrom(type))
            {
                return node;
            }

            current = node?.Container;
        }

        return null;
    }

    private IReadOnlyDictionary<string, string>? _activityNames;
    private IReadOnlyDictionary<string, string>? _variableIds;

    /// <summary>Activity name → id (first wins), for expressions that address outputs by name.</summary>
    public IReadOnlyDictionary<string, string> ActivityNames => _activityNames ??= ActivityOrder
        .Where(a => a.Name is not null).GroupBy(a => a.Name!, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);

    /// <summary>Variable id → name.</summary>
    public IReadOnlyDictionary<string, string> VariableIds => _variableIds ??= Variables
        .Where(v => v.Id is not null).GroupBy(v => v.Id!, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);

    public VariableDefinition? FindVariable(string reference) =>
        Variables.FirstOrDefault(v => v.Id == reference) ?? Variables.FirstOrDefault(v => v.Name == reference);
}

/// <summary>Reads Elsa 3 definition JSON (all 3.x shapes) into models and flowcharts.</summary>
internal static class DefinitionReader
{
    /// <summary>
    /// Parses definition JSON text: strips a UTF-8 BOM, accepts the 3.0-preview flat connections (converted to the
    /// nested shape) and refuses shapes it cannot read with a clear message.
    /// </summary>
    public static JsonObject ParseModel(string json)
    {
        var text = json.TrimStart('\uFEFF');
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException exception)
        {
            throw new WorkflowDefinitionFormatException($"The definition is not valid JSON: {exception.Message}");
        }

        if (node is not JsonObject model)
        {
            throw new WorkflowDefinitionFormatException("The definition must be a JSON object (an Elsa 3 workflow definition model).");
        }

        // A save request body { model, publish } or an export wrapper is unwrapped.
        if (model["model"] is JsonObject inner && model["root"] is null)
        {
            model = (JsonObject)inner.DeepClone();
        }

        Normalize(model);
        return model;
    }

    public static JsonObject ParseModel(byte[] utf8) => ParseModel(Encoding.UTF8.GetString(utf8));

    /// <summary>Brings older shapes to the current one in place; throws for what cannot be converted.</summary>
    public static void Normalize(JsonObject model)
    {
        if (model["root"] is not JsonObject root)
        {
            throw new WorkflowDefinitionFormatException("The definition has no 'root' activity (expected an Elsa.Flowchart).");
        }

        var rootType = root["type"] is JsonValue typeValue && typeValue.GetValueKind() == JsonValueKind.String ? typeValue.GetValue<string>() : null;
        if (rootType is not (ActivityRegistry.FlowchartType or ActivityRegistry.SequenceType))
        {
            throw new WorkflowDefinitionFormatException(
                $"The root activity is '{rootType ?? "(none)"}'; MentorFlow runs Elsa.Flowchart and Elsa.Sequence roots.");
        }

        NormalizeContainer(root, "root");
    }

    /// <summary>
    /// Checks a flowchart's or sequence's members and brings its connections (and those of the containers nested in it
    /// or embedded as a body) to the current shape. A sequence has no connections: its order is its flow.
    /// </summary>
    private static void NormalizeContainer(JsonObject container, string path, int depth = 0)
    {
        if (depth > 32)
        {
            throw new WorkflowDefinitionFormatException($"{path} is nested more than 32 levels deep.");
        }

        if (Get(container, "activities") is null)
        {
            container["activities"] = new JsonArray();
        }
        else if (Get(container, "activities") is not JsonArray)
        {
            throw new WorkflowDefinitionFormatException($"{path}.activities must be an array.");
        }

        if (Str(container, "type") == ActivityRegistry.FlowchartType)
        {
            if (Get(container, "connections") is null)
            {
                container["connections"] = new JsonArray();
            }
            else if (Get(container, "connections") is not JsonArray)
            {
                throw new WorkflowDefinitionFormatException($"{path}.connections must be an array.");
            }

            NormalizeConnections((JsonArray)Get(container, "connections")!, path);
        }

        foreach (var activity in ((JsonArray)Get(container, "activities")!).OfType<JsonObject>())
        {
            var name = $"{path}.{Str(activity, "id") ?? "?"}";
            if (IsNestedContainer(activity))
            {
                NormalizeContainer(activity, name, depth + 1);
            }

            for (var body = Body(activity); body is not null; body = IsNestedContainer(body) ? null : Body(body))
            {
                name += ".body";
                if (IsNestedContainer(body))
                {
                    NormalizeContainer(body, name, depth + 1);
                }
            }
        }
    }

    private static void NormalizeConnections(JsonArray connections, string path)
    {
        for (var i = 0; i < connections.Count; i++)
        {
            if (connections[i] is not JsonObject connection)
            {
                throw new WorkflowDefinitionFormatException($"{path}.connections[{i}] is not an object.");
            }

            var source = Get(connection, "source");
            var target = Get(connection, "target");
            if (source is JsonValue && target is JsonValue)
            {
                // 3.0-preview: { source: "a", target: "b", sourcePort: "Done", targetPort: "In" }.
                var converted = new JsonObject
                {
                    ["source"] = new JsonObject { ["activity"] = source.GetValue<string>(), ["port"] = Get(connection, "sourcePort")?.DeepClone() },
                    ["target"] = new JsonObject { ["activity"] = target.GetValue<string>(), ["port"] = Get(connection, "targetPort")?.DeepClone() },
                };
                if (Get(connection, "vertices") is { } vertices)
                {
                    converted["vertices"] = vertices.DeepClone();
                }

                connections[i] = converted;
            }
            else if (source is not JsonObject || target is not JsonObject)
            {
                throw new WorkflowDefinitionFormatException(
                    $"{path}.connections[{i}] has an unknown shape; expected {{source:{{activity,port}}, target:{{activity,port}}}}.");
            }
        }
    }

    /// <summary>
    /// An <c>Elsa.Flowchart</c> or <c>Elsa.Sequence</c> activity with an <c>activities</c> member: a container nested in
    /// another.
    /// </summary>
    internal static bool IsNestedContainer(JsonObject activity) =>
        Str(activity, "type") is ActivityRegistry.FlowchartType or ActivityRegistry.SequenceType && Get(activity, "activities") is not null;

    /// <summary>The activity embedded as <c>body</c> (Elsa's FlowNode, While, ParallelForEach, …), if any.</summary>
    internal static JsonObject? Body(JsonObject activity) => Get(activity, "body") as JsonObject;

    public static FlowchartDefinition ToFlowchart(string versionId, string definitionId, int version, JsonObject model, IActivityRegistry registry)
    {
        var root = (JsonObject)model["root"]!;
        var nodes = new List<ActivityNode>();
        var connections = new List<Connection>();
        ReadFlowchart(root, null, 0);

        void ReadFlowchart(JsonObject flowchart, string? container, int depth)
        {
            connections.AddRange(ReadConnections(flowchart));
            if (Get(flowchart, "activities") is not JsonArray activities)
            {
                return;
            }

            var sequence = Str(flowchart, "type") == ActivityRegistry.SequenceType;
            string? previous = null;
            foreach (var item in activities)
            {
                if (item is not JsonObject json)
                {
                    continue;
                }

                var id = ReadActivity(json, container, depth);
                if (sequence && previous is not null)
                {
                    // A sequence runs its steps one after another, whatever outcome each step has.
                    connections.Add(new Connection(previous, Connection.AnyPort, id, null));
                }

                previous = id;
            }
        }

        string ReadActivity(JsonObject json, string? container, int depth)
        {
            var id = Str(json, "id") ?? "";
            var type = Str(json, "type") ?? "";
            var typeVersion = Get(json, "version") is JsonValue v && v.TryGetValue<int>(out var parsed) ? parsed : 1;
            var nested = IsNestedContainer(json);
            var body = nested ? null : Body(json);
            nodes.Add(new ActivityNode(id, type, typeVersion, Str(json, "name"), json)
            {
                Descriptor = DefinitionActivities.Resolve(json, type, typeVersion, registry),
                Container = container,
                IsContainer = nested,
                HasBody = body is not null,
            });
            if (depth < 32)
            {
                if (nested)
                {
                    ReadFlowchart(json, id, depth + 1);
                }
                else if (body is not null)
                {
                    ReadActivity(body, id, depth + 1);
                }
            }

            return id;
        }

        var byId = new Dictionary<string, ActivityNode>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            byId.TryAdd(node.Id, node);
        }

        return new FlowchartDefinition
        {
            VersionId = versionId,
            DefinitionId = definitionId,
            Version = version,
            Name = Str(model, "name"),
            Activities = byId,
            ActivityOrder = nodes,
            Connections = connections,
            Variables = ReadVariables(model).ToList(),
            Outbound = connections.ToLookup(c => c.Source, StringComparer.Ordinal),
            Inbound = connections.ToLookup(c => c.Target, StringComparer.Ordinal),
        };
    }

    public static IEnumerable<Connection> ReadConnections(JsonObject flowchart)
    {
        if (Get(flowchart, "connections") is not JsonArray connections)
        {
            yield break;
        }

        foreach (var item in connections)
        {
            if (item is not JsonObject connection || Get(connection, "source") is not JsonObject source || Get(connection, "target") is not JsonObject target)
            {
                continue;
            }

            yield return new Connection(
                Str(source, "activity") ?? Str(source, "activityId") ?? "",
                Str(source, "port"),
                Str(target, "activity") ?? Str(target, "activityId") ?? "",
                Str(target, "port"));
        }
    }

    public static IEnumerable<VariableDefinition> ReadVariables(JsonObject model)
    {
        if (model["variables"] is not JsonArray variables)
        {
            yield break;
        }

        foreach (var item in variables)
        {
            if (item is JsonObject variable && Str(variable, "name") is { Length: > 0 } name)
            {
                yield return new VariableDefinition(Str(variable, "id"), name, Str(variable, "typeName"), Get(variable, "value")?.DeepClone());
            }
        }
    }

    /// <summary>Case-insensitive property read (Elsa writes camelCase, older exports PascalCase).</summary>
    public static JsonNode? Get(JsonObject obj, string name)
    {
        if (obj.TryGetPropertyValue(name, out var value))
        {
            return value;
        }

        foreach (var property in obj)
        {
            if (string.Equals(property.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    public static string? Str(JsonObject obj, string name) =>
        Get(obj, name) is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
