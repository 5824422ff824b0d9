using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Descriptors;

namespace MentorFlow.Server.Studio.ElsaApi;

/// <summary>
/// Turns stored definition versions into the Elsa 3 <c>WorkflowDefinition</c> the Studio reads (the stored model plus
/// the fields and links the Studio needs, and the upgrade hint of the nodes using other flows, see
/// <see cref="DefinitionActivityVersions"/>), and strips those presentation-only additions from what the Studio posts
/// back, so a definition opened and saved unchanged is stored unchanged.
/// </summary>
internal static class DefinitionPresenter
{
    public const string ApiBase = "/elsa/api";

    /// <summary>Fields added for the Studio when the stored model lacks them (removed again on save when unchanged).</summary>
    private static readonly (string Key, Func<JsonNode?> Value)[] Defaults =
    [
        ("isReadonly", () => false),
        ("isSystem", () => false),
        ("materializerName", () => "Json"),
        ("variables", () => new JsonArray()),
        ("inputs", () => new JsonArray()),
        ("outputs", () => new JsonArray()),
        ("outcomes", () => new JsonArray()),
        ("customProperties", () => new JsonObject()),
        ("options", () => new JsonObject { ["autoUpdateConsumingWorkflows"] = false }),
    ];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Keys the server computes; never stored from a posted model.</summary>
    private static readonly string[] ServerOnly = ["links", "tenantId", "providerName", "materializerContext", "isMaterializerAvailable"];

    /// <summary>One version as the Studio reads it, its nodes' upgrade hints read from the flows they use.</summary>
    public static async Task<JsonObject> PresentAsync(WorkflowDefinitionVersion version, IWorkflowDefinitionActivities flows, CancellationToken cancellationToken) =>
        (await PresentAllAsync([version], flows, cancellationToken))[0];

    /// <summary>Versions as the Studio reads them, the upgrade hints of all their nodes read in one query.</summary>
    public static async Task<List<JsonObject>> PresentAllAsync(IReadOnlyList<WorkflowDefinitionVersion> versions, IWorkflowDefinitionActivities flows, CancellationToken cancellationToken)
    {
        var presented = versions.Select(Present).ToList();
        await DefinitionActivityVersions.RefreshAsync(presented.Select(definition => definition["root"]).OfType<JsonObject>(), flows, cancellationToken);
        return presented;
    }

    /// <summary>
    /// Versions as exported files (the stored model, indented): the upgrade hints of their nodes are read from the flows
    /// they use in one query, as when a definition is served, so a file never carries stale ones. The stored versions
    /// are not changed.
    /// </summary>
    public static async Task<List<string>> ExportAllAsync(IReadOnlyList<WorkflowDefinitionVersion> versions, IWorkflowDefinitionActivities flows, CancellationToken cancellationToken)
    {
        var models = versions.Select(version => (JsonObject)version.Model.DeepClone()).ToList();
        await DefinitionActivityVersions.RefreshAsync(models.Select(model => model["root"]).OfType<JsonObject>(), flows, cancellationToken);
        return models.Select(model => model.ToJsonString(Indented)).ToList();
    }

    private static JsonObject Present(WorkflowDefinitionVersion version)
    {
        var json = (JsonObject)version.Model.DeepClone();
        json["id"] = version.Id;
        json["definitionId"] = version.DefinitionId;
        json["name"] = version.Name;
        json["description"] = version.Description;
        json["createdAt"] ??= version.CreatedAt;
        json["version"] = version.Version;
        json["isLatest"] = version.IsLatest;
        json["isPublished"] = version.IsPublished;
        foreach (var (key, value) in Defaults)
        {
            if (json[key] is null)
            {
                json[key] = value();
            }
        }

        if (json["root"] is JsonObject root)
        {
            ElsaNodeIds.AssignMissing(root);
        }

        json["links"] = LinksNode(version.DefinitionId);
        return json;
    }

    public static ElsaWorkflowDefinitionSummary Summarize(WorkflowDefinitionSummary summary) => new(
        summary.Id,
        summary.DefinitionId,
        summary.Name,
        summary.Description,
        summary.Version,
        ToolVersion: null,
        summary.IsLatest,
        summary.IsPublished,
        IsReadonly: false,
        ProviderName: null,
        MaterializerName: "Json",
        IsMaterializerAvailable: true,
        summary.CreatedAt,
        ItemLinks(summary.DefinitionId));

    public static ElsaWorkflowDefinitionSummary Summarize(WorkflowDefinitionVersion version) => Summarize(new WorkflowDefinitionSummary(
        version.Id, version.DefinitionId, version.Name, version.Description, version.Version, version.IsLatest, version.IsPublished, version.CreatedAt));

    /// <summary>The links of one definition: the editor is writable only with <c>publish</c>.</summary>
    public static IReadOnlyList<ElsaLink> ItemLinks(string definitionId)
    {
        var id = Uri.EscapeDataString(definitionId);
        var root = $"{ApiBase}/workflow-definitions/{id}";
        return
        [
            new(root, "self", "GET"),
            new($"{ApiBase}/workflow-definitions/by-definition-id/{id}", "self", "GET"),
            new($"{root}/execute", "execute", "POST"),
            new($"{root}/dispatch", "dispatch", "POST"),
            new($"{root}/export", "export", "GET"),
            new($"{root}/publish", "publish", "POST"),
            new($"{root}/retract", "retract", "POST"),
            new(root, "delete", "DELETE"),
        ];
    }

    /// <summary>The list-level links: without <c>bulk-publish</c> the Studio's list is read-only.</summary>
    public static IReadOnlyList<ElsaLink> ListLinks()
    {
        var root = $"{ApiBase}/workflow-definitions";
        return
        [
            new(root, "self", "GET"),
            new($"{root}/validation/is-name-unique", "is-name-unique", "GET"),
            new($"{root}/query/count", "count", "GET"),
            new($"{root}/many-by-id", "many-by-id", "GET"),
            new($"{ApiBase}/bulk-actions/delete/workflow-definitions/by-definition-id", "bulk-delete-by-definition-id", "POST"),
            new($"{ApiBase}/bulk-actions/delete/workflow-definitions/by-id", "bulk-delete-by-id", "POST"),
            new($"{ApiBase}/bulk-actions/publish/workflow-definitions/by-definition-ids", "bulk-publish", "POST"),
            new($"{ApiBase}/bulk-actions/retract/workflow-definitions/by-definition-ids", "bulk-retract", "POST"),
            new($"{root}/import", "import", "POST"),
            new($"{root}/import-files", "import-files", "POST"),
            new(root, "create", "POST"),
        ];
    }

    /// <summary>
    /// The model to store from what the Studio posted, so that a definition opened and saved unchanged is stored unchanged:
    /// <list type="bullet">
    /// <item>server-only keys (<c>links</c>, ...) are removed;</item>
    /// <item>top-level keys the Studio's typed model does not carry (e.g. <c>$schema</c>) are kept from the stored version;</item>
    /// <item>anything the Studio (or <see cref="Present"/>) added that the stored version lacks and that only states a
    /// default (null, false, empty string, array or object) is removed, recursively (activities matched by id);</item>
    /// <item>the node sizes the designer measures are not stored for activities that had none (it measures them again);</item>
    /// <item>node ids <see cref="Present"/> computed (<see cref="ElsaNodeIds"/>) are not stored for activities that had none;</item>
    /// <item>the upgrade hints of nodes using other flows are kept as stored (<see cref="DefinitionActivityVersions.KeepStored"/>);</item>
    /// <item>the unset <c>createdAt</c> a new definition from the Studio carries is not stored.</item>
    /// </list>
    /// A new key with a real value, a new activity and every edit are kept.
    /// </summary>
    public static JsonObject CleanPosted(JsonObject posted, JsonObject? stored)
    {
        var clean = (JsonObject)posted.DeepClone();
        foreach (var key in ServerOnly)
        {
            clean.Remove(key);
        }

        foreach (var (key, value) in Defaults)
        {
            if (stored?.ContainsKey(key) != true && clean.ContainsKey(key) && JsonNode.DeepEquals(clean[key], value()))
            {
                clean.Remove(key);
            }
        }

        // A new definition from the Studio's "Create workflow" carries the unset instant; the version's own time is shown.
        if (clean["createdAt"] is JsonValue unset && unset.TryGetValue<DateTimeOffset>(out var unsetAt) && unsetAt == default)
        {
            clean.Remove("createdAt");
        }

        // The same instant written differently (the Studio re-serializes dates) keeps the stored spelling.
        if (stored?["createdAt"] is JsonValue storedCreated && clean["createdAt"] is JsonValue postedCreated
            && storedCreated.TryGetValue<DateTimeOffset>(out var storedAt) && postedCreated.TryGetValue<DateTimeOffset>(out var postedAt)
            && storedAt == postedAt)
        {
            clean["createdAt"] = storedCreated.DeepClone();
        }

        if (stored is not null)
        {
            var postedKeys = clean.Select(pair => pair.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var (key, value) in stored)
            {
                if (!postedKeys.Contains(key) && !ServerOnly.Contains(key))
                {
                    clean[key] = value?.DeepClone();
                }
            }
        }

        if (clean["root"] is JsonObject postedRoot)
        {
            ElsaNodeIds.RemoveComputed(postedRoot, stored?["root"] as JsonObject);
            DefinitionActivityVersions.KeepStored(postedRoot, stored?["root"] as JsonObject);
        }

        StripDefaults(clean, stored);
        return clean;
    }

    private static void StripDefaults(JsonObject posted, JsonObject? stored)
    {
        foreach (var (key, value) in posted.ToList())
        {
            var storedHas = stored is not null && stored.ContainsKey(key);
            if (!storedHas)
            {
                if (IsDefault(value))
                {
                    posted.Remove(key);
                }

                continue;
            }

            Recurse(value, stored![key]);
        }

        // Designer-measured node size: stored only where the definition already had one.
        if (posted["metadata"]?["designer"] is JsonObject designer && stored is not null && stored["type"] is not null
            && stored["metadata"]?["designer"] is JsonObject storedDesigner && !storedDesigner.ContainsKey("size"))
        {
            designer.Remove("size");
        }
    }

    private static void Recurse(JsonNode? posted, JsonNode? stored)
    {
        switch (posted)
        {
            case JsonObject postedObject when stored is JsonObject storedObject:
                StripDefaults(postedObject, storedObject);
                break;
            case JsonArray postedArray when stored is JsonArray storedArray:
                var storedById = storedArray.OfType<JsonObject>()
                    .Where(item => item["id"] is JsonValue id && id.GetValueKind() == System.Text.Json.JsonValueKind.String)
                    .GroupBy(item => item["id"]!.GetValue<string>(), StringComparer.Ordinal)
                    .ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
                for (var i = 0; i < postedArray.Count; i++)
                {
                    if (postedArray[i] is JsonObject item && item["id"] is JsonValue id && id.GetValueKind() == System.Text.Json.JsonValueKind.String)
                    {
                        if (storedById.TryGetValue(id.GetValue<string>(), out var match))
                        {
                            Recurse(item, match);
                        }
                    }
                    else if (postedArray.Count == storedArray.Count)
                    {
                        Recurse(postedArray[i], storedArray[i]);
                    }
                }

                break;
        }
    }

    private static bool IsDefault(JsonNode? node) => node switch
    {
        null => true,
        JsonArray array => array.Count == 0,
        JsonObject obj => obj.All(pair => IsDefault(pair.Value)),
        JsonValue value when value.TryGetValue<bool>(out var flag) => !flag,
        JsonValue value when value.TryGetValue<string>(out var text) => text.Length == 0,
        _ => false,
    };

    private static JsonArray LinksNode(string definitionId)
    {
        var array = new JsonArray();
        foreach (var link in ItemLinks(definitionId))
        {
            array.Add(new JsonObject { ["href"] = link.Href, ["rel"] = link.Rel, ["method"] = link.Method });
        }

        return array;
    }
}
