using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Activities.BuiltIn;

/// <summary>What Execute Workflow and Dispatch Workflow read the same way: the child's input as a name → value map.</summary>
internal static class ChildWorkflowInputs
{
    public static IReadOnlyDictionary<string, object?>? Map(JsonNode? input, string activityId) => input switch
    {
        null => null,
        JsonObject map => map.ToDictionary(p => p.Key, p => (object?)p.Value?.DeepClone(), StringComparer.Ordinal),
        _ => throw new ActivityInputException(activityId, "input", "the input must be an object of names and values (e.g. {\"PairId\": \"…\"})."),
    };
}
