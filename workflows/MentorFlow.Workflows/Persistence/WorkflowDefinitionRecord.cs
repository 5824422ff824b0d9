namespace MentorFlow.Workflows.Persistence;

/// <summary>One version of a definition (<c>wf_definitions</c>).</summary>
public sealed class WorkflowDefinitionRecord
{
    private string _json = "{}";

    public required string Id { get; set; }
    public required string DefinitionId { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public int Version { get; set; }
    public bool IsLatest { get; set; }
    public bool IsPublished { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The Elsa 3 model JSON as saved; setting it also sets <see cref="HasHttpEndpoint"/>.</summary>
    public required string Json
    {
        get => _json;
        set
        {
            _json = value;
            HasHttpEndpoint = value.Contains(Activities.Http.HttpEndpoint.TypeName, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Whether <see cref="Json"/> names the HTTP Endpoint activity type: the versions the flow HTTP router parses for
    /// routes when published (<c>has_http_endpoint</c>, indexed with <c>is_published</c>). Loaded from the column, so
    /// it stays what was stored; the migration adding it set it with the same text test for the rows already there.
    /// </summary>
    public bool HasHttpEndpoint { get; private set; }

    /// <summary>Validation errors at save time, as JSON (empty array when valid).</summary>
    public string ValidationErrors { get; set; } = "[]";
}
