using MentorFlow.Mentoring.Services;
using MentorFlow.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Mentoring.Activities;

/// <summary>
/// Reads the balance of would-be mentors and mentees against the target ratio, from the poll or from the
/// applications; <c>Expired</c> when mentor recruitment has ended.
/// </summary>
[Activity("MentorFlow", "Mentoring", "Count would-be mentors and mentees (poll or applications) against the target ratio", DisplayName = "Check mentor balance")]
[Outcomes("Shortage", "Balanced", "Expired")]
public sealed class CheckPollBalance : Activity
{
    [Input(Description = "Programme id (default: the workflow's correlation id)")]
    public Input<string> ProgrammeId { get; init; } = new(string.Empty);

    [Input(Description = "Count the poll answers or the applications", UIHint = "dropdown", Options = ["Poll", "Applications"])]
    public Input<string> Source { get; init; } = new("Poll");

    [Output(Description = "The poll results (Mentors, Mentees, Both, MentorsMissing, MenteesPerMentor…)")]
    public Output<object> Results { get; init; } = new();

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var programmeId = MentoringActivity.Guid(context.Get(ProgrammeId)) ?? MentoringActivity.Guid(context.CorrelationId)
            ?? throw new InvalidOperationException("ProgrammeId is not a programme id.");
        var programmes = context.Services.GetRequiredService<ProgrammeService>();
        var results = context.Get(Source) == "Applications"
            ? await programmes.ApplicationBalanceAsync(programmeId, context.CancellationToken)
            : await programmes.PollResultsAsync(programmeId, context.CancellationToken);
        context.Set(Results, new Dictionary<string, object?>
        {
            ["Responses"] = results.Responses,
            ["Mentors"] = results.Mentors,
            ["Mentees"] = results.Mentees,
            ["Both"] = results.Both,
            ["MentorsMissing"] = results.MentorsMissing,
            ["Target"] = results.TargetMenteesPerMentor,
            ["MenteesPerMentor"] = double.IsFinite(results.MenteesPerMentor) ? results.MenteesPerMentor : null,
        });
        context.Log($"poll: {results.Mentors} mentors, {results.Mentees} mentees, {results.Both} both; {results.MentorsMissing} mentors missing");
        var programme = await programmes.GetAsync(programmeId, context.CancellationToken);
        var expired = context.Get(Source) == "Applications" && context.Clock.GetUtcNow() >= (programme.RecruitmentEndsAt ?? programme.ApplicationsCloseAt);
        context.Complete(!results.MentorShortage ? "Balanced" : expired ? "Expired" : "Shortage");
    }
}
