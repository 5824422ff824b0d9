using MentorFlow.Graph.Outbox;
using MentorFlow.Workflows.Activities;
using Microsoft.Extensions.Options;

namespace MentorFlow.Graph.Activities;

/// <summary>Queues an Outlook invite (an event with attendees) from the organizer mailbox.</summary>
[Activity("MentorFlow", "Outlook", "Send an Outlook calendar invite through Microsoft Graph", DisplayName = "Create invite")]
[Outcomes("Queued")]
public sealed class CreateInvite(IOptions<GraphOptions> options) : Activity
{
    [Input(Description = "Attendees: addresses separated by commas or semicolons", Required = true, DefaultSyntax = ExpressionSyntax.Liquid)]
    public Input<string> Attendees { get; init; } = default!;

    [Input(Description = "Subject (Liquid template; one line: line breaks become spaces)", Required = true, DefaultSyntax = ExpressionSyntax.Liquid, Content = InputContent.SingleLine)]
    public Input<string> Subject { get; init; } = default!;

    [Input(Description = "HTML body (Liquid template; inserted values are HTML-encoded, | raw inserts trusted HTML as is)", UIHint = "multiline", DefaultSyntax = ExpressionSyntax.Liquid, Content = InputContent.Html)]
    public Input<string> HtmlBody { get; init; } = new(string.Empty);

    [Input(Description = "Start: local time in the time zone (2026-03-02T09:00) or an instant with offset", Required = true)]
    public Input<string> Start { get; init; } = default!;

    [Input(Description = "Length in minutes", DefaultValue = 30)]
    public Input<int> DurationMinutes { get; init; } = new(30);

    [Input(Description = "IANA time zone, e.g. Europe/London", Required = true)]
    public Input<string> TimeZone { get; init; } = new("Etc/UTC");

    [Input(Description = "Location (optional, one line)", Content = InputContent.SingleLine)]
    public Input<string> Location { get; init; } = new(string.Empty);

    [Input(Description = "Add a Teams meeting", UIHint = "checkbox")]
    public Input<bool> TeamsMeeting { get; init; } = new(false);

    [Input(Description = "Organizer mailbox (default: Graph:OrganizerMailbox)")]
    public Input<string> Mailbox { get; init; } = new(string.Empty);

    [Output(Description = "Key of the invite: give it to Update invite or Cancel invite")]
    public Output<string> InviteKey { get; init; } = new();

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var invite = InviteInputs.Read(context, Attendees, Subject, HtmlBody, Start, DurationMinutes, TimeZone, Location, TeamsMeeting, "start");
        var mailbox = GraphActivity.Mailbox(context.Get(Mailbox), options.Value);
        context.Enlist(GraphActivity.Route(context, GraphOutboxMessages.Invite(context.IdempotencyKey, mailbox, invite, context.Clock.GetUtcNow(), GraphActivity.Source(context))));
        context.Set(InviteKey, context.IdempotencyKey);
        context.Complete("Queued");
        return ValueTask.CompletedTask;
    }
}
