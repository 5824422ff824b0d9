using System.Text.Json.Serialization;
using MentorFlow.Workflows.Activities;

namespace MentorFlow.Workflows.Descriptors;

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
