using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Descriptors;
using Microsoft.Extensions.Options;

namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// Parsed flowcharts by version id, re-parsed only when the stored JSON changed (drafts). At most
/// <see cref="WorkflowEngineOptions.MaxCachedFlowcharts"/> versions are held, the least recently used dropped first;
/// a dropped version is parsed again from its stored JSON when next used, as after a restart.
/// </summary>
internal sealed class FlowchartCache(IActivityRegistry registry, IOptions<WorkflowEngineOptions> options)
{
    private readonly BoundedCache<string, (string Json, FlowchartDefinition Flowchart)> _cache = new(options.Value.MaxCachedFlowcharts, StringComparer.Ordinal);

    /// <summary>The version ids held, most recently used first.</summary>
    internal IReadOnlyList<string> CachedVersionIds => _cache.Keys;

    /// <summary>The flowchart of a version already parsed in this process (instances keep the version they started on).</summary>
    public FlowchartDefinition? TryGet(string versionId) => _cache.TryGet(versionId, out var cached) ? cached.Flowchart : null;

    public FlowchartDefinition Get(string versionId, string definitionId, int version, string json)
    {
        if (_cache.TryGet(versionId, out var cached) && string.Equals(cached.Json, json, StringComparison.Ordinal))
        {
            return cached.Flowchart;
        }

        var model = (JsonObject)JsonNode.Parse(json)!;
        DefinitionReader.Normalize(model);
        var flowchart = DefinitionReader.ToFlowchart(versionId, definitionId, version, model, registry);
        _cache.Set(versionId, (json, flowchart));
        return flowchart;
    }
}
