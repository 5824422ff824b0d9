using MentorFlow.Workflows.Definitions;

namespace MentorFlow.Workflows.Runtime;

/// <summary>A burst's state could not be stored; <see cref="LastActivity"/> is the activity that ran last in it.</summary>
internal sealed class BurstFailedException(Exception inner, ActivityNode? lastActivity)
    : Exception(inner.Message, inner)
{
    public ActivityNode? LastActivity { get; } = lastActivity;
}
