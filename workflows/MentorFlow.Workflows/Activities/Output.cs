namespace MentorFlow.Workflows.Activities;

/// <summary>
/// A typed activity output. Set it with <see cref="ActivityExecutionContext.Set{T}"/>: the value is kept as the
/// activity's output (reachable from later expressions) and, when the designer bound the output to a variable
/// (<c>memoryReference</c>), written to that variable.
/// </summary>
public sealed class Output<T> : IOutput
{
    public Output()
    {
    }

    public Output(string? memoryReference) => MemoryReference = memoryReference;

    public string? MemoryReference { get; }
    Type IOutput.ValueType => typeof(T);
}
