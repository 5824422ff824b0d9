using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Composition", "Start a workflow; optionally wait for it to end.", DisplayName = "Dispatch Workflow")]
public sealed class DispatchWorkflow : Activity
{
    [Input(DisplayName = "Workflow Definition", Description = "The definition id of the workflow to start (its published version runs).", UIHint = "singleline", Required = true)]
    public Input<string> WorkflowDefinitionId { get; init; } = new(string.Empty);

    [Input(DisplayName = "Correlation ID", Description = "The correlation id of the child instance.", UIHint = "singleline")]
    public Input<string> CorrelationId { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(Description = "The input of the child workflow (names and values).", DefaultSyntax = ExpressionSyntax.Object)]
    public Input<JsonNode> Input { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(DisplayName = "Wait For Completion", Description = "Wait for the child workflow to end before going on.", UIHint = "checkbox")]
    public Input<bool> WaitForCompletion { get; init; } = new(false);

    [Output(DisplayName = "Child Instance ID", Description = "The id of the child instance.")]
    public Output<string> ChildInstanceId { get; init; } = new();

    [Output(Description = "The output of the child workflow (when waiting for it).")]
    public Output<JsonNode> Result { get; init; } = new();

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var wait = context.Get(WaitForCompletion);
        var child = await context.Services.GetRequiredService<IChildWorkflows>().CreateAsync(
            context, context.Get(WorkflowDefinitionId) ?? "", ChildWorkflowInputs.Map(context.Get(Input), context.ActivityId), context.Get(CorrelationId), wait);
        context.Set(ChildInstanceId, child.InstanceId);
        context.Log($"dispatched {child.DefinitionId} v{child.Version} as {child.InstanceId}");
        if (!wait)
        {
            context.Complete();
        }
    }

    protected override ValueTask ResumeAsync(ActivityExecutionContext context, JsonElement? payload) =>
        ChildCompletion.Resume(context, payload, Result);
}
