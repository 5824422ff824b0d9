namespace MentorFlow.Workflows.Activities.BuiltIn;

/// <summary>Thrown by <see cref="Fault"/>: the workflow author asked for a fault.</summary>
public sealed class WorkflowFaultException(string message) : Exception(message);
