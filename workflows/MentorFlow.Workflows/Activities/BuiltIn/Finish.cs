namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Primitives", "Mark the workflow as finished (remaining waits are cancelled).")]
public sealed class Finish : Activity
{
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.FinishWorkflow();
        context.Complete();
        return ValueTask.CompletedTask;
    }
}
