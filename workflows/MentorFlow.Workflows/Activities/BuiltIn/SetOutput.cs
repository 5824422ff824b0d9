namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Primitives", "Assign a value to one of the workflow's outputs.", DisplayName = "Set Output")]
public sealed class SetOutput : Activity
{
    [Input(DisplayName = "Output Name", Description = "The name of the workflow output.", UIHint = "singleline", Required = true)]
    public Input<string> OutputName { get; init; } = new(string.Empty);

    [Input(DisplayName = "Output Value", Description = "The value to assign.")]
    public Input<object> OutputValue { get; init; } = new(WorkflowExpression.Literal(null));

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var name = context.Get(OutputName);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ActivityInputException(context.ActivityId, "outputName", "no output name is given.");
        }

        context.SetWorkflowOutput(name.Trim(), context.Get(OutputValue));
        context.Complete();
        return ValueTask.CompletedTask;
    }
}
