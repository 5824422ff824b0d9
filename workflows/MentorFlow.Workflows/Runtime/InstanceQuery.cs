namespace MentorFlow.Workflows.Runtime;

/// <summary>Filters for <see cref="IWorkflowRuntime.ListInstancesAsync"/>; page is 0-based.</summary>
public sealed record InstanceQuery
{
    public int Page { get; init; }
    public int PageSize { get; init; } = 50;
    public string? DefinitionId { get; init; }
    public string? DefinitionVersionId { get; init; }
    public string? CorrelationId { get; init; }
    public string? SearchTerm { get; init; }
    public IReadOnlyList<WorkflowStatus>? Statuses { get; init; }
    public IReadOnlyList<WorkflowSubStatus>? SubStatuses { get; init; }
    public bool? HasIncidents { get; init; }

    /// <summary>Newest first unless false.</summary>
    public bool Descending { get; init; } = true;
}
