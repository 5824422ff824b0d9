namespace MentorFlow.Workflows.Activities.BuiltIn;

[Activity("Elsa", "Primitives", "Faults the workflow.")]
public sealed class Fault : Activity
{
    [Input(Description = "Code to categorize the fault.")]
    public Input<string> Code { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(Description = "Category to categorize the fault. Examples: HTTP, Alteration, Azure, etc.")]
    public Input<string> Category { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(Description = "The type of fault. Examples: System, Business, Integration, etc.")]
    public Input<string> FaultType { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(Description = "The message to include with the fault.")]
    public Input<string> Message { get; init; } = new(WorkflowExpression.Literal(null));

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var code = context.Get(Code);
        var message = context.Get(Message);
        throw new WorkflowFaultException(string.IsNullOrWhiteSpace(code) ? message ?? "Fault" : $"[{code}] {message}");
    }
}
