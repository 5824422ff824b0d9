using System.Text.Json.Serialization;

namespace MentorFlow.Workflows.Descriptors;

/// <summary>An activity type in the Elsa 3 <c>ActivityDescriptor</c> shape (what Elsa Studio's toolbox reads).</summary>
public sealed record ActivityDescriptor
{
    public required string TypeName { get; init; }
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public int Version { get; init; } = 1;
    public required string Category { get; init; }
    public string? DisplayName { get; init; }
    public string? Description { get; init; }

    /// <summary><c>Action</c>, <c>Trigger</c>, <c>Task</c> or <c>Job</c>.</summary>
    public string Kind { get; init; } = "Action";

    public IReadOnlyList<InputDescriptor> Inputs { get; init; } = [];
    public IReadOnlyList<OutputDescriptor> Outputs { get; init; } = [];
    public IReadOnlyList<PortDescriptor> Ports { get; init; } = [];
    public IDictionary<string, object?> CustomProperties { get; init; } = new Dictionary<string, object?>();
    public IDictionary<string, object?> ConstructionProperties { get; init; } = new Dictionary<string, object?>();
    public bool IsContainer { get; init; }
    public bool IsBrowsable { get; init; } = true;
    public bool IsStart { get; init; }
    public bool IsTerminal { get; init; }

    /// <summary>The CLR class that runs this activity (null for the flowchart container itself).</summary>
    [JsonIgnore]
    public Type? ClrType { get; init; }

    /// <summary>
    /// True when the ports depend on the activity's inputs (e.g. <c>Elsa.FlowFork</c> branches, <c>Elsa.FlowSwitch</c>
    /// case labels); see <see cref="IActivityRegistry.GetOutcomes"/>.
    /// </summary>
    [JsonIgnore]
    public bool HasDynamicOutcomes { get; init; }
}
