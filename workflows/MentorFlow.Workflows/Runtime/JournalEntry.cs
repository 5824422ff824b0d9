namespace MentorFlow.Workflows.Runtime;

/// <summary>One activity execution (or resume) in an instance's journal.</summary>
public sealed record JournalEntry(
    long Sequence,
    string ActivityId,
    string ActivityType,
    int ActivityTypeVersion,
    string? ActivityName,
    string EventName,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<string> Outcomes,
    string? Message,
    string? Error);
