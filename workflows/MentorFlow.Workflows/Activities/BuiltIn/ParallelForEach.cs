using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Activities.BuiltIn;

/// <summary>
/// Elsa's Parallel For Each. The body runs once per item; the runs take turns within the instance (one burst runs
/// one activity at a time), so a body that waits (a delay, an event) holds the next item until it goes on.
/// </summary>
[Activity("Elsa", "Looping", "Run the body once for each item of a set; the loop completes when every run is done.", DisplayName = "Parallel For Each")]
public sealed class ParallelForEach : Activity, ILoopActivity
{
    [Input(Description = "The set of values to iterate.", DefaultSyntax = ExpressionSyntax.Object)]
    public Input<JsonNode> Items { get; init; } = new(WorkflowExpression.Literal(null));

    [Output(Description = "The current value.")]
    public Output<JsonNode> CurrentValue { get; init; } = new();

    [Output(Description = "The current index.")]
    public Output<int> CurrentIndex { get; init; } = new();

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.HasBody && ItemLoop.Next(context, () => context.Get(Items), CurrentValue, CurrentIndex))
        {
            context.ScheduleBody();
        }
        else
        {
            context.ClearState();
            context.Complete();
        }

        return ValueTask.CompletedTask;
    }
}
