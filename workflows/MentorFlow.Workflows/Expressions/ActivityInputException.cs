namespace MentorFlow.Workflows.Activities;

/// <summary>Thrown when an input or expression cannot be evaluated; names the activity and the input.</summary>
public sealed class ActivityInputException(string activityId, string input, string message, Exception? inner = null)
    : Exception($"Activity '{activityId}', input '{input}': {message}", inner)
{
    public string ActivityId { get; } = activityId;
    public string Input { get; } = input;
}
