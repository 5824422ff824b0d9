using System.Text.Json;

namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Primitives", "Wait for an event (a signal by name, for this instance's correlation id) to be published.")]
public sealed class Event : Activity
{
    [Input(Description = "The name of the event to listen for.", Required = true)]
    public Input<string> EventName { get; init; } = new(WorkflowExpression.Literal(null));

    [Output(Description = "The event's payload.")]
    public Output<object> Result { get; init; } = new();

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var name = context.Get(EventName);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ActivityInputException(context.ActivityId, "eventName", "the event name is empty.");
        }

        context.CreateBookmark(name, context.CorrelationId);
        return ValueTask.CompletedTask;
    }

    protected override ValueTask ResumeAsync(ActivityExecutionContext context, JsonElement? payload)
    {
        context.Set(Result, payload);
        context.Complete();
        return ValueTask.CompletedTask;
    }
}
