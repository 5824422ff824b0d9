namespace MentorFlow.Workflows.Definitions;

/// <summary>A page of results (pages are 0-based like Elsa's API).</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, long TotalCount);
