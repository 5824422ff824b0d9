using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;

namespace MentorFlow.Workflows.Activities;

/// <summary>
/// Everything an activity may touch while it runs: its inputs and outputs, workflow variables, bookmarks (waits),
/// entities to save in the same transaction as the instance state, and the engine's services and clock.
/// One context exists per activity execution; it is not thread-safe and must not be kept after the call returns.
/// </summary>
public sealed class ActivityExecutionContext
{
    private readonly BurstContext _burst;
    private readonly ActivityNode _node;
    private List<string>? _outcomes;

    internal ActivityExecutionContext(BurstContext burst, ActivityNode node, int iteration, BookmarkState? resumedBookmark)
    {
        _burst = burst;
        _node = node;
        Iteration = iteration;
        ResumedBookmark = resumedBookmark is null ? null : resumedBookmark.ToInfo();
    }

    /// <summary>The workflow instance id.</summary>
    public string WorkflowInstanceId => _burst.InstanceId;

    /// <summary>The definition id (stable across versions).</summary>
    public string DefinitionId => _burst.Definition.DefinitionId;

    /// <summary>The definition version the instance runs on.</summary>
    public int DefinitionVersion => _burst.Definition.Version;

    /// <summary>The instance's correlation id (e.g. a programme or pair id), if it was started with one.</summary>
    public string? CorrelationId => _burst.State.CorrelationId;

    /// <summary>The activity's id in the definition.</summary>
    public string ActivityId => _node.Id;

    /// <summary>The activity's type name, e.g. <c>Elsa.WriteLine</c>.</summary>
    public string ActivityType => _node.Type;

    /// <summary>The activity's name in the definition, if any.</summary>
    public string? ActivityName => _node.Name;

    /// <summary>How many times this activity had executed in this instance before this execution (0-based).</summary>
    public int Iteration { get; }

    /// <summary>
    /// Stable key for side effects: <c>{instanceId}:{activityId}:{iteration}</c>. The same execution re-run after a
    /// crash before its burst committed gets the same key, so a Graph <c>transactionId</c> or outbox key derived from
    /// it makes the side effect happen once.
    /// </summary>
    public string IdempotencyKey => $"{WorkflowInstanceId}:{ActivityId}:{Iteration}";

    /// <summary>The bookmark that resumed this activity (only inside <c>ResumeAsync</c>).</summary>
    public BookmarkInfo? ResumedBookmark { get; }

    /// <summary>Services of the burst's scope (the same scope for every activity of one burst).</summary>
    public IServiceProvider Services => _burst.Services;

    /// <summary>The engine's clock; never read the wall clock directly.</summary>
    public TimeProvider Clock => _burst.Clock;

    public CancellationToken CancellationToken => _burst.CancellationToken;

    /// <summary>The workflow's input (as given to <c>StartAsync</c>).</summary>
    public JsonObject WorkflowInput => _burst.State.Input;

    /// <summary>The raw JSON of this activity in the definition (read-only use).</summary>
    public JsonObject ActivityJson => _node.Json;

    internal IReadOnlyList<string>? Outcomes => _outcomes;
    internal bool IsCompleted => _outcomes is not null;
    internal List<BookmarkState> NewBookmarks { get; } = [];
    internal ActivityNode Node => _node;
    internal BurstContext Burst => _burst;

    /// <summary>Evaluates an input (literal or expression) to its typed value.</summary>
    public ValueTask<T?> EvaluateAsync<T>(Input<T>? input) => ValueTask.FromResult(Get(input));

    /// <summary>Evaluates an input synchronously (expressions run in-process, within their limits).</summary>
    public T? Get<T>(Input<T>? input)
    {
        if (input is null)
        {
            return default;
        }

        var inputName = _burst.CurrentInputName(input) ?? "input";
        var content = ContentOf(inputName);
        if (input.Expression is null)
        {
            return input.Literal is string text && content is InputContent.SingleLine or InputContent.PlainText
                ? (T)(object)InputText.Clean(text, content)
                : input.Literal;
        }

        var node = _burst.Expressions.Evaluate(input.Expression, _burst.Scope(this), _node.Id, inputName, content);
        return ValueConversion.To<T>(node, _node.Id, inputName);
    }

    /// <summary>The content kind the activity declares for an input (its <see cref="InputAttribute.Content"/>).</summary>
    private InputContent ContentOf(string inputName)
    {
        if (_node.Descriptor is { } descriptor)
        {
            foreach (var input in descriptor.Inputs)
            {
                if (string.Equals(input.JsonName, inputName, StringComparison.Ordinal))
                {
                    return input.Content;
                }
            }
        }

        return InputContent.Value;
    }

    /// <summary>Evaluates an arbitrary expression (e.g. a switch case condition) in this activity's scope.</summary>
    public T? Evaluate<T>(WorkflowExpression expression, string inputName)
    {
        var node = _burst.Expressions.Evaluate(expression, _burst.Scope(this), _node.Id, inputName);
        return ValueConversion.To<T>(node, _node.Id, inputName);
    }

    /// <summary>
    /// Sets an output: kept as this activity's output and written to the bound variable, if any. A value over
    /// <c>Workflows:VariableValueLimitBytes</c> (as JSON) faults the activity, as it does for variables and state.
    /// </summary>
    public void Set<T>(Output<T>? output, T? value)
    {
        if (output is null)
        {
            return;
        }

        SetOutput(_burst.CurrentOutputName(output) ?? "Result", output.MemoryReference, ValueConversion.ToNode(value));
    }

    /// <summary>Sets an output by name (for outputs the activity class does not declare, e.g. a child flow's outputs).</summary>
    internal void SetOutput(string name, string? memoryReference, JsonNode? node)
    {
        _burst.Expressions.CheckValue(node, _node.Id, $"output {name}");
        _burst.State.SetActivityOutput(_node.Id, name, node);
        if (memoryReference is { Length: > 0 } reference)
        {
            _burst.SetVariableByReference(reference, node?.DeepClone());
        }
    }

    /// <summary>Reads a workflow variable by name (null when unset).</summary>
    public T? GetVariable<T>(string name) =>
        ValueConversion.To<T>(_burst.State.Variables.GetValueOrDefault(name), _node.Id, name);

    /// <summary>Sets a workflow variable by name (it should be declared in the definition).</summary>
    public void SetVariable(string name, object? value)
    {
        var node = ValueConversion.ToNode(value);
        _burst.Expressions.CheckValue(node, _node.Id, $"variable {name}");
        _burst.State.Variables[name] = node;
    }

    /// <summary>Per-activity state that survives waits and restarts (e.g. a loop index).</summary>
    public T? GetState<T>(string key) =>
        _burst.State.ActivityState(_node.Id).TryGetPropertyValue(key, out var node)
            ? ValueConversion.To<T>(node, _node.Id, key)
            : default;

    public void SetState(string key, object? value)
    {
        var node = ValueConversion.ToNode(value);
        _burst.Expressions.CheckValue(node, _node.Id, $"state {key}");
        _burst.State.ActivityState(_node.Id)[key] = node;
    }

    internal void ClearState() => _burst.State.ActivityStates.Remove(_node.Id);

    /// <summary>Sets a workflow output (shown as the instance's output).</summary>
    public void SetWorkflowOutput(string name, object? value)
    {
        var node = ValueConversion.ToNode(value);
        _burst.Expressions.CheckValue(node, _node.Id, $"workflow output {name}");
        _burst.State.Output[name] = node;
    }

    /// <summary>
    /// Completes the activity with the given outcomes (default <c>Done</c>, or the single outcome the activity
    /// declares); the flowchart follows the connections from those ports.
    /// </summary>
    public void Complete(params string[] outcomes) =>
        _outcomes = outcomes.Length == 0 ? [_burst.DefaultOutcome(_node)] : [.. outcomes];

    /// <summary>
    /// Makes the activity wait. A signal with this <paramref name="name"/> (and <paramref name="correlationId"/>,
    /// when given) or, with <paramref name="dueAt"/>, the clock reaching that time resumes it through
    /// <c>ResumeAsync</c>. An activity may hold several bookmarks (e.g. a signal and a timeout); when it completes,
    /// its remaining bookmarks are removed.
    /// </summary>
    public BookmarkInfo CreateBookmark(string name, string? correlationId = null, DateTimeOffset? dueAt = null, JsonNode? payload = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var bookmark = new BookmarkState
        {
            Id = _burst.NewId(),
            ActivityId = _node.Id,
            Name = name,
            CorrelationId = correlationId,
            DueAt = dueAt,
            Payload = payload?.DeepClone(),
            CreatedAt = _burst.Clock.GetUtcNow(),
        };
        NewBookmarks.Add(bookmark);
        return bookmark.ToInfo();
    }

    /// <summary>
    /// Adds an EF Core entity to the same DbContext and the same transaction that saves the instance state at the
    /// end of this burst (e.g. a Graph outbox row): either both are committed or neither is.
    /// </summary>
    public void Enlist(object entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        _burst.Enlisted.Add(entity);
    }

    /// <summary>
    /// Hands <paramref name="note"/> to the <see cref="IWorkflowCommitListener"/>s (<see cref="WorkflowCommit.Notes"/>)
    /// once this burst committed; nothing is stored. A burst that fails or is discarded hands over nothing.
    /// </summary>
    public void AfterCommit(object note)
    {
        ArgumentNullException.ThrowIfNull(note);
        _burst.Notes.Add(note);
    }

    /// <summary>Values that live for this burst only (shared by its activities, never stored).</summary>
    internal Dictionary<string, object> BurstItems => _burst.Items;

    /// <summary>Whether this activity is the root flowchart's start activity.</summary>
    internal bool IsStartActivity => ReferenceEquals(_burst.Definition.StartActivity, _node);

    /// <summary>Adds a line to this execution's journal entry (shown in the instance viewer).</summary>
    public void Log(string message) => _burst.AppendJournalMessage(message);

    internal void FinishWorkflow() => _burst.FinishRequested = true;

    /// <summary>
    /// Completes the flowchart this activity is in: a nested flowchart completes with <paramref name="outcomes"/> (its
    /// other pending work and waits are dropped, the parent follows those ports); the root one finishes the workflow.
    /// </summary>
    internal void CompleteFlowchart(IReadOnlyList<string> outcomes)
    {
        if (_node.Container is null)
        {
            FinishWorkflow();
        }
        else
        {
            _burst.ContainerCompletion = (_node.Container, outcomes.Count == 0 ? ["Done"] : outcomes);
        }
    }

    /// <summary>Whether this activity has an embedded body (Elsa's <c>body</c>: FlowNode, While, ForEach, ParallelForEach).</summary>
    public bool HasBody => _node.HasBody;

    /// <summary>
    /// Runs this activity's body: the activity does not complete now; it runs again (with its activity state kept)
    /// when nothing is left to do in the body, and decides then whether to run the body again or complete.
    /// </summary>
    internal void ScheduleBody()
    {
        if (!_node.HasBody)
        {
            throw new ActivityInputException(_node.Id, "body", "no body activity is set.");
        }

        BodyScheduled = true;
    }

    internal bool BodyScheduled { get; private set; }

    /// <summary>
    /// Leaves the nearest loop this activity is in (While, ForEach or ParallelForEach with a body): what is still
    /// pending or waiting inside it is dropped and the loop completes with Done.
    /// </summary>
    internal void BreakLoop()
    {
        var loop = _burst.Definition.EnclosingLoop(_node.Id)
            ?? throw new ActivityInputException(_node.Id, "type", "Break is not inside a loop's body (While, For Each or Parallel For Each).");
        _burst.ContainerCompletion = (loop.Id, ["Done"]);
    }

    /// <summary>Sets the instance's name (shown in the instance list).</summary>
    internal void SetInstanceName(string? name) => _burst.State.Name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();

    /// <summary>Sets the instance's correlation id (signals and events addressed to it then find this instance).</summary>
    internal void SetCorrelationId(string? correlationId) =>
        _burst.State.CorrelationId = string.IsNullOrWhiteSpace(correlationId) ? null : correlationId.Trim();

    /// <summary>Whether this activity is inside a nested flowchart (not the root one).</summary>
    internal bool InNestedFlowchart => _node.Container is not null;

    internal JsonElement? Payload(JsonNode? node) =>
        node is null ? null : JsonSerializer.Deserialize<JsonElement>(node.ToJsonString());
}
