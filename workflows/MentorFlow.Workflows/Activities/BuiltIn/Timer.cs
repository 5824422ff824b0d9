namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Scheduling", "Wait for the interval, then continue (inside a flow the timer fires once per visit).")]
public sealed class Timer : Activity
{
    [Input(Description = "The interval at which the timer should execute.", DefaultValue = "00:01:00", Required = true)]
    public Input<TimeSpan> Interval { get; init; } = new(System.TimeSpan.FromMinutes(1));

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var interval = context.Get(Interval);
        if (interval <= System.TimeSpan.Zero)
        {
            throw new ActivityInputException(context.ActivityId, "interval", "the interval must be positive.");
        }

        context.CreateBookmark("Elsa.Timer", dueAt: context.Clock.GetUtcNow() + interval);
        return ValueTask.CompletedTask;
    }
}
