using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Descriptors;

/// <summary>The activity types the engine knows (built-ins plus those other modules add with <c>AddActivity&lt;T&gt;()</c>).</summary>
public interface IActivityRegistry
{
    /// <summary>Every descriptor, including <c>Elsa.Flowchart</c>, ordered by category then type name.</summary>
    IReadOnlyList<ActivityDescriptor> List();

    /// <summary>The descriptor of a type name and version (null = the highest version), or null when unknown.</summary>
    ActivityDescriptor? Find(string typeName, int? version = null);

    /// <summary>The outcome ports an activity node has, including dynamic ones computed from its JSON.</summary>
    IReadOnlyList<string> GetOutcomes(ActivityDescriptor descriptor, JsonObject activityJson);
}
