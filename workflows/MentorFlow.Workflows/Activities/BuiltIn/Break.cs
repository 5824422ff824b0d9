namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Looping", "Break out of the nearest loop (While, For Each, Parallel For Each) the activity is in.", DisplayName = "Break")]
public sealed class Break : Activity
{
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.BreakLoop();
        context.Complete();
        return ValueTask.CompletedTask;
    }
}
