using System.Text.Json.Nodes;
using MentorFlow.Workflows.Descriptors;

namespace MentorFlow.Workflows.Definitions;

/// <summary>
/// The engine's registry plus the descriptors of the flows one definition uses as activities (loaded for its
/// validation, so their inputs, outputs and outcomes are checked like any activity's).
/// </summary>
internal sealed class OverlayActivityRegistry(IActivityRegistry registry, IReadOnlyList<ActivityDescriptor> extra) : IActivityRegistry
{
    public IReadOnlyList<ActivityDescriptor> List() => [.. registry.List(), .. extra];

    public ActivityDescriptor? Find(string typeName, int? version = null) =>
        registry.Find(typeName, version)
        ?? extra.Where(d => d.TypeName == typeName && (version is null || d.Version == version)).MaxBy(d => d.Version);

    public IReadOnlyList<string> GetOutcomes(ActivityDescriptor descriptor, JsonObject activityJson) => registry.GetOutcomes(descriptor, activityJson);
}
