namespace MentorFlow.Workflows.Persistence;

/// <summary>One version of a definition (<c>wf_definitions</c>).</summary>
public sealed class WorkflowDefinitionRecord
{
    public required string Id { get; set; }
    public required string DefinitionId { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public int Version { get; set; }
    public bool IsLatest { get; set; }
    public bool IsPublished { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The Elsa 3 model JSON as saved.</summary>
    public required string Json { get; set; }

    /// <summary>Validation errors at save time, as JSON (empty array when valid).</summary>
    public string ValidationErrors { get; set; } = "[]";
}
