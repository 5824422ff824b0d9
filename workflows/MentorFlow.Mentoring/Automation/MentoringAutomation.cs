using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;

namespace MentorFlow.Mentoring.Automation;

/// <summary>
/// What the domain tells the lifecycle flows: a programme changed phase, pairs were approved (or mentees were offered
/// their top mentors to choose from), a participant
/// submitted a form (which resumes the flow waiting for it), a pair closed. The workflow implementation starts and
/// signals the default flows (see workflows/definitions/README.md).
/// </summary>
public interface IMentoringAutomation
{
    Task PhaseChangedAsync(Programme programme, CancellationToken cancellationToken);

    Task PairsApprovedAsync(Programme programme, IReadOnlyList<Pair> pairs, CancellationToken cancellationToken);

    /// <summary>An approval offered mentees their top mentor candidates to choose from.</summary>
    Task ChoicesOfferedAsync(Programme programme, IReadOnlyList<MentorChoice> choices, CancellationToken cancellationToken) => Task.CompletedTask;

    Task SubmittedAsync(LinkClaims link, IReadOnlyDictionary<string, object?> payload, CancellationToken cancellationToken);

    Task PairClosedAsync(Pair pair, CancellationToken cancellationToken);
}

/// <summary>Fans domain events out to every registered <see cref="IMentoringAutomation"/> (none in module tests).</summary>
public sealed class MentoringAutomationHub(IEnumerable<IMentoringAutomation> automations)
{
    private readonly IMentoringAutomation[] _automations = automations.ToArray();

    public async Task PhaseChangedAsync(Programme programme, CancellationToken cancellationToken = default)
    {
        foreach (var automation in _automations)
        {
            await automation.PhaseChangedAsync(programme, cancellationToken);
        }
    }

    public async Task PairsApprovedAsync(Programme programme, IReadOnlyList<Pair> pairs, CancellationToken cancellationToken = default)
    {
        foreach (var automation in _automations)
        {
            await automation.PairsApprovedAsync(programme, pairs, cancellationToken);
        }
    }

    public async Task ChoicesOfferedAsync(Programme programme, IReadOnlyList<MentorChoice> choices, CancellationToken cancellationToken = default)
    {
        foreach (var automation in _automations)
        {
            await automation.ChoicesOfferedAsync(programme, choices, cancellationToken);
        }
    }

    public async Task SubmittedAsync(LinkClaims link, IReadOnlyDictionary<string, object?> payload, CancellationToken cancellationToken = default)
    {
        foreach (var automation in _automations)
        {
            await automation.SubmittedAsync(link, payload, cancellationToken);
        }
    }

    public async Task PairClosedAsync(Pair pair, CancellationToken cancellationToken = default)
    {
        foreach (var automation in _automations)
        {
            await automation.PairClosedAsync(pair, cancellationToken);
        }
    }
}
