namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Scheduling", "Delay execution for the specified amount of time.")]
public sealed class Delay : Activity
{
    [Input(Description = "The timespan to delay workflow execution (e.g. 00:05:00 or P1D).", DefaultValue = "00:01:00", Required = true)]
    public Input<TimeSpan> TimeSpan { get; init; } = new(System.TimeSpan.FromMinutes(1));

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var span = context.Get(TimeSpan);
        if (span <= System.TimeSpan.Zero)
        {
            context.Complete();
            return ValueTask.CompletedTask;
        }

        context.CreateBookmark("Elsa.Delay", dueAt: context.Clock.GetUtcNow() + span);
        return ValueTask.CompletedTask;
    }
}
