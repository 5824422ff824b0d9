using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Mentoring.Services;
using MentorFlow.Workflows.Activities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Mentoring.Activities;

/// <summary>Marks a pair that was not confirmed in time as declined, returning both people to the pool.</summary>
[Activity("MentorFlow", "Mentoring", "Return an unconfirmed match to the pool (both people can be matched again)", DisplayName = "Expire match")]
public sealed class ExpireMatch : Activity
{
    [Input(Description = "Id of the pair (default: the workflow's correlation id)")]
    public Input<string> PairId { get; init; } = new(string.Empty);

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var id = MentoringActivity.PairId(context, context.Get(PairId)) ?? throw new InvalidOperationException("PairId is not a pair id.");
        var database = context.Services.GetRequiredService<IMentoringDb>();
        await using var db = await database.CreateAsync(context.CancellationToken);
        var pair = await db.Set<Pair>().FirstOrDefaultAsync(p => p.Id == id, context.CancellationToken);
        if (pair is { Status: PairStatus.Approved })
        {
            pair.Status = PairStatus.Declined;
            db.Add(new AuditEntry { ProgrammeId = pair.ProgrammeId, At = context.Clock.GetUtcNow(), Actor = $"flow:{context.WorkflowInstanceId}", Action = "match.expired", Subject = PartnershipService.PairRef(pair.Id) });
            await db.SaveChangesAsync(context.CancellationToken);
        }

        context.Complete("Done");
    }
}
