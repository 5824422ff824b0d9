namespace MentorFlow.Workflows.Activities;

/// <summary>An expression as stored in a definition: <c>{"type":"Liquid","value":"Hello {{ Name }}"}</c>.</summary>
public sealed record WorkflowExpression(string Type, string? Value)
{
    public static WorkflowExpression Literal(string? value) => new(ExpressionSyntax.Literal, value);
    public static WorkflowExpression Liquid(string template) => new(ExpressionSyntax.Liquid, template);
    public static WorkflowExpression JavaScript(string script) => new(ExpressionSyntax.JavaScript, script);
    public static WorkflowExpression Variable(string name) => new(ExpressionSyntax.Variable, name);
    public static WorkflowExpression Object(string json) => new(ExpressionSyntax.Object, json);
}
