using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MentorFlow.Workflows.Activities;

namespace MentorFlow.Workflows.Runtime;

/// <summary>The persisted state of one instance (serialized into <c>wf_instances.state</c> after each burst).</summary>
internal sealed class InstanceState
{
    public string? CorrelationId { get; set; }
    public JsonObject Input { get; set; } = [];
    public JsonObject Output { get; set; } = [];
    public Dictionary<string, JsonNode?> Variables { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, JsonObject> ActivityOutputs { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, JsonObject> ActivityStates { get; set; } = new(StringComparer.Ordinal);
    public List<WorkItem> Queue { get; set; } = [];
    public List<BookmarkState> Bookmarks { get; set; } = [];
    public Dictionary<string, int> ExecutionCounts { get; set; } = new(StringComparer.Ordinal);
    public long JournalSequence { get; set; }
    public FaultState? Fault { get; set; }
    public bool Cancelled { get; set; }
    public bool Finished { get; set; }

    public JsonObject ActivityState(string activityId)
    {
        if (!ActivityStates.TryGetValue(activityId, out var state))
        {
            state = [];
            ActivityStates[activityId] = state;
        }

        return state;
    }

    public void SetActivityOutput(string activityId, string name, JsonNode? value)
    {
        if (!ActivityOutputs.TryGetValue(activityId, out var outputs))
        {
            outputs = [];
            ActivityOutputs[activityId] = outputs;
        }

        outputs[name] = value;
    }

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Serialize() => JsonSerializer.Serialize(this, Options);

    public static InstanceState Deserialize(string json) =>
        JsonSerializer.Deserialize<InstanceState>(json, Options) ?? throw new InvalidOperationException("Empty instance state.");
}

/// <summary>A scheduled step: execute an activity (arriving from a port) or resume one of its bookmarks.</summary>
internal sealed class WorkItem
{
    public required string ActivityId { get; set; }
    public bool Resume { get; set; }
    public string? BookmarkId { get; set; }
    public JsonNode? Payload { get; set; }
    public string? SourceActivityId { get; set; }
    public string? SourcePort { get; set; }
}

internal sealed class BookmarkState
{
    public required string Id { get; set; }
    public required string ActivityId { get; set; }
    public required string Name { get; set; }
    public string? CorrelationId { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public JsonNode? Payload { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The execution count of the activity when the bookmark was made (keeps the idempotency key on resume).</summary>
    public int Iteration { get; set; }

    public BookmarkInfo ToInfo() => new(Id, ActivityId, Name, CorrelationId, DueAt, Payload?.DeepClone(), CreatedAt);
}

internal sealed class FaultState
{
    public required string ActivityId { get; set; }
    public required string Message { get; set; }
    public string? IncidentId { get; set; }
}
