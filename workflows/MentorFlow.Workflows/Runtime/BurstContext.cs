using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Descriptors;
using MentorFlow.Workflows.Expressions;

namespace MentorFlow.Workflows.Runtime;

/// <summary>The in-memory state of one burst: the instance state being advanced plus what it produced.</summary>
internal sealed class BurstContext(
    string instanceId,
    FlowchartDefinition definition,
    InstanceState state,
    IServiceProvider services,
    TimeProvider clock,
    ExpressionEvaluator expressions,
    CancellationToken cancellationToken)
{
    private readonly ConditionalWeakTable<object, string> _memberNames = [];
    private StringBuilder? _journalMessage;

    public string InstanceId { get; } = instanceId;
    public FlowchartDefinition Definition { get; } = definition;
    public InstanceState State { get; } = state;
    public IServiceProvider Services { get; } = services;
    public TimeProvider Clock { get; } = clock;
    public ExpressionEvaluator Expressions { get; } = expressions;
    public CancellationToken CancellationToken { get; } = cancellationToken;
    public List<object> Enlisted { get; } = [];

    /// <summary>What activities hand to the commit listeners once this burst committed (not stored).</summary>
    public List<object> Notes { get; } = [];

    /// <summary>Values shared by the activities of this burst only.</summary>
    public Dictionary<string, object> Items { get; } = new(StringComparer.Ordinal);
    public List<WorkflowJournalEntryDraft> Journal { get; } = [];
    public List<WorkflowIncidentDraft> Incidents { get; } = [];
    public HashSet<string> RemovedBookmarkIds { get; } = new(StringComparer.Ordinal);
    public List<BookmarkState> AddedBookmarks { get; } = [];
    public bool FinishRequested { get; set; }

    /// <summary>Set by End/Complete inside a nested flowchart: that flowchart completes with these outcomes.</summary>
    public (string Container, IReadOnlyList<string> Outcomes)? ContainerCompletion { get; set; }

    public string NewId() => Guid.CreateVersion7(Clock.GetUtcNow()).ToString("N");

    public void RegisterMember(object member, string name) => _memberNames.AddOrUpdate(member, name);

    public string? CurrentInputName(object input) => _memberNames.TryGetValue(input, out var name) ? name : null;

    public string? CurrentOutputName(object output) => _memberNames.TryGetValue(output, out var name) ? name : null;

    public string DefaultOutcome(ActivityNode node) =>
        node.Descriptor is { HasDynamicOutcomes: false } descriptor && descriptor.Ports.Where(p => p.Type == PortDescriptor.FlowType).Take(2).ToList() is [var only]
            ? only.Name
            : "Done";

    public void SetVariableByReference(string reference, JsonNode? value)
    {
        var variable = Definition.FindVariable(reference);
        State.Variables[variable?.Name ?? reference] = value;
    }

    public void AppendJournalMessage(string message)
    {
        _journalMessage ??= new StringBuilder();
        if (_journalMessage.Length > 0)
        {
            _journalMessage.Append('\n');
        }

        _journalMessage.Append(message);
    }

    public string? TakeJournalMessage()
    {
        var message = _journalMessage?.ToString();
        _journalMessage = null;
        return message;
    }

    public ExpressionScope Scope(ActivityExecutionContext context)
    {
        _ = context;
        return new ExpressionScope
        {
            Variables = State.Variables,
            Input = State.Input,
            ActivityOutputs = State.ActivityOutputs,
            ActivityNames = Definition.ActivityNames,
            VariableIds = Definition.VariableIds,
            InstanceId = InstanceId,
            DefinitionId = Definition.DefinitionId,
            CorrelationId = State.CorrelationId,
        };
    }
}

internal sealed record WorkflowJournalEntryDraft(
    long Sequence,
    ActivityNode Node,
    string EventName,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<string> Outcomes,
    string? Message,
    string? Error);

internal sealed record WorkflowIncidentDraft(string Id, string ActivityId, string ActivityType, string Message, string? Exception, DateTimeOffset Timestamp);
