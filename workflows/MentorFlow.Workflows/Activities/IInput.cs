namespace MentorFlow.Workflows.Activities;

/// <summary>Non-generic view of an input, used by the engine.</summary>
public interface IInput
{
    WorkflowExpression? Expression { get; }
    bool HasLiteral { get; }
    object? LiteralValue { get; }
    Type ValueType { get; }
}
