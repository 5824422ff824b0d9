using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using Microsoft.EntityFrameworkCore;

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

    /// <summary>
    /// A participant's form is being recorded: called inside its unit of work, before it is saved, to add to
    /// <paramref name="db"/> what the flows must receive (starts and signals), so the answer, the spent link and the
    /// flows' work commit together or not at all. Returns what to run once it has committed. Throws a 503
    /// <see cref="MentoringProblemException"/> (field <c>flow</c>), with nothing added, when a flow to start has no
    /// published version.
    /// </summary>
    Task<AfterCommit> SubmittingAsync(DbContext db, LinkClaims link, IReadOnlyDictionary<string, object?> payload, CancellationToken cancellationToken);

    Task PairClosedAsync(Pair pair, CancellationToken cancellationToken);

    /// <summary>
    /// A programme is moving to <see cref="Programme.Phase"/>: called inside the phase change's unit of work, before it
    /// is saved, to add the flows the new phase starts to <paramref name="db"/>, so the phase and its flows commit
    /// together (a crash after the commit leaves the flows to recovery, never a phase without them). Throws a 503
    /// <see cref="MentoringProblemException"/> (field <c>flow</c>), with nothing added, when a flow has no published version.
    /// </summary>
    Task<AfterCommit> PhaseChangingAsync(DbContext db, Programme programme, CancellationToken cancellationToken) => Task.FromResult(AfterCommit.Nothing);

    /// <summary>Matches are being approved: like <see cref="PhaseChangingAsync"/>, the pairs' (or choices') flows are added to the approval's unit of work.</summary>
    Task<AfterCommit> ApprovingAsync(DbContext db, Programme programme, IReadOnlyList<Pair> pairs, IReadOnlyList<MentorChoice> choices, CancellationToken cancellationToken) =>
        Task.FromResult(AfterCommit.Nothing);
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

    /// <summary>Enlists every automation's work for a participant's form in its unit of work (see <see cref="IMentoringAutomation.SubmittingAsync"/>).</summary>
    public async Task<AfterCommit> SubmittingAsync(DbContext db, LinkClaims link, IReadOnlyDictionary<string, object?> payload, CancellationToken cancellationToken = default)
    {
        var after = AfterCommit.Nothing;
        foreach (var automation in _automations)
        {
            after = after.Then(await automation.SubmittingAsync(db, link, payload, cancellationToken));
        }

        return after;
    }

    /// <summary>Enlists every automation's flows for a phase change in its unit of work (see <see cref="IMentoringAutomation.PhaseChangingAsync"/>).</summary>
    public async Task<AfterCommit> PhaseChangingAsync(DbContext db, Programme programme, CancellationToken cancellationToken = default)
    {
        var after = AfterCommit.Nothing;
        foreach (var automation in _automations)
        {
            after = after.Then(await automation.PhaseChangingAsync(db, programme, cancellationToken));
        }

        return after;
    }

    /// <summary>Enlists every automation's flows for an approval in its unit of work (see <see cref="IMentoringAutomation.ApprovingAsync"/>).</summary>
    public async Task<AfterCommit> ApprovingAsync(DbContext db, Programme programme, IReadOnlyList<Pair> pairs, IReadOnlyList<MentorChoice> choices, CancellationToken cancellationToken = default)
    {
        var after = AfterCommit.Nothing;
        foreach (var automation in _automations)
        {
            after = after.Then(await automation.ApprovingAsync(db, programme, pairs, choices, cancellationToken));
        }

        return after;
    }

    public async Task PairClosedAsync(Pair pair, CancellationToken cancellationToken = default)
    {
        foreach (var automation in _automations)
        {
            await automation.PairClosedAsync(pair, cancellationToken);
        }
    }
}

/// <summary>
/// Work to do once a unit of work has committed (e.g. running the flows it started or signalled). Each step handles
/// its own failures: what it runs is committed already and is picked up again by recovery.
/// </summary>
public sealed class AfterCommit
{
    private readonly IReadOnlyList<Func<CancellationToken, Task>> _steps;

    public AfterCommit(Func<CancellationToken, Task> step)
        : this([step])
    {
    }

    private AfterCommit(IReadOnlyList<Func<CancellationToken, Task>> steps) => _steps = steps;

    public static AfterCommit Nothing { get; } = new(Array.Empty<Func<CancellationToken, Task>>());

    public AfterCommit Then(AfterCommit next) =>
        next._steps.Count == 0 ? this : _steps.Count == 0 ? next : new AfterCommit([.. _steps, .. next._steps]);

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        foreach (var step in _steps)
        {
            await step(cancellationToken);
        }
    }
}
