using System.Text.Json;
using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Activities.BuiltIn;

/// <summary>
/// Elsa's Run Task: an external worker does the task and completes it through the API
/// (<c>POST /elsa/api/tasks/{taskId}/complete</c>); until then the instance waits on a bookmark named
/// <see cref="BookmarkName"/> correlated by the task id, whose payload names the task and carries its input.
/// </summary>
[Activity("Elsa", "Primitives", "Hand a task to an external worker and wait until it is completed through the API.", DisplayName = "Run Task")]
public sealed class RunTask : Activity
{
    public const string BookmarkName = "RunTask";

    [Input(DisplayName = "Task Name", Description = "The name of the task the worker should run.", UIHint = "singleline", Required = true)]
    public Input<string> TaskName { get; init; } = new(string.Empty);

    [Input(Description = "What the worker needs to run the task.")]
    public Input<JsonNode> Payload { get; init; } = new(WorkflowExpression.Literal(null));

    [Output(DisplayName = "Task ID", Description = "The id the worker completes the task with.")]
    public Output<string> TaskId { get; init; } = new();

    [Output(Description = "The result the worker sent when it completed the task.")]
    public Output<JsonNode> Result { get; init; } = new();

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var name = context.Get(TaskName);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ActivityInputException(context.ActivityId, "taskName", "the task needs a name.");
        }

        // The task id is the execution's idempotency key made URL-safe: a step re-run after a crash asks for the same task.
        var taskId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(context.IdempotencyKey)))[..32];
        context.Set(TaskId, taskId);
        context.CreateBookmark(BookmarkName, correlationId: taskId, payload: new JsonObject
        {
            ["taskId"] = taskId,
            ["taskName"] = name.Trim(),
            ["payload"] = context.Get(Payload)?.DeepClone(),
        });
        context.Log($"task '{name.Trim()}' waits for completion as {taskId}");
        return ValueTask.CompletedTask;
    }

    protected override ValueTask ResumeAsync(ActivityExecutionContext context, JsonElement? payload)
    {
        context.Set(Result, payload is { } value ? JsonNode.Parse(value.GetRawText()) : null);
        context.Complete();
        return ValueTask.CompletedTask;
    }
}
