using System.Text.Json;
using System.Text.Json.Nodes;

namespace MentorFlow.Server.Studio.ElsaApi;

/// <summary>
/// Elsa node ids: the path of an activity in the workflow's tree, <c>Workflow1:{root id}</c> for the root and the
/// parent's node id + <c>:</c> + the activity id below it (<c>Workflow1:root:start</c>). The Studio indexes the
/// activities of the designer and of the instance viewer by node id, so every activity it reads needs one; a definition
/// created in the Studio has none until the server gives them, as Elsa's server does.
/// </summary>
internal static class ElsaNodeIds
{
    /// <summary>The node id of the workflow itself, the parent of its root activity.</summary>
    public const string WorkflowNodeId = "Workflow1";

    private static readonly string[] NotChildren = ["metadata", "customProperties"];

    /// <summary>Gives every activity of the tree under <paramref name="root"/> that lacks a node id the one Elsa would give it.</summary>
    public static void AssignMissing(JsonObject root) => Assign(root, WorkflowNodeId);

    /// <summary>Gives every activity of the tree under <paramref name="root"/> a node id below <paramref name="parentNodeId"/>, replacing stored ones.</summary>
    public static void Reassign(JsonObject root, string parentNodeId)
    {
        RemoveAll(root);
        Assign(root, parentNodeId);

        static void RemoveAll(JsonObject activity)
        {
            activity.Remove("nodeId");
            foreach (var child in Children(activity))
            {
                RemoveAll(child);
            }
        }
    }

    /// <summary>Activity id → node id for every activity of the tree (stored node id, else the computed one).</summary>
    public static Dictionary<string, string> Map(JsonObject? root)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root is not null)
        {
            Collect(root, WorkflowNodeId, map);
        }

        return map;
    }

    /// <summary>The activity of the tree (whose node ids are assigned) with the given node id, or null.</summary>
    public static JsonObject? Find(JsonObject activity, string nodeId)
    {
        if (activity["nodeId"] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == nodeId)
        {
            return activity;
        }

        return Children(activity).Select(child => Find(child, nodeId)).FirstOrDefault(found => found is not null);
    }

    /// <summary>
    /// The activities from <paramref name="root"/> (whose node ids are assigned) down to the one with the given node id,
    /// each with the port it sits in within its parent (Elsa's name: the property in PascalCase, e.g. <c>Body</c>,
    /// <c>Activities</c> for a flowchart's; null for the root); null when no activity has that node id.
    /// </summary>
    public static List<(JsonObject Activity, string? Port)>? PathTo(JsonObject root, string nodeId)
    {
        var path = new List<(JsonObject, string?)>();
        return Walk(root, null) ? path : null;

        bool Walk(JsonObject activity, string? port)
        {
            path.Add((activity, port));
            if (activity["nodeId"] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == nodeId)
            {
                return true;
            }

            foreach (var (key, child) in ChildrenWithKeys(activity))
            {
                if (Walk(child, char.ToUpperInvariant(key[0]) + key[1..]))
                {
                    return true;
                }
            }

            path.RemoveAt(path.Count - 1);
            return false;
        }
    }

    /// <summary>Every activity of the tree under <paramref name="root"/>, the root first, parents before their children.</summary>
    public static IEnumerable<JsonObject> Activities(JsonObject root)
    {
        var pending = new Stack<JsonObject>([root]);
        while (pending.TryPop(out var activity))
        {
            yield return activity;
            foreach (var child in Children(activity).Reverse())
            {
                pending.Push(child);
            }
        }
    }

    /// <summary>The node id of the root activity (stored, else computed).</summary>
    public static string RootNodeId(JsonObject? root) =>
        root is null ? WorkflowNodeId : NodeIdOf(root, WorkflowNodeId);

    /// <summary>
    /// Removes from a posted tree the node ids the server computed when it presented the stored tree (an activity whose
    /// stored counterpart, matched by id, has no node id and whose posted node id is the computed one), so a definition
    /// saved unchanged is stored unchanged.
    /// </summary>
    public static void RemoveComputed(JsonObject posted, JsonObject? stored) =>
        RemoveComputed(posted, stored, WorkflowNodeId);

    private static void Assign(JsonObject activity, string parentNodeId)
    {
        if (Id(activity) is not { } id)
        {
            return;
        }

        if (activity["nodeId"] is not JsonValue existing || existing.GetValueKind() != JsonValueKind.String)
        {
            activity["nodeId"] = $"{parentNodeId}:{id}";
        }

        var nodeId = activity["nodeId"]!.GetValue<string>();
        foreach (var child in Children(activity))
        {
            Assign(child, nodeId);
        }
    }

    private static void Collect(JsonObject activity, string parentNodeId, Dictionary<string, string> map)
    {
        if (Id(activity) is not { } id)
        {
            return;
        }

        var nodeId = NodeIdOf(activity, parentNodeId);
        map.TryAdd(id, nodeId);
        foreach (var child in Children(activity))
        {
            Collect(child, nodeId, map);
        }
    }

    private static void RemoveComputed(JsonObject posted, JsonObject? stored, string parentNodeId)
    {
        if (Id(posted) is not { } id)
        {
            return;
        }

        var nodeId = NodeIdOf(posted, parentNodeId);
        if (stored is not null && !stored.ContainsKey("nodeId") && nodeId == $"{parentNodeId}:{id}")
        {
            posted.Remove("nodeId");
        }

        var storedChildren = stored is null
            ? new Dictionary<string, JsonObject>(StringComparer.Ordinal)
            : Children(stored).Where(child => Id(child) is not null)
                .GroupBy(child => Id(child)!, StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        foreach (var child in Children(posted).ToList())
        {
            RemoveComputed(child, Id(child) is { } childId ? storedChildren.GetValueOrDefault(childId) : null, nodeId);
        }
    }

    private static string NodeIdOf(JsonObject activity, string parentNodeId) =>
        activity["nodeId"] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : $"{parentNodeId}:{Id(activity)}";

    private static string? Id(JsonObject activity) =>
        activity["id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String ? id.GetValue<string>() : null;

    /// <summary>The activities directly below one: a flowchart's <c>activities</c> and activity-valued properties (e.g. a container's body).</summary>
    private static IEnumerable<JsonObject> Children(JsonObject activity) => ChildrenWithKeys(activity).Select(child => child.Activity);

    /// <summary>The activities directly below one with the property holding each.</summary>
    private static IEnumerable<(string Key, JsonObject Activity)> ChildrenWithKeys(JsonObject activity)
    {
        foreach (var (key, value) in activity)
        {
            if (NotChildren.Contains(key, StringComparer.Ordinal))
            {
                continue;
            }

            switch (value)
            {
                case JsonArray array when key == "activities":
                    foreach (var item in array.OfType<JsonObject>())
                    {
                        yield return (key, item);
                    }

                    break;
                case JsonObject child when IsActivity(child):
                    yield return (key, child);
                    break;
            }
        }
    }

    private static bool IsActivity(JsonObject node) =>
        Id(node) is not null && node["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String;
}
