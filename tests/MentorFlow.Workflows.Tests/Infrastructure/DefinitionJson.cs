using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Tests.Infrastructure;

/// <summary>Definition JSON as a round trip compares it: without what the store assigns (ids, version, flags, dates).</summary>
public static class DefinitionJson
{
    private static readonly string[] Bookkeeping = ["id", "definitionId", "version", "isLatest", "isPublished", "createdAt"];

    public static JsonNode WithoutBookkeeping(string json)
    {
        var model = JsonNode.Parse(json.TrimStart('\uFEFF'))!.AsObject();
        foreach (var key in Bookkeeping)
        {
            model.Remove(key);
        }

        return model;
    }
}
