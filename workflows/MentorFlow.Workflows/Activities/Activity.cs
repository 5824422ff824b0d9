using System.Text.Json;

namespace MentorFlow.Workflows.Activities;

/// <summary>
/// Base class of every workflow activity: one small class per activity, typed <see cref="Input{T}"/> properties,
/// <see cref="Output{T}"/> properties and named outcome ports (<see cref="OutcomesAttribute"/>, default <c>Done</c>).
/// The engine creates a fresh instance per execution (constructor parameters come from dependency injection) and
/// binds the inputs from the definition JSON before calling <see cref="ExecuteAsync"/>.
/// </summary>
public abstract class Activity
{
    /// <summary>
    /// Runs the activity. Finish with <see cref="ActivityExecutionContext.Complete"/> (or return without calling it
    /// to complete with the default outcome), or call <see cref="ActivityExecutionContext.CreateBookmark"/> to wait.
    /// Throwing faults the activity: the instance gets an incident that can be retried from this activity.
    /// </summary>
    protected abstract ValueTask ExecuteAsync(ActivityExecutionContext context);

    /// <summary>
    /// Called when one of this activity's bookmarks is resumed (by a signal or when its due time is reached).
    /// <see cref="ActivityExecutionContext.ResumedBookmark"/> names the bookmark. The default completes with the
    /// default outcome. Create a new bookmark here to keep waiting (e.g. a recurring timer).
    /// </summary>
    protected virtual ValueTask ResumeAsync(ActivityExecutionContext context, JsonElement? payload)
    {
        context.Complete();
        return ValueTask.CompletedTask;
    }

    internal ValueTask InvokeExecuteAsync(ActivityExecutionContext context) => ExecuteAsync(context);

    internal ValueTask InvokeResumeAsync(ActivityExecutionContext context, JsonElement? payload) => ResumeAsync(context, payload);
}
