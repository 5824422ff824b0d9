namespace MentorFlow.Workflows.Activities;

/// <summary>
/// A typed activity input: a literal (<c>new Input&lt;string&gt;("Hello")</c>) or an expression evaluated when the
/// activity runs (<c>new Input&lt;string&gt;(WorkflowExpression.Liquid("Hi {{ Name }}"))</c>). Read it with
/// <see cref="ActivityExecutionContext.EvaluateAsync{T}"/> or <see cref="ActivityExecutionContext.Get{T}"/>.
/// </summary>
public sealed class Input<T> : IInput
{
    public Input(T literal)
    {
        Literal = literal;
        HasLiteral = true;
    }

    public Input(WorkflowExpression expression) => Expression = expression;

    public T? Literal { get; }
    public bool HasLiteral { get; }
    public WorkflowExpression? Expression { get; }
    object? IInput.LiteralValue => Literal;
    Type IInput.ValueType => typeof(T);

    public static implicit operator Input<T>(T literal) => new(literal);
}
