using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MentorFlow.Workflows.Activities;

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

/// <summary>An input property in the Elsa 3 <c>InputDescriptor</c> shape.</summary>
public sealed record InputDescriptor
{
    public required string Name { get; init; }
    public required string TypeName { get; init; }
    public string? DisplayName { get; init; }
    public string? Description { get; init; }
    public float Order { get; init; }
    public string UIHint { get; init; } = "singleline";
    public IDictionary<string, object?>? UISpecifications { get; init; }
    public bool IsWrapped { get; init; } = true;
    public string DefaultSyntax { get; init; } = "Literal";
    public object? DefaultValue { get; init; }
    public bool IsReadOnly { get; init; }
    public bool IsSensitive { get; init; }
    public bool IsBrowsable { get; init; } = true;
    public bool IsSerializable { get; init; } = true;
    public bool IsSynthetic { get; init; }
    public string? Category { get; init; }
    public string? StorageDriverType { get; init; }

    /// <summary>Validation: a definition must give this input a value.</summary>
    [JsonIgnore]
    public bool Required { get; init; }

    /// <summary>Where the input's text goes (HTML body, single-line subject…): the evaluator encodes or cleans it for that.</summary>
    [JsonIgnore]
    public InputContent Content { get; init; } = InputContent.Value;

    /// <summary>The JSON property name in a definition (camelCase of <see cref="Name"/>).</summary>
    [JsonIgnore]
    public string JsonName => char.ToLowerInvariant(Name[0]) + Name[1..];

    [JsonIgnore]
    public Type? ClrType { get; init; }
}

/// <summary>An output property in the Elsa 3 <c>OutputDescriptor</c> shape.</summary>
public sealed record OutputDescriptor
{
    public required string Name { get; init; }
    public required string TypeName { get; init; }
    public string? DisplayName { get; init; }
    public string? Description { get; init; }
    public float Order { get; init; }
    public bool IsBrowsable { get; init; } = true;
    public bool IsSynthetic { get; init; }
}

/// <summary>A port in the Elsa 3 <c>Port</c> shape; MentorFlow uses flow ports (outcomes) only.</summary>
public sealed record PortDescriptor
{
    public required string Name { get; init; }
    public string? DisplayName { get; init; }
    public string Type { get; init; } = "Flow";
    public bool IsBrowsable { get; init; } = true;
}

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
