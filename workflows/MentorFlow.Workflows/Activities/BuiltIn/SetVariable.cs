using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;

namespace MentorFlow.Workflows.Activities.BuiltIn;

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
