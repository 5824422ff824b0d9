namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Branching", "Evaluate a Boolean condition to determine which path to execute next.", DisplayName = "Decision")]
[Outcomes("True", "False")]
public sealed class FlowDecision : Activity
{
    [Input(Description = "The condition to evaluate.", UIHint = "singleline", DefaultSyntax = ExpressionSyntax.JavaScript, Required = true)]
    public Input<bool> Condition { get; init; } = new(false);

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Complete(context.Get(Condition) ? "True" : "False");
        return ValueTask.CompletedTask;
    }
}
