namespace MentorFlow.Workflows.Definitions;

/// <summary>Filters for <see cref="IWorkflowDefinitionService.ListAsync"/>. Null page or size = unpaged.</summary>
public sealed record DefinitionQuery
{
    public VersionOptions? VersionOptions { get; init; }
    public int? Page { get; init; }
    public int? PageSize { get; init; }
    public string? SearchTerm { get; init; }
    public IReadOnlyList<string>? DefinitionIds { get; init; }
    public IReadOnlyList<string>? Ids { get; init; }
    public bool? IsPublished { get; init; }
    public DefinitionOrderBy OrderBy { get; init; } = DefinitionOrderBy.Name;
    public bool? Descending { get; init; }
}
