using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Activities.BuiltIn;

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
    internal static string[] OutcomeNames(object? outcomes) => outcomes switch
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
