using MentorFlow.Graph.Outbox;
using MentorFlow.Workflows.Activities;
using Microsoft.Extensions.Options;

namespace MentorFlow.Graph.Activities;

/// <summary>Queues the cancellation of an invite or series created earlier; attendees get the message.</summary>
[Activity("MentorFlow", "Outlook", "Cancel an Outlook invite or series sent earlier, with a message to attendees", DisplayName = "Cancel invite")]
[Outcomes("Queued")]
public sealed class CancelInvite(IOptions<GraphOptions> options) : Activity
{
    [Input(Description = "The invite key (output of Create invite or Create recurring series)", Required = true)]
    public Input<string> InviteKey { get; init; } = default!;

    [Input(Description = "Message to the attendees (Liquid template, plain text)", DefaultSyntax = ExpressionSyntax.Liquid, Content = InputContent.PlainText)]
    public Input<string> Comment { get; init; } = new(string.Empty);

    [Input(Description = "Organizer mailbox (default: Graph:OrganizerMailbox)")]
    public Input<string> Mailbox { get; init; } = new(string.Empty);

    [Output(Description = "Key of the queued cancellation")]
    public Output<string> CancelKey { get; init; } = new();

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var mailbox = GraphActivity.Mailbox(context.Get(Mailbox), options.Value);
        var comment = context.Get(Comment);
        context.Enlist(GraphActivity.Route(context, GraphOutboxMessages.Cancel(context.IdempotencyKey, mailbox, context.Get(InviteKey), null,
            string.IsNullOrWhiteSpace(comment) ? null : comment, context.Clock.GetUtcNow(), GraphActivity.Source(context))));
        context.Set(CancelKey, context.IdempotencyKey);
        context.Complete("Queued");
        return ValueTask.CompletedTask;
    }
}
