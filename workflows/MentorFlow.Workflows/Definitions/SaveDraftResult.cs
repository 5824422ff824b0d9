namespace MentorFlow.Workflows.Definitions;

/// <summary>Result of saving a draft: the stored draft and its validation errors (a draft is kept even if invalid).</summary>
public sealed record SaveDraftResult(WorkflowDefinitionVersion Definition, IReadOnlyList<ValidationError> Errors, bool Created);
