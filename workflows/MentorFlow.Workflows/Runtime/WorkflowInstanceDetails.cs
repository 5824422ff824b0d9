using System.Text.Json.Nodes;
using MentorFlow.Workflows.Activities;

namespace MentorFlow.Workflows.Runtime;

/// <summary>An instance with its state, journal and incidents.</summary>
public sealed record WorkflowInstanceDetails(
    WorkflowInstanceSummary Summary,
    JsonObject Input,
    JsonObject Output,
    IReadOnlyDictionary<string, JsonNode?> Variables,
    IReadOnlyList<BookmarkInfo> Bookmarks,
    IReadOnlyList<JournalEntry> Journal,
    IReadOnlyList<WorkflowIncident> Incidents);
