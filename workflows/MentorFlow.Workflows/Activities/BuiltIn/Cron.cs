namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Scheduling", "Wait for the next occurrence of a CRON expression (5-field Unix or Quartz format), then continue.")]
public sealed class Cron : Activity
{
    [Input(Description = "The CRON expression, e.g. '0 9 * * MON' (09:00 UTC every Monday).", Required = true)]
    public Input<string> CronExpression { get; init; } = new(WorkflowExpression.Literal(null));

    /// <summary>Converts 5-field Unix cron to Quartz's 6-field form; null when the expression is invalid.</summary>
    internal static Quartz.CronExpression? Parse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the CRON expression is empty.";
            return null;
        }

        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 5)
        {
            var dayOfMonth = parts[2];
            var dayOfWeek = parts[4];
            if (dayOfWeek == "*")
            {
                dayOfWeek = "?";
            }
            else if (dayOfMonth == "*")
            {
                dayOfMonth = "?";
            }

            text = $"0 {parts[0]} {parts[1]} {dayOfMonth} {parts[3]} {dayOfWeek}";
        }

        try
        {
            return new Quartz.CronExpression(text, TimeZoneInfo.Utc);
        }
        catch (FormatException exception)
        {
            error = $"'{string.Join(' ', parts)}' is not a valid CRON expression: {exception.Message}";
            return null;
        }
    }

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var cron = Parse(context.Get(CronExpression), out var error)
            ?? throw new ActivityInputException(context.ActivityId, "cronExpression", error!);
        var next = cron.GetNextValidTimeAfter(context.Clock.GetUtcNow())
            ?? throw new ActivityInputException(context.ActivityId, "cronExpression", "the expression has no future occurrence.");
        context.CreateBookmark("Elsa.Cron", dueAt: next);
        return ValueTask.CompletedTask;
    }
}
