namespace MentorFlow.Workflows.Runtime;

/// <summary>Thrown when no definition version matches a start request.</summary>
public sealed class WorkflowDefinitionNotFoundException(string message) : Exception(message);
