namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Scheduling", "Wait until a specific time, then continue.")]
public sealed class StartAt : Activity
{
    [Input(Description = "The moment to continue at.", Required = true)]
    public Input<DateTimeOffset> DateTime { get; init; } = new(WorkflowExpression.Literal(null));

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var at = context.Get(DateTime);
        if (at <= context.Clock.GetUtcNow())
        {
            context.Complete();
            return ValueTask.CompletedTask;
        }

        context.CreateBookmark("Elsa.StartAt", dueAt: at);
        return ValueTask.CompletedTask;
    }
}
