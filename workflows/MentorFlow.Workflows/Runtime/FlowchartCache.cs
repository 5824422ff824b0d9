using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Descriptors;

namespace MentorFlow.Workflows.Runtime;

/// <summary>Parsed flowcharts by version id, re-parsed only when the stored JSON changed (drafts).</summary>
internal sealed class FlowchartCache(IActivityRegistry registry)
{
    private readonly ConcurrentDictionary<string, (string Json, FlowchartDefinition Flowchart)> _cache = new(StringComparer.Ordinal);

    /// <summary>The flowchart of a version already parsed in this process (instances keep the version they started on).</summary>
    public FlowchartDefinition? TryGet(string versionId) => _cache.TryGetValue(versionId, out var cached) ? cached.Flowchart : null;

    public FlowchartDefinition Get(string versionId, string definitionId, int version, string json)
    {
        if (_cache.TryGetValue(versionId, out var cached) && string.Equals(cached.Json, json, StringComparison.Ordinal))
        {
            return cached.Flowchart;
        }

        var model = (JsonObject)JsonNode.Parse(json)!;
        DefinitionReader.Normalize(model);
        var flowchart = DefinitionReader.ToFlowchart(versionId, definitionId, version, model, registry);
        _cache[versionId] = (json, flowchart);
        return flowchart;
    }
}
