using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Activities.BuiltIn;

/// <summary>
/// The walk over a list shared by the loops: the list and the position live in the activity state (read in place,
/// not copied, so long loops stay linear); each step publishes the current value and index as outputs and as the
/// <c>CurrentValue</c>/<c>CurrentIndex</c> variables.
/// </summary>
internal static class ItemLoop
{
    /// <summary>Moves to the next item; false (and the state cleared) when the list is done.</summary>
    public static bool Next(ActivityExecutionContext context, Func<JsonNode?> readItems, Output<JsonNode> currentValue, Output<int> currentIndex)
    {
        var state = context.Burst.State.ActivityState(context.ActivityId);
        int index;
        JsonArray items;
        if (state["items"] is JsonArray stored && state["index"] is JsonValue current)
        {
            items = stored;
            index = current.GetValue<int>() + 1;
        }
        else
        {
            items = readItems() switch
            {
                JsonArray array => array,
                null => [],
                var single => [single.DeepClone()],
            };
            state["items"] = items;
            index = 0;
        }

        if (index >= items.Count)
        {
            context.ClearState();
            return false;
        }

        state["index"] = index;
        var value = items[index];
        context.Set(currentValue, value);
        context.Set(currentIndex, index);
        context.SetVariable("CurrentValue", value);
        context.SetVariable("CurrentIndex", index);
        return true;
    }
}
