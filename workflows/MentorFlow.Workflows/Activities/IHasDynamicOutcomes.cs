using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Activities;

/// <summary>
/// For activities whose outcome ports come from their inputs (e.g. a fork's branch names, a switch's case labels):
/// the validator and the designer descriptor call <see cref="GetOutcomes"/> with the node's definition JSON.
/// </summary>
public interface IHasDynamicOutcomes
{
    static abstract IReadOnlyList<string> GetOutcomes(JsonObject activityJson);
}
