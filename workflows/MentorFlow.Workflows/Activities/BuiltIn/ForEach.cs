using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Looping", "Iterate over a set of values: 'Iterate' runs once per item (connect the end of the body back to this activity), then 'Done'.", DisplayName = "For Each")]
[Outcomes("Iterate", "Done")]
public sealed class ForEach : Activity
{
    [Input(Description = "The set of values to iterate.", DefaultSyntax = ExpressionSyntax.Object)]
    public Input<JsonNode> Items { get; init; } = new(WorkflowExpression.Literal(null));

    [Output(Description = "The current value.")]
    public Output<JsonNode> CurrentValue { get; init; } = new();

    [Output(Description = "The current index.")]
    public Output<int> CurrentIndex { get; init; } = new();

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        // The list lives in the activity state (read in place, not copied, so long loops stay linear).
        var state = context.Burst.State.ActivityState(context.ActivityId);
        int index;
        JsonArray items;
        if (state["items"] is JsonArray stored && state["index"] is JsonValue current)
        {
            items = stored;
            index = current.GetValue<int>() + 1;
        }
        else
        {
            items = context.Get(Items) switch
            {
                JsonArray array => array,
                null => [],
                var single => [single.DeepClone()],
            };
            state["items"] = items;
            index = 0;
        }

        if (index >= items.Count)
        {
            context.ClearState();
            context.Complete("Done");
            return ValueTask.CompletedTask;
        }

        state["index"] = index;
        var value = items[index];
        context.Set(CurrentValue, value);
        context.Set(CurrentIndex, index);
        context.SetVariable("CurrentValue", value);
        context.SetVariable("CurrentIndex", index);
        context.Complete("Iterate");
        return ValueTask.CompletedTask;
    }
}
