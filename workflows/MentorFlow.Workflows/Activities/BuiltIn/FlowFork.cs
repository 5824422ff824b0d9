using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;

namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Branching", "Branch execution into multiple branches that will be executed in parallel.", DisplayName = "Fork (flow)")]
public sealed class FlowFork : Activity, IHasDynamicOutcomes
{
    [Input(Description = "A list of expected outcomes to handle.", UIHint = "dynamic-outcomes")]
    public Input<string[]> Branches { get; init; } = new(WorkflowExpression.Literal(null));

    public static IReadOnlyList<string> GetOutcomes(JsonObject activityJson)
    {
        var expression = ActivityBinder.ReadExpression(DefinitionReader.Get(activityJson, "branches"));
        if (expression is null || string.IsNullOrWhiteSpace(expression.Value))
        {
            return ["Done"];
        }

        if (expression.Type is not (ExpressionSyntax.Literal or ExpressionSyntax.Object))
        {
            return ["*"];
        }

        try
        {
            return ValueConversion.To(JsonValue.Create(expression.Value), typeof(string[])) is string[] { Length: > 0 } names ? names : ["Done"];
        }
        catch (Exception exception) when (exception is JsonException or FormatException or NotSupportedException)
        {
            return ["*"];
        }
    }

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var branches = context.Get(Branches);
        context.Complete(branches is { Length: > 0 } ? branches : ["Done"]);
        return ValueTask.CompletedTask;
    }
}
