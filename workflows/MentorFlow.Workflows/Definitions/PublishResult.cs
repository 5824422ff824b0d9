namespace MentorFlow.Workflows.Definitions;

/// <summary>Result of publishing. When <see cref="Succeeded"/> is false nothing changed and <see cref="Errors"/> lists every problem.</summary>
public sealed record PublishResult(
    bool Succeeded,
    WorkflowDefinitionVersion? Definition,
    bool AlreadyPublished,
    IReadOnlyList<ValidationError> Errors);
