using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;

namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Branching", "Evaluate a Boolean condition to determine which path to execute next.", DisplayName = "Decision")]
[Outcomes("True", "False")]
public sealed class FlowDecision : Activity
{
    [Input(Description = "The condition to evaluate.", UIHint = "singleline", DefaultSyntax = ExpressionSyntax.JavaScript, Required = true)]
    public Input<bool> Condition { get; init; } = new(false);

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Complete(context.Get(Condition) ? "True" : "False");
        return ValueTask.CompletedTask;
    }
}

public enum SwitchMode
{
    MatchFirst,
    MatchAny,
}

[Activity("Elsa", "Branching", "Evaluate a set of case conditions and schedule the activity for a matching case.", DisplayName = "Switch (flow)")]
public sealed class FlowSwitch : Activity, IHasDynamicOutcomes
{
    public const string DefaultOutcome = "Default";

    [Input(Description = "The switch mode determines whether the first match should be scheduled, or all matches.")]
    public Input<SwitchMode> Mode { get; init; } = new(SwitchMode.MatchFirst);

    /// <summary>Cases as Elsa writes them (not wrapped): <c>"cases": [{"label":"A","condition":{"type":"JavaScript","value":"..."}}]</c>.</summary>
    internal static IReadOnlyList<(string Label, WorkflowExpression Condition)> Cases(JsonObject activityJson)
    {
        if (DefinitionReader.Get(activityJson, "cases") is not JsonArray cases)
        {
            return [];
        }

        var result = new List<(string, WorkflowExpression)>();
        foreach (var item in cases.OfType<JsonObject>())
        {
            var label = DefinitionReader.Str(item, "label") ?? "";
            var condition = DefinitionReader.Get(item, "condition") switch
            {
                JsonObject expression => new WorkflowExpression(
                    DefinitionReader.Str(expression, "type") ?? ExpressionSyntax.Literal,
                    DefinitionReader.Get(expression, "value") is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : DefinitionReader.Get(expression, "value")?.ToJsonString()),
                JsonValue value => WorkflowExpression.Literal(value.ToString()),
                _ => WorkflowExpression.Literal("false"),
            };
            result.Add((label, condition));
        }

        return result;
    }

    public static IReadOnlyList<string> GetOutcomes(JsonObject activityJson) =>
        [.. Cases(activityJson).Select(c => c.Label).Distinct(StringComparer.Ordinal), DefaultOutcome];

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var mode = context.Get(Mode);
        var matches = new List<string>();
        foreach (var (label, condition) in Cases(context.ActivityJson))
        {
            var result = context.Burst.Expressions.Evaluate(condition, context.Burst.Scope(context), context.ActivityId, $"cases[{label}]");
            if (ValueConversion.IsTrue(result))
            {
                matches.Add(label);
                if (mode == SwitchMode.MatchFirst)
                {
                    break;
                }
            }
        }

        context.Complete(matches.Count == 0 ? [DefaultOutcome] : [.. matches]);
        return ValueTask.CompletedTask;
    }
}

[Activity("Elsa", "Branching", "Branch execution into multiple branches that will be executed in parallel.", DisplayName = "Fork (flow)")]
public sealed class FlowFork : Activity, IHasDynamicOutcomes
{
    [Input(Description = "A list of expected outcomes to handle.", UIHint = "dynamic-outcomes")]
    public Input<string[]> Branches { get; init; } = new(WorkflowExpression.Literal(null));

    public static IReadOnlyList<string> GetOutcomes(JsonObject activityJson)
    {
        var expression = ActivityBinder.ReadExpression(DefinitionReader.Get(activityJson, "branches"));
        if (expression is null || string.IsNullOrWhiteSpace(expression.Value))
        {
            return ["Done"];
        }

        if (expression.Type is not (ExpressionSyntax.Literal or ExpressionSyntax.Object))
        {
            return ["*"];
        }

        try
        {
            return ValueConversion.To(JsonValue.Create(expression.Value), typeof(string[])) is string[] { Length: > 0 } names ? names : ["Done"];
        }
        catch (Exception exception) when (exception is JsonException or FormatException or NotSupportedException)
        {
            return ["*"];
        }
    }

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var branches = context.Get(Branches);
        context.Complete(branches is { Length: > 0 } ? branches : ["Done"]);
        return ValueTask.CompletedTask;
    }
}

public enum FlowJoinMode
{
    WaitAny,
    WaitAll,
}

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

[Activity("Elsa", "Looping", "Iterate over a set of values: 'Iterate' runs once per item (connect the end of the body back to this activity), then 'Done'.", DisplayName = "For Each")]
[Outcomes("Iterate", "Done")]
public sealed class ForEach : Activity
{
    [Input(Description = "The set of values to iterate.", DefaultSyntax = ExpressionSyntax.Object)]
    public Input<JsonNode> Items { get; init; } = new(WorkflowExpression.Literal(null));

    [Output(Description = "The current value.")]
    public Output<JsonNode> CurrentValue { get; init; } = new();

    [Output(Description = "The current index.")]
    public Output<int> CurrentIndex { get; init; } = new();

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        // The list lives in the activity state (read in place, not copied, so long loops stay linear).
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
            items = context.Get(Items) switch
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
            context.Complete("Done");
            return ValueTask.CompletedTask;
        }

        state["index"] = index;
        var value = items[index];
        context.Set(CurrentValue, value);
        context.Set(CurrentIndex, index);
        context.SetVariable("CurrentValue", value);
        context.SetVariable("CurrentIndex", index);
        context.Complete("Iterate");
        return ValueTask.CompletedTask;
    }
}
