using System.Text.Json;

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

[Activity("Elsa", "Scheduling", "Wait until a specific time, then continue.")]
public sealed class StartAt : Activity
{
    [Input(Description = "The moment to continue at.", Required = true)]
    public Input<DateTimeOffset> DateTime { get; init; } = new(WorkflowExpression.Literal(null));

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var at = context.Get(DateTime);
        if (at <= context.Clock.GetUtcNow())
        {
            context.Complete();
            return ValueTask.CompletedTask;
        }

        context.CreateBookmark("Elsa.StartAt", dueAt: at);
        return ValueTask.CompletedTask;
    }
}

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
