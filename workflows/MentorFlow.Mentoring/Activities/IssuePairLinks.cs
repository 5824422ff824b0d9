using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Mentoring.Services;
using MentorFlow.Workflows.Activities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Mentoring.Activities;

/// <summary>Issues one signed form link for each side of a pair (confirm, policy, goal, surveys, testimonial…).</summary>
[Activity("MentorFlow", "Mentoring", "Issue signed, expiring form links for both members of a pair", DisplayName = "Issue pair links")]
public sealed class IssuePairLinks : Activity
{
    [Input(Description = "What the links are for", UIHint = "dropdown", Required = true,
        Options = ["ConfirmMatch", "Policy", "Goal", "GoalMet", "KickOffScheduled", "CheckInSurvey", "MidPointSurvey", "ClosingSurvey", "Testimonial"])]
    public Input<string> Purpose { get; init; } = new("ConfirmMatch");

    [Input(Description = "Id of the pair (default: the workflow's correlation id)")]
    public Input<string> PairId { get; init; } = new(string.Empty);

    [Input(Description = "Check-in round (check-in surveys only; 0: one more each time this step runs)")]
    public Input<int> Round { get; init; } = new(0);

    [Input(Description = "Days the links stay valid (0: the configured default)")]
    public Input<int> LifetimeDays { get; init; } = new(0);

    [Output(Description = "Link for the mentor")]
    public Output<string> MentorUrl { get; init; } = new();

    [Output(Description = "Link for the mentee")]
    public Output<string> MenteeUrl { get; init; } = new();

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (!Enum.TryParse<LinkPurpose>(context.Get(Purpose), out var purpose) || purpose is LinkPurpose.Poll or LinkPurpose.Apply)
        {
            throw new InvalidOperationException($"Purpose '{context.Get(Purpose)}' is not a pair link purpose.");
        }

        var id = MentoringActivity.PairId(context, context.Get(PairId)) ?? throw new InvalidOperationException("PairId is not a pair id.");
        var database = context.Services.GetRequiredService<IMentoringDb>();
        await using var db = await database.CreateAsync(context.CancellationToken);
        var pair = await db.Set<Pair>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, context.CancellationToken)
            ?? throw new InvalidOperationException($"There is no pair {id}.");
        var links = context.Services.GetRequiredService<ParticipantLinks>();
        var round = context.Get(Round);
        var days = context.Get(LifetimeDays);
        TimeSpan? lifetime = days > 0 ? TimeSpan.FromDays(days) : null;
        if (purpose == LinkPurpose.CheckInSurvey && round <= 0)
        {
            round = context.Iteration + 1;
        }

        var subject = PartnershipService.PairRef(pair.Id, purpose == LinkPurpose.CheckInSurvey ? round : null);
        context.Set(MentorUrl, links.Url(links.Issue(purpose, pair.ProgrammeId, PartnershipService.ParticipantRef(pair.MentorId), subject, lifetime)));
        context.Set(MenteeUrl, links.Url(links.Issue(purpose, pair.ProgrammeId, PartnershipService.ParticipantRef(pair.MenteeId), subject, lifetime)));
        context.Complete("Done");
    }
}
