using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Descriptors;

namespace MentorFlow.Server.Studio.ElsaApi;

/// <summary>
/// The upgrade hint of the nodes that use another flow as an activity (Elsa's workflow-definition activities): each
/// carries <c>latestAvailablePublishedVersion</c> and <c>latestAvailablePublishedVersionId</c>, which tell a tool that
/// a newer version than the pinned <c>version</c> is published. Both are filled in whenever a definition is served, as
/// Elsa's server does, from the flows' published versions read in one query; they are never stored from what the
/// Studio posts (the engine runs the pinned <c>version</c> / <c>workflowDefinitionVersionId</c> and reads neither).
/// </summary>
internal static class DefinitionActivityVersions
{
    public const string LatestVersion = "latestAvailablePublishedVersion";
    public const string LatestVersionId = "latestAvailablePublishedVersionId";

    /// <summary>The most flows <see cref="IWorkflowDefinitionActivities.PublishedVersionsAsync"/> looks up at once.</summary>
    private const int LookupBatch = 2_000;

    /// <summary>
    /// Sets both fields on every node under <paramref name="roots"/> that uses a flow as an activity: that flow's
    /// published version, or the node's own pinned version when the flow has none published (nothing to upgrade to).
    /// </summary>
    public static async Task RefreshAsync(IEnumerable<JsonObject> roots, IWorkflowDefinitionActivities flows, CancellationToken cancellationToken)
    {
        var nodes = roots
            .SelectMany(ElsaNodeIds.Activities)
            .Select(node => (Node: node, DefinitionId: DefinitionIdOf(node)))
            .Where(pair => pair.DefinitionId is not null)
            .ToList();
        if (nodes.Count == 0)
        {
            return;
        }

        // One query, unless the flows used are more than one lookup answers for (a large zip being exported).
        var published = new Dictionary<string, WorkflowDefinitionSummary>(StringComparer.Ordinal);
        foreach (var batch in nodes.Select(pair => pair.DefinitionId!).Distinct(StringComparer.Ordinal).Chunk(LookupBatch))
        {
            foreach (var version in await flows.PublishedVersionsAsync(batch, cancellationToken))
            {
                published[version.DefinitionId] = version;
            }
        }

        foreach (var (node, definitionId) in nodes)
        {
            if (published.TryGetValue(definitionId!, out var latest))
            {
                node[LatestVersion] = latest.Version;
                node[LatestVersionId] = latest.Id;
            }
            else
            {
                node[LatestVersion] = node["version"]?.DeepClone();
                node[LatestVersionId] = node["workflowDefinitionVersionId"]?.DeepClone();
            }
        }
    }

    /// <summary>
    /// In a posted tree, puts back on each node using a flow as an activity the two fields as the stored node (matched
    /// by activity id) had them, or removes them when it had none: they are worked out again when the definition is
    /// served, so a definition saved unchanged is stored unchanged and nothing stale is kept.
    /// </summary>
    public static void KeepStored(JsonObject postedRoot, JsonObject? storedRoot)
    {
        var stored = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (storedRoot is not null)
        {
            foreach (var node in ElsaNodeIds.Activities(storedRoot))
            {
                if (node["id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String)
                {
                    stored.TryAdd(id.GetValue<string>(), node);
                }
            }
        }

        foreach (var node in ElsaNodeIds.Activities(postedRoot).Where(node => DefinitionIdOf(node) is not null))
        {
            var before = node["id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String ? stored.GetValueOrDefault(id.GetValue<string>()) : null;
            foreach (var key in (string[])[LatestVersion, LatestVersionId])
            {
                if (before is not null && before.ContainsKey(key))
                {
                    node[key] = before[key]?.DeepClone();
                }
                else
                {
                    node.Remove(key);
                }
            }
        }
    }

    /// <summary>The flow a node uses as an activity: a plain <c>workflowDefinitionId</c> (Execute Workflow's is an input object).</summary>
    private static string? DefinitionIdOf(JsonObject node) =>
        node["workflowDefinitionId"] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
