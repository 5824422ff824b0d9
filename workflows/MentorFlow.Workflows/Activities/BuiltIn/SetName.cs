namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Primitives", "Set the name of the workflow instance to the specified value.", DisplayName = "Set Name")]
public sealed class SetName : Activity
{
    /// <summary>Longest instance name kept (the instance list shows names on one line).</summary>
    public const int MaxLength = 256;

    [Input(Description = "The name to set.", UIHint = "singleline", Content = InputContent.SingleLine)]
    public Input<string> Value { get; init; } = new(string.Empty);

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var name = context.Get(Value);
        if (name is { Length: > MaxLength })
        {
            throw new ActivityInputException(context.ActivityId, "value", $"the name is {name.Length} characters long; at most {MaxLength} are kept.");
        }

        context.SetInstanceName(name);
        context.Complete();
        return ValueTask.CompletedTask;
    }
}
