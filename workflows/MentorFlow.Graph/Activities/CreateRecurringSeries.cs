using MentorFlow.Graph.Model;
using MentorFlow.Graph.Outbox;
using MentorFlow.Workflows.Activities;
using Microsoft.Extensions.Options;

namespace MentorFlow.Graph.Activities;

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
