namespace MentorFlow.Workflows.Definitions;

/// <summary>Thrown for definition JSON that cannot be read at all (not JSON, no root, an unconvertible old shape).</summary>
public sealed class WorkflowDefinitionFormatException(string message) : Exception(message);
