using System.Text.Json;

namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("MentorFlow", "Primitives", "Wait for a signal (name + this instance's correlation id), or time out.", DisplayName = "Wait For Signal")]
[Outcomes("Signalled", "TimedOut")]
public sealed class WaitForSignal : Activity
{
    [Input(Description = "The signal name to wait for.", Required = true)]
    public Input<string> SignalName { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(Description = "How long to wait before taking the TimedOut path (empty = wait forever).")]
    public Input<TimeSpan?> Timeout { get; init; } = new(WorkflowExpression.Literal(null));

    [Output(Description = "The signal's payload.")]
    public Output<object> Payload { get; init; } = new();

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var name = context.Get(SignalName);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ActivityInputException(context.ActivityId, "signalName", "the signal name is empty.");
        }

        context.CreateBookmark(name, context.CorrelationId);
        if (context.Get(Timeout) is { } timeout && timeout > System.TimeSpan.Zero)
        {
            context.CreateBookmark(name + ":timeout", dueAt: context.Clock.GetUtcNow() + timeout);
        }

        return ValueTask.CompletedTask;
    }

    protected override ValueTask ResumeAsync(ActivityExecutionContext context, JsonElement? payload)
    {
        if (context.ResumedBookmark?.DueAt is not null)
        {
            context.Complete("TimedOut");
            return ValueTask.CompletedTask;
        }

        context.Set(Payload, payload);
        context.Complete("Signalled");
        return ValueTask.CompletedTask;
    }
}
