namespace MentorFlow.Workflows.Definitions;

/// <summary>One validation finding: the activity and input it is about (null when about the whole definition).</summary>
public sealed record ValidationError(string? ActivityId, string? Input, string Message)
{
    public override string ToString() =>
        ActivityId is null ? Message : Input is null ? $"{ActivityId}: {Message}" : $"{ActivityId}.{Input}: {Message}";
}
