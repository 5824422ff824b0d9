using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Activities;

/// <summary>A wait of an activity, as seen by activities and by the runtime API.</summary>
public sealed record BookmarkInfo(
    string Id,
    string ActivityId,
    string Name,
    string? CorrelationId,
    DateTimeOffset? DueAt,
    JsonNode? Payload,
    DateTimeOffset CreatedAt);
