using MentorFlow.Graph.Model;
using MentorFlow.Graph.Outbox;
using MentorFlow.Workflows.Activities;
using Microsoft.Extensions.Options;

namespace MentorFlow.Graph.Activities;

/// <summary>
/// Queues an HTML mail from the organizer mailbox (subject and body are Liquid templates: values inserted into the body
/// are HTML-encoded, the subject is one line). The outbox row is saved
/// in the same transaction as the workflow step; the dispatcher sends it exactly once. Invalid input faults the
/// activity with the field named, before anything is queued.
/// </summary>
[Activity("MentorFlow", "Outlook", "Send an email through Microsoft Graph (Liquid subject and body)", DisplayName = "Send email")]
[Outcomes("Queued")]
public sealed class SendEmail(IOptions<GraphOptions> options) : Activity
{
    [Input(Description = "Recipients: addresses separated by commas or semicolons", Required = true, DefaultSyntax = ExpressionSyntax.Liquid)]
    public Input<string> To { get; init; } = default!;

    [Input(Description = "Copy to (optional)", DefaultSyntax = ExpressionSyntax.Liquid)]
    public Input<string> Cc { get; init; } = new(string.Empty);

    [Input(Description = "Reply-to addresses (optional)", DefaultSyntax = ExpressionSyntax.Liquid)]
    public Input<string> ReplyTo { get; init; } = new(string.Empty);

    [Input(Description = "Subject (Liquid template; one line: line breaks become spaces)", Required = true, DefaultSyntax = ExpressionSyntax.Liquid, Content = InputContent.SingleLine)]
    public Input<string> Subject { get; init; } = default!;

    [Input(Description = "HTML body (Liquid template; inserted values are HTML-encoded, | raw inserts trusted HTML as is)", UIHint = "multiline", Required = true, DefaultSyntax = ExpressionSyntax.Liquid, Content = InputContent.Html)]
    public Input<string> HtmlBody { get; init; } = default!;

    [Input(Description = "Sending mailbox (default: Graph:OrganizerMailbox)")]
    public Input<string> Mailbox { get; init; } = new(string.Empty);

    [Output(Description = "Key of the queued mail (its outbox idempotency key)")]
    public Output<string> MessageKey { get; init; } = new();

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var mailbox = GraphActivity.Mailbox(context.Get(Mailbox), options.Value);
        var mail = new MailRequest(
            GraphActivityInputs.People(context.Get(To)),
            context.Get(Subject) ?? string.Empty,
            context.Get(HtmlBody) ?? string.Empty,
            GraphActivityInputs.People(context.Get(Cc)),
            GraphActivityInputs.People(context.Get(ReplyTo)));
        context.Enlist(GraphActivity.Route(context, GraphOutboxMessages.Mail(context.IdempotencyKey, mailbox, mail, context.Clock.GetUtcNow(), GraphActivity.Source(context))));
        context.Set(MessageKey, context.IdempotencyKey);
        context.Complete("Queued");
        return ValueTask.CompletedTask;
    }
}
