using MentorFlow.Mentoring.Automation;
using MentorFlow.Mentoring.Services;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Mentoring.Activities;

/// <summary>
/// When a mentee did not choose a mentor in time, proposes the best-scoring candidate who still has room: the pair is
/// approved and its introductions start (both sides confirm, as without the choice). <c>AlreadyChosen</c> when the
/// mentee chose; <c>NoneAvailable</c> when no candidate has room (the mentee returns to the pool).
/// </summary>
[Activity("MentorFlow", "Mentoring", "A mentee who did not choose in time gets their best-scoring candidate with room (its introductions start)", DisplayName = "Fall back to best mentor")]
[Outcomes("Assigned", "AlreadyChosen", "NoneAvailable")]
public sealed class FallBackToBestMentor : Activity
{
    [Input(Description = "Id of the choice (default: the workflow's input ChoiceId or correlation id)")]
    public Input<string> ChoiceId { get; init; } = new(string.Empty);

    [Output(Description = "Id of the proposed pair (Assigned)")]
    public Output<string> PairId { get; init; } = new();

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var id = MentoringActivity.ChoiceId(context, context.Get(ChoiceId)) ?? throw new InvalidOperationException("ChoiceId is not a choice id.");
        var result = await context.Services.GetRequiredService<MentorChoiceService>()
            .FallBackAsync(id, $"flow:{context.WorkflowInstanceId}", context.CancellationToken);
        if (result is { Outcome: ChoiceFallbackOutcome.Assigned, Pair: { } pair })
        {
            // Idempotent when this step runs again after a crash: the pair's introductions start once.
            var runtime = context.Services.GetRequiredService<IWorkflowRuntime>();
            var running = await runtime.ListInstancesAsync(
                new InstanceQuery { DefinitionId = DefaultFlows.Introductions, CorrelationId = pair.Id.ToString(), PageSize = 1 }, context.CancellationToken);
            if (running.TotalCount == 0)
            {
                var programme = await context.Services.GetRequiredService<ProgrammeService>().GetAsync(pair.ProgrammeId, context.CancellationToken);
                await context.Services.GetRequiredService<MentoringAutomationHub>().PairsApprovedAsync(programme, [pair], context.CancellationToken);
            }

            context.Set(PairId, pair.Id.ToString());
        }

        context.Complete(result.Outcome switch
        {
            ChoiceFallbackOutcome.Assigned => "Assigned",
            ChoiceFallbackOutcome.NoneAvailable => "NoneAvailable",
            _ => "AlreadyChosen",
        });
    }
}
