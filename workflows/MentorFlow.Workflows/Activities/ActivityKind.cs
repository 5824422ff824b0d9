namespace MentorFlow.Workflows.Activities;

/// <summary>What kind of node an activity is in the designer (Elsa's <c>ActivityKind</c>).</summary>
public enum ActivityKind
{
    Action,
    Trigger,
    Task,
    Job,
}
