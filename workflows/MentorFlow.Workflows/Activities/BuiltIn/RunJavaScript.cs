using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Scripting", "Executes JavaScript code.", DisplayName = "Run JavaScript")]
public sealed class RunJavaScript : Activity
{
    [Input(Description = "The script to run (it may return a value; the flow's variables and Elsa's functions are in scope).", UIHint = "code-editor", DefaultSyntax = ExpressionSyntax.Literal)]
    public Input<string> Script { get; init; } = new(string.Empty);

    [Output(Description = "The value the script returned.")]
    public Output<JsonNode> Result { get; init; } = new();

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        // The script text is the input's value (Elsa stores it as a literal); it runs within the expression limits.
        // (or, written as a JavaScript expression, the expression itself).
        JsonNode? result;
        if (Script.Expression is { Type: ExpressionSyntax.JavaScript } expression)
        {
            result = context.Evaluate<JsonNode>(expression, "script");
        }
        else
        {
            var script = context.Get(Script);
            result = string.IsNullOrWhiteSpace(script) ? null : context.Evaluate<JsonNode>(WorkflowExpression.JavaScript(script), "script");
        }

        context.Set(Result, result);
        context.Complete();
        return ValueTask.CompletedTask;
    }
}
