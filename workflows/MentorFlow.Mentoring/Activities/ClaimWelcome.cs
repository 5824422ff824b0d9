using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Workflows.Activities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Mentoring.Activities;

/// <summary>
/// Claims the welcome of one member of a pair so that a person in several pairs (a mentor with three mentees) is
/// welcomed once per programme: <c>First</c> for the first flow to claim it (and again for that same instance after a
/// crash, so the mail is never lost), <c>AlreadyWelcomed</c> for every other pair.
/// </summary>
[Activity("MentorFlow", "Mentoring", "Welcome a person once per programme: First for the first pair that claims it, AlreadyWelcomed for the others", DisplayName = "Claim welcome")]
[Outcomes("First", "AlreadyWelcomed")]
public sealed class ClaimWelcome : Activity
{
    [Input(Description = "Whose welcome to claim", UIHint = "dropdown", Required = true, Options = ["Mentor", "Mentee"])]
    public Input<string> Role { get; init; } = new("Mentor");

    [Input(Description = "Id of the pair (default: the workflow's correlation id)")]
    public Input<string> PairId { get; init; } = new(string.Empty);

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (!Enum.TryParse<ParticipantRole>(context.Get(Role), ignoreCase: true, out var role))
        {
            throw new InvalidOperationException($"Role '{context.Get(Role)}' is not Mentor or Mentee.");
        }

        var id = MentoringActivity.PairId(context, context.Get(PairId)) ?? throw new InvalidOperationException("PairId is not a pair id.");
        var database = context.Services.GetRequiredService<IMentoringDb>();
        await using var db = await database.CreateAsync(context.CancellationToken);
        var pair = await db.Set<Pair>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, context.CancellationToken)
            ?? throw new InvalidOperationException($"There is no pair {id}.");
        var personId = role == ParticipantRole.Mentor ? pair.MentorId : pair.MenteeId;
        var claimant = context.WorkflowInstanceId;

        // One conditional UPDATE: the first instance to get here wins, whatever the number of replicas.
        await db.Set<Application>().Where(a => a.Id == personId && a.WelcomedBy == null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.WelcomedBy, claimant), context.CancellationToken);
        var owner = await db.Set<Application>().Where(a => a.Id == personId).Select(a => a.WelcomedBy).FirstOrDefaultAsync(context.CancellationToken);
        context.Complete(owner == claimant ? "First" : "AlreadyWelcomed");
    }
}
