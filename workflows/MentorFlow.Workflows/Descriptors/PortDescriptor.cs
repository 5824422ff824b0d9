namespace MentorFlow.Workflows.Descriptors;

/// <summary>A port in the Elsa 3 <c>Port</c> shape; MentorFlow uses flow ports (outcomes) only.</summary>
public sealed record PortDescriptor
{
    public required string Name { get; init; }
    public string? DisplayName { get; init; }
    public string Type { get; init; } = "Flow";
    public bool IsBrowsable { get; init; } = true;
}
