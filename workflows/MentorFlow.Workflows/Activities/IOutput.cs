namespace MentorFlow.Workflows.Activities;

/// <summary>Non-generic view of an output, used by the engine.</summary>
public interface IOutput
{
    /// <summary>The workflow variable (id or name) the designer bound this output to, if any.</summary>
    string? MemoryReference { get; }
    Type ValueType { get; }
}
