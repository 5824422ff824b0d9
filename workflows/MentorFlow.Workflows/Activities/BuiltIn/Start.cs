namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Flow", "A milestone activity that marks the start of a flowchart.")]
public sealed class Start : Activity
{
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Complete();
        return ValueTask.CompletedTask;
    }
}
