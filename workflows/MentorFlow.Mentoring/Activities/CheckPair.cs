using System.Globalization;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Workflows.Activities;

namespace MentorFlow.Mentoring.Activities;

/// <summary>Where a pair stands now: active with its policy unchanged, policy changed, closed, or past its end date.</summary>
[Activity("MentorFlow", "Mentoring", "Check a pair's state: still active, policy changed since a version, closed, or ended", DisplayName = "Check pair")]
[Outcomes("Active", "PolicyChanged", "Closed", "Ended")]
public sealed class CheckPair : Activity
{
    [Input(Description = "Id of the pair (default: the workflow's correlation id)")]
    public Input<string> PairId { get; init; } = new(string.Empty);

    [Input(Description = "The policy version the flow scheduled for (PolicyChanged when the pair's is newer)")]
    public Input<int> PolicyVersion { get; init; } = new(0);

    [Output(Description = "The pair, as Load pair gives it")]
    public Output<object> Pair { get; init; } = new();

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var id = MentoringActivity.PairId(context, context.Get(PairId)) ?? throw new InvalidOperationException("PairId is not a pair id.");
        var now = context.Clock.GetUtcNow();
        var data = await PairData.LoadAsync(context.Services, id, now, context.CancellationToken) ?? throw new InvalidOperationException($"There is no pair {id}.");
        context.Set(Pair, data);
        var status = (string)data["Status"]!;
        var outcome = status is nameof(PairStatus.ClosedEarly) or nameof(PairStatus.Completed) or nameof(PairStatus.Declined) ? "Closed"
            : (int)data["PolicyVersion"]! > context.Get(PolicyVersion) && context.Get(PolicyVersion) > 0 ? "PolicyChanged"
            : DateTimeOffset.Parse((string)data["EndAt"]!, CultureInfo.InvariantCulture) <= now ? "Ended"
            : "Active";
        context.Complete(outcome);
    }
}
