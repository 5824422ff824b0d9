namespace MentorFlow.Workflows.Activities;

/// <summary>The named outcome ports of an activity (flow ports in the designer). Default: a single <c>Done</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OutcomesAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}
