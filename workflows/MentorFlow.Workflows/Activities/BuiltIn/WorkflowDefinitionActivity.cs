using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Workflows.Activities.BuiltIn;

/// <summary>
/// A published flow used as an activity (Elsa's workflow-definition activity; its type is the flow's name, see
/// <see cref="DefinitionActivities"/>). It runs the version the node pins as a child instance with the node's inputs,
/// waits for it durably (as Execute Workflow does), then sets its outputs from the child's outputs and completes
/// through the outcome the child ended with: the outcomes an <c>Elsa.Complete</c> named, else <c>Done</c>.
/// Not in the registry by class: its descriptors come from the flows (<c>IWorkflowDefinitionActivities</c>).
/// </summary>
public sealed class WorkflowDefinitionActivity : Activity
{
    private const string OutputsState = "outputs";

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var reference = DefinitionActivities.Reference(context.ActivityJson);
        if (reference.DefinitionId.Length == 0)
        {
            throw new ActivityInputException(context.ActivityId, "workflowDefinitionId", "the activity names no workflow definition.");
        }

        var children = context.Services.GetRequiredService<IChildWorkflows>();
        var definition = await children.FindPinnedAsync(context, reference.DefinitionId, reference.VersionId, reference.Version ?? 1);
        var model = (JsonObject)JsonNode.Parse(definition.Json)!;
        var input = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var declared in DefinitionActivities.Declared(model, "inputs"))
        {
            var jsonName = DefinitionActivities.JsonName(declared.Name);
            if (ActivityBinder.ReadExpression(DefinitionReader.Get(context.ActivityJson, jsonName)) is not { } expression)
            {
                continue;
            }

            var value = context.Evaluate<JsonNode>(expression, jsonName);
            input[declared.Name] = Convert(value, DefinitionActivities.ClrTypeOf(declared.TypeName), context.ActivityId, jsonName);
        }

        context.SetState(OutputsState, DefinitionActivities.Declared(model, "outputs").Select(o => o.Name).ToList());
        var child = children.Create(context, definition, input, context.CorrelationId, wait: true);
        context.Log($"started {definition.Name ?? definition.DefinitionId} v{child.Version} as {child.InstanceId}");
    }

    protected override ValueTask ResumeAsync(ActivityExecutionContext context, JsonElement? payload)
    {
        var ended = payload is { ValueKind: JsonValueKind.Object } element ? JsonNode.Parse(element.GetRawText()) as JsonObject : null;
        var subStatus = ended?["subStatus"]?.GetValue<string>();
        if (subStatus is not null and not "Finished")
        {
            throw new ActivityInputException(context.ActivityId, "workflowDefinitionId",
                $"the child workflow instance {ended?["instanceId"]} ended {subStatus}{(ended?["fault"] is { } fault ? $": {fault}" : "")}.");
        }

        var output = ended?["output"] as JsonObject;
        foreach (var name in context.GetState<List<string>>(OutputsState) ?? [])
        {
            var bound = DefinitionReader.Get(context.ActivityJson, DefinitionActivities.JsonName(name)) is JsonObject o
                        && DefinitionReader.Get(o, "memoryReference") is JsonObject memory
                ? DefinitionReader.Str(memory, "id")
                : null;
            context.SetOutput(DefinitionActivities.SafeName(name), bound, output?[name]?.DeepClone());
        }

        var outcomes = Complete.OutcomeNames(output?["Outcomes"]?.DeepClone()).Where(o => !string.IsNullOrWhiteSpace(o)).ToArray();
        context.Complete(outcomes.Length > 0 ? outcomes : ["Done"]);
        return ValueTask.CompletedTask;
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";

    private static object? Convert(JsonNode? value, Type type, string activityId, string input)
    {
        if (type == typeof(JsonNode) || value is null)
        {
            return value;
        }

        try
        {
            return ValueConversion.To(value, type);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidCastException or OverflowException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new ActivityInputException(activityId, input, $"cannot convert '{Shorten(value.ToJsonString())}' to {type.Name}: {exception.Message}", exception);
        }
    }
}
