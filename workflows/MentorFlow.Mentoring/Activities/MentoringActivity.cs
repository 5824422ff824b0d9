using MentorFlow.Workflows.Activities;

namespace MentorFlow.Mentoring.Activities;

internal static class MentoringActivity
{
    public static Guid? Guid(string? text) =>
        System.Guid.TryParse(text?.Trim(), out var id) ? id : null;

    public static Guid? PairId(ActivityExecutionContext context, string? given) =>
        Guid(given) ?? Guid(context.WorkflowInput["PairId"]?.ToString()) ?? Guid(context.CorrelationId);

    public static Guid? ChoiceId(ActivityExecutionContext context, string? given) =>
        Guid(given) ?? Guid(context.WorkflowInput["ChoiceId"]?.ToString()) ?? Guid(context.CorrelationId);
}
