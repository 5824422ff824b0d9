using MentorFlow.Graph.Model;
using MentorFlow.Graph.Outbox;
using MentorFlow.Workflows.Activities;
using Microsoft.Extensions.Options;

namespace MentorFlow.Graph.Activities;

/// <summary>Queues a change of an invite or series created earlier in the flow (new time, attendees, subject).</summary>
[Activity("MentorFlow", "Outlook", "Change an Outlook invite or series sent earlier (time, attendees, subject)", DisplayName = "Update invite")]
[Outcomes("Queued")]
public sealed class UpdateInvite(IOptions<GraphOptions> options) : Activity
{
    [Input(Description = "The invite key (output of Create invite or Create recurring series)", Required = true)]
    public Input<string> InviteKey { get; init; } = default!;

    [Input(Description = "New start: local time in the time zone (empty: unchanged)")]
    public Input<string> Start { get; init; } = new(string.Empty);

    [Input(Description = "New length in minutes (with a new start)", DefaultValue = 30)]
    public Input<int> DurationMinutes { get; init; } = new(30);

    [Input(Description = "IANA time zone of the new start")]
    public Input<string> TimeZone { get; init; } = new("Etc/UTC");

    [Input(Description = "New attendees (empty: unchanged)", DefaultSyntax = ExpressionSyntax.Liquid)]
    public Input<string> Attendees { get; init; } = new(string.Empty);

    [Input(Description = "New subject (empty: unchanged; one line)", DefaultSyntax = ExpressionSyntax.Liquid, Content = InputContent.SingleLine)]
    public Input<string> Subject { get; init; } = new(string.Empty);

    [Input(Description = "Organizer mailbox (default: Graph:OrganizerMailbox)")]
    public Input<string> Mailbox { get; init; } = new(string.Empty);

    [Output(Description = "Key of the queued change")]
    public Output<string> UpdateKey { get; init; } = new();

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var errors = new Dictionary<string, string[]>();
        var timeZone = context.Get(TimeZone);
        var start = GraphActivityInputs.WallClock(context.Get(Start), timeZone, "start", errors);
        var attendees = GraphActivityInputs.People(context.Get(Attendees));
        var subject = context.Get(Subject);
        GraphActivityInputs.ThrowIfInvalid(errors);
        var update = new InviteUpdate(
            start,
            start?.AddMinutes(Math.Max(1, context.Get(DurationMinutes))),
            start is null ? null : timeZone,
            attendees.Count == 0 ? null : attendees,
            string.IsNullOrWhiteSpace(subject) ? null : subject);
        var mailbox = GraphActivity.Mailbox(context.Get(Mailbox), options.Value);
        context.Enlist(GraphActivity.Route(context, GraphOutboxMessages.Update(context.IdempotencyKey, mailbox, context.Get(InviteKey), null, update,
            context.Clock.GetUtcNow(), GraphActivity.Source(context))));
        context.Set(UpdateKey, context.IdempotencyKey);
        context.Complete("Queued");
        return ValueTask.CompletedTask;
    }
}
