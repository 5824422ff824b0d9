using System.Text.Json;
using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Activities.BuiltIn;

/// <summary>A parent's activity resumed by its child's end: the child's output is the result; a cancelled child is an incident.</summary>
internal static class ChildCompletion
{
    public static ValueTask Resume(ActivityExecutionContext context, JsonElement? payload, Output<JsonNode> result)
    {
        var ended = payload is { ValueKind: JsonValueKind.Object } element ? JsonNode.Parse(element.GetRawText()) as JsonObject : null;
        var subStatus = ended?["subStatus"]?.GetValue<string>();
        if (subStatus is not null and not "Finished")
        {
            throw new ActivityInputException(context.ActivityId, "workflowDefinitionId",
                $"the child workflow instance {ended?["instanceId"]} ended {subStatus}{(ended?["fault"] is { } fault ? $": {fault}" : "")}.");
        }

        context.Set(result, ended?["output"]?.DeepClone());
        context.Complete();
        return ValueTask.CompletedTask;
    }
}
