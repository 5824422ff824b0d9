using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;

namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Branching", "Evaluate a set of case conditions and schedule the activity for a matching case.", DisplayName = "Switch (flow)")]
public sealed class FlowSwitch : Activity, IHasDynamicOutcomes
{
    public const string DefaultOutcome = "Default";

    [Input(Description = "The switch mode determines whether the first match should be scheduled, or all matches.")]
    public Input<SwitchMode> Mode { get; init; } = new(SwitchMode.MatchFirst);

    /// <summary>Cases as Elsa writes them (not wrapped): <c>"cases": [{"label":"A","condition":{"type":"JavaScript","value":"..."}}]</c>.</summary>
    internal static IReadOnlyList<(string Label, WorkflowExpression Condition)> Cases(JsonObject activityJson)
    {
        if (DefinitionReader.Get(activityJson, "cases") is not JsonArray cases)
        {
            return [];
        }

        var result = new List<(string, WorkflowExpression)>();
        foreach (var item in cases.OfType<JsonObject>())
        {
            var label = DefinitionReader.Str(item, "label") ?? "";
            var condition = DefinitionReader.Get(item, "condition") switch
            {
                JsonObject expression => new WorkflowExpression(
                    DefinitionReader.Str(expression, "type") ?? ExpressionSyntax.Literal,
                    DefinitionReader.Get(expression, "value") is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : DefinitionReader.Get(expression, "value")?.ToJsonString()),
                JsonValue value => WorkflowExpression.Literal(value.ToString()),
                _ => WorkflowExpression.Literal("false"),
            };
            result.Add((label, condition));
        }

        return result;
    }

    public static IReadOnlyList<string> GetOutcomes(JsonObject activityJson) =>
        [.. Cases(activityJson).Select(c => c.Label).Distinct(StringComparer.Ordinal), DefaultOutcome];

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var mode = context.Get(Mode);
        var matches = new List<string>();
        foreach (var (label, condition) in Cases(context.ActivityJson))
        {
            var result = context.Burst.Expressions.Evaluate(condition, context.Burst.Scope(context), context.ActivityId, $"cases[{label}]");
            if (ValueConversion.IsTrue(result))
            {
                matches.Add(label);
                if (mode == SwitchMode.MatchFirst)
                {
                    break;
                }
            }
        }

        context.Complete(matches.Count == 0 ? [DefaultOutcome] : [.. matches]);
        return ValueTask.CompletedTask;
    }
}
