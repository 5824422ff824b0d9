using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;

namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Branching", "Explicitly merge multiple branches into a single branch of execution.", DisplayName = "Join")]
public sealed class FlowJoin : Activity
{
    internal const string TypeName = "Elsa.FlowJoin";

    [Input(Description = "WaitAny continues when the first inbound path arrives; WaitAll once every inbound path has arrived.")]
    public Input<FlowJoinMode> Mode { get; init; } = new(FlowJoinMode.WaitAny);

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Complete();
        return ValueTask.CompletedTask;
    }

    /// <summary>Records an arrival; true when the join should run now.</summary>
    internal static bool Arrive(BurstContext burst, ActivityNode node, WorkItem item)
    {
        var modeExpression = ActivityBinder.ReadExpression(DefinitionReader.Get(node.Json, "mode"));
        var mode = modeExpression?.Value is { } text && Enum.TryParse<FlowJoinMode>(text, true, out var parsed) ? parsed : FlowJoinMode.WaitAny;
        var inbound = burst.Definition.Inbound[node.Id].Select(c => c.Source).Distinct(StringComparer.Ordinal).ToList();
        var state = burst.State.ActivityState(node.Id);
        var arrived = state["arrived"] as JsonArray ?? [];
        if (item.SourceActivityId is { } source && !arrived.Any(a => a?.GetValue<string>() == source))
        {
            arrived.Add(source);
        }

        var all = inbound.All(i => arrived.Any(a => a?.GetValue<string>() == i));
        if (mode == FlowJoinMode.WaitAll)
        {
            if (all)
            {
                burst.State.ActivityStates.Remove(node.Id);
                return true;
            }

            state["arrived"] = arrived;
            return false;
        }

        var fired = state["fired"]?.GetValue<bool>() ?? false;
        if (all)
        {
            burst.State.ActivityStates.Remove(node.Id);
        }
        else
        {
            state["arrived"] = arrived;
            state["fired"] = true;
        }

        return !fired;
    }
}
