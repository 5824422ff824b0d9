namespace MentorFlow.Workflows.Activities;

/// <summary>Expression syntaxes the engine evaluates.</summary>
public static class ExpressionSyntax
{
    public const string Literal = "Literal";
    public const string Variable = "Variable";
    public const string Object = "Object";
    public const string Liquid = "Liquid";
    public const string JavaScript = "JavaScript";

    public static IReadOnlyList<string> All { get; } = [Literal, Variable, Object, Liquid, JavaScript];
}
