namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Flow", "A milestone activity that marks the end of a flowchart: the workflow finishes, or a nested flowchart completes and its parent goes on.")]
public sealed class End : Activity
{
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.CompleteFlowchart(["Done"]);
        context.Complete();
        return ValueTask.CompletedTask;
    }
}
