namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Primitives", "Set the CorrelationId of the workflow to a given value.", DisplayName = "Correlate")]
public sealed class Correlate : Activity
{
    /// <summary>Longest correlation id kept (it is an indexed lookup key).</summary>
    public const int MaxLength = 256;

    [Input(DisplayName = "Correlation ID", Description = "The correlation ID to set.", UIHint = "singleline", Content = InputContent.SingleLine)]
    public Input<string> CorrelationId { get; init; } = new(string.Empty);

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var value = context.Get(CorrelationId);
        if (value is { Length: > MaxLength })
        {
            throw new ActivityInputException(context.ActivityId, "correlationId", $"the correlation id is {value.Length} characters long; at most {MaxLength} are allowed.");
        }

        context.SetCorrelationId(value);
        context.Complete();
        return ValueTask.CompletedTask;
    }
}
