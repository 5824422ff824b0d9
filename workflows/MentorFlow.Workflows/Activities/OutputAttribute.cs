namespace MentorFlow.Workflows.Activities;

/// <summary>Describes an <see cref="Output{T}"/> property for the designer.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OutputAttribute : Attribute
{
    public string? DisplayName { get; set; }
    public string? Description { get; set; }
}
