namespace MentorFlow.Workflows.Descriptors;

/// <summary>
/// A port in the Elsa 3 <c>Port</c> shape: a flow port (an outcome) or an embedded one (an activity held in a property
/// of the node, e.g. a loop's <c>Body</c>, which the designer opens).
/// </summary>
public sealed record PortDescriptor
{
    public const string FlowType = "Flow";
    public const string EmbeddedType = "Embedded";

    public required string Name { get; init; }
    public string? DisplayName { get; init; }
    public string Type { get; init; } = FlowType;
    public bool IsBrowsable { get; init; } = true;
}
