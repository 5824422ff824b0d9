using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Mentoring.Services;
using MentorFlow.Workflows.Activities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Mentoring.Activities;

/// <summary>Closes a pair (completed at or after its end date, closed early before).</summary>
[Activity("MentorFlow", "Mentoring", "Close a pair: completed when its end date is reached, closed early otherwise", DisplayName = "Close pair")]
public sealed class ClosePair : Activity
{
    [Input(Description = "Id of the pair (default: the workflow's correlation id)")]
    public Input<string> PairId { get; init; } = new(string.Empty);

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var id = MentoringActivity.PairId(context, context.Get(PairId)) ?? throw new InvalidOperationException("PairId is not a pair id.");
        var database = context.Services.GetRequiredService<IMentoringDb>();
        await using (var db = await database.CreateAsync(context.CancellationToken))
        {
            var status = await db.Set<Pair>().Where(p => p.Id == id).Select(p => p.Status).FirstOrDefaultAsync(context.CancellationToken);
            if (status != PairStatus.Active)
            {
                context.Complete("Done");
                return;
            }
        }

        await context.Services.GetRequiredService<PartnershipService>().CloseAsync(id, $"flow:{context.WorkflowInstanceId}", context.CancellationToken);
        context.Complete("Done");
    }
}
