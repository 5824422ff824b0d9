namespace MentorFlow.Workflows.Descriptors;

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
