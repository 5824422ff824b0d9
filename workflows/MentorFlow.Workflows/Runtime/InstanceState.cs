using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MentorFlow.Workflows.Activities;

namespace MentorFlow.Workflows.Runtime;

/// <summary>The persisted state of one instance (serialized into <c>wf_instances.state</c> after each burst).</summary>
internal sealed class InstanceState
{
    public string? CorrelationId { get; set; }

    /// <summary>The instance that waits for this one to end (Execute Workflow), and the bookmark it waits on.</summary>
    public ParentLink? Parent { get; set; }

    /// <summary>How many parents wait above this instance (0 for a top-level one).</summary>
    public int Depth { get; set; }

    /// <summary>The instance's name when a flow set one (Elsa's SetName); null keeps the name it started with.</summary>
    public string? Name { get; set; }

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

    /// <summary>
    /// Serializes the state unless it would exceed <paramref name="maxBytes"/> UTF-8 bytes. The strings in it are
    /// counted first (each character is at least one byte), so a huge value is refused without building its JSON.
    /// </summary>
    /// <exception cref="WorkflowStateTooLargeException">The state is over the limit.</exception>
    public string Serialize(long maxBytes)
    {
        var (atLeast, largest, largestBytes) = MinimumSize(maxBytes);
        if (atLeast > maxBytes)
        {
            throw new WorkflowStateTooLargeException(atLeast, exact: false, maxBytes, largest, largestBytes);
        }

        var json = Serialize();
        var bytes = Encoding.UTF8.GetByteCount(json);
        return bytes > maxBytes ? throw new WorkflowStateTooLargeException(bytes, exact: true, maxBytes, largest, largestBytes) : json;
    }

    /// <summary>
    /// A lower bound of the serialized size (names and string values counted by characters), and the largest part
    /// (a variable, an activity's outputs or state, the input or output); stops counting above <paramref name="stopAbove"/>.
    /// </summary>
    private (long Total, string? Largest, long LargestBytes) MinimumSize(long stopAbove)
    {
        var parts = new List<(PartKind Kind, string? Key, JsonNode? Node)>(2 + Variables.Count + ActivityOutputs.Count + ActivityStates.Count)
        {
            (PartKind.Input, null, Input),
            (PartKind.Output, null, Output),
        };
        parts.AddRange(Variables.Select(v => (PartKind.Variable, (string?)v.Key, v.Value)));
        parts.AddRange(ActivityOutputs.Select(o => (PartKind.ActivityOutputs, (string?)o.Key, (JsonNode?)o.Value)));
        parts.AddRange(ActivityStates.Select(o => (PartKind.ActivityState, (string?)o.Key, (JsonNode?)o.Value)));
        parts.AddRange(Queue.Where(q => q.Payload is not null).Select(q => (PartKind.QueuedPayload, (string?)q.ActivityId, q.Payload)));
        parts.AddRange(Bookmarks.Where(b => b.Payload is not null).Select(b => (PartKind.BookmarkPayload, (string?)b.Name, b.Payload)));
        long total = 0;
        (PartKind Kind, string? Key)? largest = null;
        long largestBytes = 0;
        var pending = new Stack<JsonNode>();
        foreach (var (kind, key, root) in parts)
        {
            if (total > stopAbove)
            {
                break;
            }

            long size = key?.Length ?? 0;
            if (root is not null)
            {
                pending.Push(root);
            }

            while (total + size <= stopAbove && pending.TryPop(out var node))
            {
                switch (node)
                {
                    case JsonObject obj:
                        foreach (var (name, value) in obj)
                        {
                            size += name.Length;
                            if (value is not null)
                            {
                                pending.Push(value);
                            }
                        }

                        break;
                    case JsonArray array:
                        foreach (var value in array)
                        {
                            if (value is not null)
                            {
                                pending.Push(value);
                            }
                        }

                        break;
                    case JsonValue value when value.TryGetValue<string>(out var text):
                        size += text.Length;
                        break;
                    default:
                        size++;
                        break;
                }
            }

            pending.Clear();
            total += size;
            if (size > largestBytes)
            {
                (largest, largestBytes) = ((kind, key), size);
            }
        }

        return (total, largest is { } part ? Describe(part.Kind, part.Key) : null, largestBytes);
    }

    private enum PartKind
    {
        Input,
        Output,
        Variable,
        ActivityOutputs,
        ActivityState,
        QueuedPayload,
        BookmarkPayload,
    }

    private static string Describe(PartKind kind, string? key) => kind switch
    {
        PartKind.Input => "the workflow input",
        PartKind.Output => "the workflow output",
        PartKind.Variable => $"variable '{key}'",
        PartKind.ActivityOutputs => $"the outputs of activity '{key}'",
        PartKind.ActivityState => $"the state of activity '{key}'",
        PartKind.QueuedPayload => $"the payload queued for activity '{key}'",
        _ => $"the payload of bookmark '{key}'",
    };

    public static InstanceState Deserialize(string json) =>
        JsonSerializer.Deserialize<InstanceState>(json, Options) ?? throw new InvalidOperationException("Empty instance state.");
}

/// <summary>A scheduled step: execute an activity (arriving from a port) or resume one of its bookmarks.</summary>
internal sealed class ParentLink
{
    public required string InstanceId { get; set; }
    public required string BookmarkId { get; set; }
}

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
