using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using Microsoft.Extensions.Logging;

namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Flow", "A milestone activity that marks the start of a flowchart.")]
public sealed class Start : Activity
{
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Complete();
        return ValueTask.CompletedTask;
    }
}

[Activity("Elsa", "Flow", "A milestone activity that marks the end of a flowchart: the workflow finishes, or a nested flowchart completes and its parent goes on.")]
public sealed class End : Activity
{
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.CompleteFlowchart(["Done"]);
        context.Complete();
        return ValueTask.CompletedTask;
    }
}

[Activity("Elsa", "Primitives", "Mark the workflow as finished (remaining waits are cancelled).")]
public sealed class Finish : Activity
{
    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.FinishWorkflow();
        context.Complete();
        return ValueTask.CompletedTask;
    }
}

[Activity("Elsa", "Composition", "Signals the flowchart to complete as a whole with the given outcomes.")]
public sealed class Complete : Activity
{
    [Input(Description = "The outcomes to complete with (kept as the workflow output 'Outcomes').", UIHint = "outcome-picker")]
    public Input<object> Outcomes { get; init; } = new(WorkflowExpression.Literal(null));

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var outcomes = context.Get(Outcomes);
        if (context.InNestedFlowchart)
        {
            // Inside a nested flowchart the outcomes are its ports in the parent flowchart.
            context.CompleteFlowchart(OutcomeNames(outcomes));
        }
        else
        {
            if (outcomes is not null)
            {
                context.SetWorkflowOutput("Outcomes", outcomes);
            }

            context.FinishWorkflow();
        }

        context.Complete();
        return ValueTask.CompletedTask;
    }

    /// <summary>The outcome names in the input: a list (JSON array or enumerable), one name, or none.</summary>
    private static string[] OutcomeNames(object? outcomes) => outcomes switch
    {
        null => [],
        string text when text.TrimStart().StartsWith('[') => JsonNode.Parse(text) is JsonArray array ? [.. array.Select(v => v?.ToString() ?? "")] : [text],
        string text => [text],
        JsonArray array => [.. array.Select(v => v?.ToString() ?? "")],
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } element => [.. element.EnumerateArray().Select(e => e.ToString())],
        System.Text.Json.JsonElement element => [element.ToString()],
        JsonNode node => [node.ToString()],
        System.Collections.IEnumerable items => [.. items.Cast<object?>().Select(i => i?.ToString() ?? "")],
        _ => [outcomes.ToString() ?? ""],
    };
}

/// <summary>Thrown by <see cref="Fault"/>: the workflow author asked for a fault.</summary>
public sealed class WorkflowFaultException(string message) : Exception(message);

[Activity("Elsa", "Primitives", "Faults the workflow.")]
public sealed class Fault : Activity
{
    [Input(Description = "Code to categorize the fault.")]
    public Input<string> Code { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(Description = "Category to categorize the fault. Examples: HTTP, Alteration, Azure, etc.")]
    public Input<string> Category { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(Description = "The type of fault. Examples: System, Business, Integration, etc.")]
    public Input<string> FaultType { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(Description = "The message to include with the fault.")]
    public Input<string> Message { get; init; } = new(WorkflowExpression.Literal(null));

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var code = context.Get(Code);
        var message = context.Get(Message);
        throw new WorkflowFaultException(string.IsNullOrWhiteSpace(code) ? message ?? "Fault" : $"[{code}] {message}");
    }
}

[Activity("Elsa", "Console", "Write a line of text to the console (the log) and the journal.")]
public sealed partial class WriteLine(ILogger<WriteLine> logger) : Activity
{
    [Input(Description = "The text to write.")]
    public Input<string> Text { get; init; } = new(WorkflowExpression.Literal(null));

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var text = context.Get(Text) ?? "";
        LogLine(logger, context.WorkflowInstanceId, context.ActivityId, text);
        context.Log(text);
        context.Complete();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "[{InstanceId}/{ActivityId}] {Text}")]
    private static partial void LogLine(ILogger logger, string instanceId, string activityId, string text);
}

[Activity("Elsa", "Primitives", "Assign a value to a workflow variable.")]
public sealed class SetVariable : Activity
{
    [Input(Description = "The value to assign.")]
    public Input<object> Value { get; init; } = new(WorkflowExpression.Literal(null));

    /// <summary>The variable reference as Elsa writes it: <c>"variable": {"id": "...", "name": "..."}</c> (not wrapped).</summary>
    internal static string? VariableReference(JsonObject activityJson) =>
        DefinitionReader.Get(activityJson, "variable") switch
        {
            JsonObject reference => DefinitionReader.Str(reference, "name") is { Length: > 0 } name ? name : DefinitionReader.Str(reference, "id"),
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            _ => null,
        };

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var reference = VariableReference(context.ActivityJson)
            ?? throw new ActivityInputException(context.ActivityId, "variable", "no variable is selected.");
        var variable = context.Burst.Definition.FindVariable(reference)
            ?? (context.ActivityJson["variable"] is JsonObject o && DefinitionReader.Str(o, "id") is { } id ? context.Burst.Definition.FindVariable(id) : null)
            ?? throw new ActivityInputException(context.ActivityId, "variable", $"variable '{reference}' is not declared.");
        var value = Value.Expression is null ? ValueConversion.ToNode(Value.Literal) : context.Burst.Expressions.Evaluate(Value.Expression, context.Burst.Scope(context), context.ActivityId, "value");
        context.Burst.Expressions.CheckValue(value, context.ActivityId, $"variable {variable.Name}");
        context.Burst.State.Variables[variable.Name] = value;
        context.Complete();
        return ValueTask.CompletedTask;
    }
}
