using MentorFlow.Graph.Model;
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

/// <summary>Queues a recurring series of check-ins (weekly, every two weeks or monthly) ending on the pair's end date.</summary>
[Activity("MentorFlow", "Outlook", "Send a recurring Outlook meeting series through Microsoft Graph", DisplayName = "Create recurring series")]
[Outcomes("Queued")]
public sealed class CreateRecurringSeries(IOptions<GraphOptions> options) : Activity
{
    [Input(Description = "Attendees: addresses separated by commas or semicolons", Required = true, DefaultSyntax = ExpressionSyntax.Liquid)]
    public Input<string> Attendees { get; init; } = default!;

    [Input(Description = "Subject (Liquid template; one line: line breaks become spaces)", Required = true, DefaultSyntax = ExpressionSyntax.Liquid, Content = InputContent.SingleLine)]
    public Input<string> Subject { get; init; } = default!;

    [Input(Description = "HTML body (Liquid template; inserted values are HTML-encoded, | raw inserts trusted HTML as is)", UIHint = "multiline", DefaultSyntax = ExpressionSyntax.Liquid, Content = InputContent.Html)]
    public Input<string> HtmlBody { get; init; } = new(string.Empty);

    [Input(Description = "First meeting: local time in the time zone (2026-03-02T09:00)", Required = true)]
    public Input<string> FirstMeeting { get; init; } = default!;

    [Input(Description = "Length in minutes", DefaultValue = 30)]
    public Input<int> DurationMinutes { get; init; } = new(30);

    [Input(Description = "IANA time zone, e.g. Europe/London", Required = true)]
    public Input<string> TimeZone { get; init; } = new("Etc/UTC");

    [Input(Description = "How often", Options = ["Weekly", "EveryTwoWeeks", "Monthly"])]
    public Input<string> Cadence { get; init; } = new("EveryTwoWeeks");

    [Input(Description = "Last possible meeting date (the pair's end date), e.g. 2026-08-31", Required = true)]
    public Input<string> EndDate { get; init; } = default!;

    [Input(Description = "The programme's end date: the series may not run past it (optional)")]
    public Input<string> ProgrammeEnd { get; init; } = new(string.Empty);

    [Input(Description = "Location (optional, one line)", Content = InputContent.SingleLine)]
    public Input<string> Location { get; init; } = new(string.Empty);

    [Input(Description = "Add a Teams meeting", UIHint = "checkbox")]
    public Input<bool> TeamsMeeting { get; init; } = new(true);

    [Input(Description = "Organizer mailbox (default: Graph:OrganizerMailbox)")]
    public Input<string> Mailbox { get; init; } = new(string.Empty);

    [Output(Description = "Key of the series: give it to Update invite or Cancel invite")]
    public Output<string> SeriesKey { get; init; } = new();

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var errors = new Dictionary<string, string[]>();
        var first = InviteInputs.Read(context, Attendees, Subject, HtmlBody, FirstMeeting, DurationMinutes, TimeZone, Location, TeamsMeeting, "firstMeeting", errors);
        var endDate = GraphActivityInputs.Date(context.Get(EndDate), "endDate", errors);
        var programmeEnd = GraphActivityInputs.Date(context.Get(ProgrammeEnd), "programmeEnd", errors);
        if (!Enum.TryParse<RecurrenceCadence>(context.Get(Cadence), ignoreCase: true, out var cadence) || !Enum.IsDefined(cadence))
        {
            errors["cadence"] = [$"'{context.Get(Cadence)}' is not a cadence; use Weekly, EveryTwoWeeks or Monthly."];
        }

        if (endDate is null && !errors.ContainsKey("endDate"))
        {
            errors["endDate"] = ["The end date is required."];
        }

        GraphActivityInputs.ThrowIfInvalid(errors);
        var mailbox = GraphActivity.Mailbox(context.Get(Mailbox), options.Value);
        var series = new SeriesRequest(first, cadence, endDate!.Value, programmeEnd);
        context.Enlist(GraphActivity.Route(context, GraphOutboxMessages.Series(context.IdempotencyKey, mailbox, series, context.Clock.GetUtcNow(), GraphActivity.Source(context))));
        context.Set(SeriesKey, context.IdempotencyKey);
        context.Complete("Queued");
        return ValueTask.CompletedTask;
    }
}

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

internal static class InviteInputs
{
    public static InviteRequest Read(
        ActivityExecutionContext context,
        Input<string> attendees,
        Input<string> subject,
        Input<string> htmlBody,
        Input<string> start,
        Input<int> durationMinutes,
        Input<string> timeZone,
        Input<string> location,
        Input<bool> teams,
        string startField,
        Dictionary<string, string[]>? errors = null)
    {
        var ownErrors = errors ?? [];
        var zone = context.Get(timeZone) ?? string.Empty;
        var startAt = GraphActivityInputs.WallClock(context.Get(start), zone, startField, ownErrors);
        if (startAt is null && !ownErrors.ContainsKey(startField))
        {
            ownErrors[startField] = ["The start is required."];
        }

        var minutes = context.Get(durationMinutes);
        if (minutes is < 1 or > 24 * 60)
        {
            ownErrors["durationMinutes"] = [$"{minutes} minutes is not a meeting length (1 to 1440)."];
        }

        if (errors is null)
        {
            GraphActivityInputs.ThrowIfInvalid(ownErrors);
        }

        var first = startAt ?? default;
        var location1 = context.Get(location);
        return new InviteRequest(
            context.Get(subject) ?? string.Empty,
            context.Get(htmlBody) ?? string.Empty,
            first,
            first.AddMinutes(Math.Clamp(minutes, 1, 24 * 60)),
            zone,
            GraphActivityInputs.People(context.Get(attendees)),
            string.IsNullOrWhiteSpace(location1) ? null : location1,
            context.Get(teams));
    }
}
