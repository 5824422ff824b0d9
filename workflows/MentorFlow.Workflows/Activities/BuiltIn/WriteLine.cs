using Microsoft.Extensions.Logging;

namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Console", "Write a line of text to the console (the log) and the journal.")]
public sealed partial class WriteLine(ILogger<WriteLine> logger) : Activity
{
    [Input(Description = "The text to write.")]
    public Input<string> Text { get; init; } = new(WorkflowExpression.Literal(null));

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var text = context.Get(Text) ?? "";
        LogLine(logger, context.WorkflowInstanceId, context.ActivityId, text);
        context.Log(text);
        context.Complete();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "[{InstanceId}/{ActivityId}] {Text}")]
    private static partial void LogLine(ILogger logger, string instanceId, string activityId, string text);
}
