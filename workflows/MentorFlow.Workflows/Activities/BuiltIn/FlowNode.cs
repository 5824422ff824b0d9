namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Flow", "A simple container that executes the specified activity.", DisplayName = "Flow Node")]
public sealed class FlowNode : Activity, IBodyActivity
{
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var state = context.Burst.State.ActivityState(context.ActivityId);
        if (!context.HasBody || state["ran"] is not null)
        {
            context.ClearState();
            context.Complete();
            return ValueTask.CompletedTask;
        }

        state["ran"] = true;
        context.ScheduleBody();
        return ValueTask.CompletedTask;
    }
}
