using MentorFlow.Workflows.Activities;

namespace MentorFlow.Mentoring.Activities;

/// <summary>
/// Loads a pair and its programme into an object for Liquid (<c>{{ Pair.MentorName }}</c>): names, emails, attendees,
/// policy (cadence, dates), the times flows wait for (kick-off deadline, first check-in, mid-point, end) and the
/// programme's resources as HTML.
/// </summary>
[Activity("MentorFlow", "Mentoring", "Load a mentoring pair (people, partnership policy, dates) for the next steps", DisplayName = "Load pair")]
[Outcomes("Done", "NotFound")]
public sealed class LoadPair : Activity
{
    [Input(Description = "Id of the pair (default: the workflow's correlation id)")]
    public Input<string> PairId { get; init; } = new(string.Empty);

    [Output(Description = "The pair: MentorName, MentorEmail, MenteeName, MenteeEmail, Attendees, ProgrammeName, TimeZone, Cadence, StartDate, EndDate, KickOffAt, FirstCheckIn, MidPointAt, EndAt, ResourcesHtml, Status, MentorConfirmed, MenteeConfirmed (the mentee chose this mentor), PolicyVersion")]
    public Output<object> Pair { get; init; } = new();

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var id = MentoringActivity.PairId(context, context.Get(PairId));
        var data = id is null ? null : await PairData.LoadAsync(context.Services, id.Value, context.Clock.GetUtcNow(), context.CancellationToken);
        if (data is null)
        {
            context.Complete("NotFound");
            return;
        }

        context.Set(Pair, data);
        context.Complete("Done");
    }
}
