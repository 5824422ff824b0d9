namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Looping", "Execute an activity while a given condition evaluates to true.", DisplayName = "While")]
public sealed class While : Activity, ILoopActivity
{
    [Input(Description = "The condition to evaluate before each run of the body.", UIHint = "singleline", DefaultSyntax = ExpressionSyntax.JavaScript)]
    public Input<bool> Condition { get; init; } = new(false);

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.HasBody && context.Get(Condition))
        {
            context.Burst.State.ActivityState(context.ActivityId)["running"] = true;
            context.ScheduleBody();
            return ValueTask.CompletedTask;
        }

        context.ClearState();
        context.Complete();
        return ValueTask.CompletedTask;
    }
}
