using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Looping", "Iterate over a set of values: the body (or, without one, the 'Iterate' port, whose end connects back to this activity) runs once per item, then 'Done'.", DisplayName = "For Each")]
[Outcomes("Iterate", "Done")]
public sealed class ForEach : Activity, ILoopActivity
{
    [Input(Description = "The set of values to iterate.", DefaultSyntax = ExpressionSyntax.Object)]
    public Input<JsonNode> Items { get; init; } = new(WorkflowExpression.Literal(null));

    [Output(Description = "The current value.")]
    public Output<JsonNode> CurrentValue { get; init; } = new();

    [Output(Description = "The current index.")]
    public Output<int> CurrentIndex { get; init; } = new();

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (!ItemLoop.Next(context, () => context.Get(Items), CurrentValue, CurrentIndex))
        {
            context.Complete("Done");
        }
        else if (context.HasBody)
        {
            context.ScheduleBody();
        }
        else
        {
            context.Complete("Iterate");
        }

        return ValueTask.CompletedTask;
    }
}
