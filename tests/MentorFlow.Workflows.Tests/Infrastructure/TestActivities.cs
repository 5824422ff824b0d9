using System.Collections.Concurrent;
using System.Text.Json;
using MentorFlow.Workflows.Activities;

namespace MentorFlow.Workflows.Tests.Infrastructure;

/// <summary>Records every execution (instance → idempotency keys) so tests can count runs.</summary>
[Activity("Test", "Test", "Records that it ran.")]
public sealed class Probe : Activity
{
    public static ConcurrentDictionary<string, ConcurrentQueue<string>> Runs { get; } = new();

    [Input(Description = "A label recorded with the run.")]
    public Input<string> Label { get; init; } = new("");

    public static int Count(string instanceId) => Runs.TryGetValue(instanceId, out var runs) ? runs.Count : 0;

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        Runs.GetOrAdd(context.WorkflowInstanceId, _ => new()).Enqueue(context.IdempotencyKey + "|" + context.Get(Label));
        context.Complete();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Enlists an outbox row keyed by the idempotency key (the Graph outbox pattern).</summary>
[Activity("Test", "Test", "Adds an outbox row in the burst's transaction.")]
public sealed class EnlistOutbox : Activity
{
    [Input]
    public Input<string> Text { get; init; } = new("");

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Enlist(new TestOutboxRow { Key = context.IdempotencyKey, Text = context.Get(Text) ?? "" });
        return ValueTask.CompletedTask;
    }
}

/// <summary>Blocks until cancelled while <see cref="Armed"/> holds its instance id: a process dying mid-burst.</summary>
[Activity("Test", "Test", "Hangs while armed.")]
public sealed class Hang : Activity
{
    public static ConcurrentDictionary<string, TaskCompletionSource> Entered { get; } = new();
    public static ConcurrentDictionary<string, bool> Armed { get; } = new();
    public static bool ArmNext { get; set; }

    [Input]
    public Input<string> Key { get; init; } = new("");

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var key = context.Get(Key) ?? "";
        if (Armed.TryRemove(key, out _))
        {
            Entered.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        context.Complete();
    }
}

/// <summary>Waits on a signal and counts its resumes per instance (to detect duplicates).</summary>
[Activity("Test", "Test", "Waits for 'go' and counts resumes.")]
public sealed class CountResumes : Activity
{
    public static ConcurrentDictionary<string, int> Resumes { get; } = new();

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.CreateBookmark("go", context.CorrelationId);
        return ValueTask.CompletedTask;
    }

    protected override ValueTask ResumeAsync(ActivityExecutionContext context, JsonElement? payload)
    {
        Resumes.AddOrUpdate(context.WorkflowInstanceId, 1, (_, n) => n + 1);
        context.Complete();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Writes each of its inputs, as evaluated for its content kind, to the workflow output.</summary>
[Activity("Test", "Test", "Renders one input of each content kind.")]
public sealed class RenderContent : Activity
{
    [Input(Content = InputContent.Html)]
    public Input<string> Html { get; init; } = new("");

    [Input(Content = InputContent.SingleLine)]
    public Input<string> Line { get; init; } = new("");

    [Input(Content = InputContent.PlainText)]
    public Input<string> Text { get; init; } = new("");

    [Input]
    public Input<string> Value { get; init; } = new("");

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.SetWorkflowOutput("html", context.Get(Html));
        context.SetWorkflowOutput("line", context.Get(Line));
        context.SetWorkflowOutput("text", context.Get(Text));
        context.SetWorkflowOutput("value", context.Get(Value));
        return ValueTask.CompletedTask;
    }
}

/// <summary>Enlists an outbox row whose key already exists when <see cref="Key"/> was inserted first: the commit is refused.</summary>
[Activity("Test", "Test", "Adds an outbox row with a fixed key.")]
public sealed class EnlistFixedKey : Activity
{
    [Input]
    public Input<string> Key { get; init; } = new("");

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Enlist(new TestOutboxRow { Key = context.Get(Key) ?? "", Text = "fixed" });
        return ValueTask.CompletedTask;
    }
}

/// <summary>Works for a while on the engine's clock (a long burst); counts its executions and signals when it started.</summary>
[Activity("Test", "Test", "Takes the given time on the engine clock.")]
public sealed class SlowStep : Activity
{
    public static ConcurrentDictionary<string, int> Executions { get; } = new();
    public static ConcurrentDictionary<string, TaskCompletionSource> Started { get; } = new();

    [Input]
    public Input<string> Key { get; init; } = new("");

    [Input]
    public Input<string> Seconds { get; init; } = new("0");

    public static TaskCompletionSource StartedFor(string key) =>
        Started.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var key = context.Get(Key) ?? "";
        Executions.AddOrUpdate(key, 1, (_, n) => n + 1);
        StartedFor(key).TrySetResult();
        var seconds = double.Parse(context.Get(Seconds) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        await Task.Delay(TimeSpan.FromSeconds(seconds), context.Clock, context.CancellationToken);
        context.Complete();
    }
}
