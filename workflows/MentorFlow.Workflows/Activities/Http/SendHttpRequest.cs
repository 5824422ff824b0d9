namespace MentorFlow.Workflows.Activities.Http;

[Activity("Elsa", "HTTP", "Send an HTTP request to an allowed host.", DisplayName = "HTTP Request")]
public sealed class SendHttpRequest : HttpRequestActivity
{
    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        await SendAsync(context, failureOutcomes: false);
        context.Complete();
    }
}
