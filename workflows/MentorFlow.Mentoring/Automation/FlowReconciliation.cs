using System.ComponentModel.DataAnnotations;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Workflows;
using MentorFlow.Workflows.Persistence;
using MentorFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MentorFlow.Mentoring.Automation;

/// <summary>Settings of the reconciliation sweep (<c>Mentoring:FlowReconciliation</c>).</summary>
public sealed class FlowReconciliationOptions
{
    public const string Section = "Mentoring:FlowReconciliation";

    /// <summary>How often each replica looks for pairs and choices waiting on a flow that is not running.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Mentoring:FlowReconciliation:Interval must be between 1 second and 1 day.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A subject is checked once it has waited this long (its flow may be starting in this very moment).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "Mentoring:FlowReconciliation:GracePeriod must be between 0 and 7 days.")]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many waiting pairs, and as many choices, are checked per sweep.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Mentoring:FlowReconciliation:MaxSubjects must be between 1 and 1,000,000.")]
    public int MaxSubjects { get; set; } = 10_000;
}

/// <summary>What one sweep found: incidents raised (new or opened again) and resolved.</summary>
public sealed record FlowReconciliationResult(int Raised, int Resolved, int Checked);

/// <summary>
/// Finds pairs and mentees' choices that wait on a flow which is not running and raises one incident per subject and
/// flow for the manager (<see cref="FlowIncident"/>, listed with the programme dashboard's incidents):
/// an open mentor choice waits on its mentor choice flow, an approved pair on its introductions, an active pair on its
/// closing flow. A flow with no instance, or whose latest instance faulted, was cancelled or finished, is broken.
/// Idempotent: a subject already reported is not reported again; an incident whose subject moved on or whose flow runs
/// again is resolved.
/// </summary>
public sealed partial class FlowReconciliation(IMentoringDb database, TimeProvider clock, IOptions<FlowReconciliationOptions> options, ILogger<FlowReconciliation> logger)
{
    public const string PairSubject = "Pair";
    public const string ChoiceSubject = "MentorChoice";

    private const int Chunk = 500;

    private sealed record Waiting(string Kind, Guid Id, Guid ProgrammeId, string DefinitionId, string What);

    public async Task<FlowReconciliationResult> SweepAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var cutoff = now - settings.GracePeriod;
        await using var db = await database.CreateAsync(cancellationToken);
        var waiting = new List<Waiting>();
        // Times are compared in memory (SQLite stores them as text); the subjects are bounded by MaxSubjects.
        var choices = (await db.Set<MentorChoice>().AsNoTracking()
                .Where(c => c.Status == MentorChoiceStatus.Open)
                .OrderBy(c => c.Id).Take(settings.MaxSubjects)
                .Select(c => new { c.Id, c.ProgrammeId, c.OfferedAt }).ToListAsync(cancellationToken))
            .Where(c => c.OfferedAt <= cutoff);
        waiting.AddRange(choices.Select(c => new Waiting(ChoiceSubject, c.Id, c.ProgrammeId, DefaultFlows.MentorChoice, "the mentee's choice of mentor is open")));
        var pairs = (await db.Set<Pair>().AsNoTracking()
                .Where(p => (p.Status == PairStatus.Approved || p.Status == PairStatus.Active) && p.ApprovedAt != null)
                .OrderBy(p => p.Id).Take(settings.MaxSubjects)
                .Select(p => new { p.Id, p.ProgrammeId, p.Status, p.ApprovedAt, p.MentorConfirmedAt, p.MenteeConfirmedAt }).ToListAsync(cancellationToken))
            .Where(p => p.ApprovedAt <= cutoff);
        foreach (var pair in pairs)
        {
            if (pair.Status == PairStatus.Approved)
            {
                waiting.Add(new Waiting(PairSubject, pair.Id, pair.ProgrammeId, DefaultFlows.Introductions, "the pair is approved and waits for both confirmations"));
            }
            else if (Latest(pair.MentorConfirmedAt, pair.MenteeConfirmedAt) is not { } started || started <= cutoff)
            {
                waiting.Add(new Waiting(PairSubject, pair.Id, pair.ProgrammeId, DefaultFlows.Closing, "the pair is active and its closing flow ends it"));
            }
        }

        var broken = new Dictionary<string, (Waiting Subject, string Problem, string? InstanceId)>(StringComparer.Ordinal);
        foreach (var chunk in waiting.Chunk(Chunk))
        {
            var correlations = chunk.Select(w => w.Id.ToString()).ToList();
            var definitions = chunk.Select(w => w.DefinitionId).Distinct(StringComparer.Ordinal).ToList();
            var instances = (await db.Set<WorkflowInstanceRecord>().AsNoTracking()
                    .Where(i => i.CorrelationId != null && correlations.Contains(i.CorrelationId) && definitions.Contains(i.DefinitionId))
                    .Select(i => new { i.Id, i.CorrelationId, i.DefinitionId, i.Status, i.SubStatus, i.CreatedAt })
                    .ToListAsync(cancellationToken))
                .ToLookup(i => (i.CorrelationId!, i.DefinitionId));
            foreach (var subject in chunk)
            {
                var flows = instances[(subject.Id.ToString(), subject.DefinitionId)].ToList();
                if (flows.Any(i => i.Status == nameof(WorkflowStatus.Running) && i.SubStatus != nameof(WorkflowSubStatus.Faulted)))
                {
                    continue;
                }

                var latest = flows.MaxBy(i => i.CreatedAt);
                var problem = latest is null ? "Missing" : latest.SubStatus is nameof(WorkflowSubStatus.Faulted) or nameof(WorkflowSubStatus.Cancelled) ? latest.SubStatus : "Finished";
                broken[Key(subject.Kind, subject.Id, subject.DefinitionId)] = (subject, problem, latest?.Id);
            }
        }

        var open = await db.Set<FlowIncident>().Where(i => i.ResolvedAt == null).ToListAsync(cancellationToken);
        var keys = broken.Keys.ToList();
        var known = new Dictionary<string, FlowIncident>(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(Chunk))
        {
            foreach (var incident in await db.Set<FlowIncident>().Where(i => chunk.Contains(i.Key)).ToListAsync(cancellationToken))
            {
                known[incident.Key] = incident;
            }
        }

        var raised = 0;
        foreach (var (key, (subject, problem, instanceId)) in broken)
        {
            if (known.TryGetValue(key, out var existing) && existing.ResolvedAt is null)
            {
                continue;
            }

            var incident = existing ?? new FlowIncident { Id = Guid.NewGuid(), Key = key, ProgrammeId = subject.ProgrammeId, SubjectKind = subject.Kind, SubjectId = subject.Id };
            incident.DefinitionId = subject.DefinitionId;
            incident.InstanceId = instanceId;
            incident.Problem = problem;
            incident.Message = Message(subject, problem);
            incident.RaisedAt = now;
            incident.ResolvedAt = null;
            if (existing is null)
            {
                db.Add(incident);
            }

            LogRaised(logger, subject.Kind, subject.Id, subject.DefinitionId, problem);
            raised++;
        }

        // Resolved: the subject no longer waits (it moved on) or its flow runs again. Subjects past the per-sweep
        // limit were not checked, so their incidents stay as they are.
        var checkedKeys = waiting.Select(w => Key(w.Kind, w.Id, w.DefinitionId)).ToHashSet(StringComparer.Ordinal);
        var stillWaiting = await StillWaitingAsync(db, open.Where(i => !checkedKeys.Contains(i.Key)).ToList(), cancellationToken);
        var resolved = 0;
        foreach (var incident in open.Where(i => !broken.ContainsKey(i.Key) && !stillWaiting.Contains(i.Key)))
        {
            incident.ResolvedAt = now;
            resolved++;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another replica swept at the same moment and raised the same incidents first; the next sweep settles it.
            LogSweepCollided(logger);
            return new FlowReconciliationResult(0, 0, waiting.Count);
        }

        return new FlowReconciliationResult(raised, resolved, waiting.Count);
    }

    /// <summary>The programme's incidents (open first, newest first), for the dashboard.</summary>
    public async Task<IReadOnlyList<FlowIncident>> ListAsync(Guid programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var incidents = await db.Set<FlowIncident>().AsNoTracking().Where(i => i.ProgrammeId == programmeId).ToListAsync(cancellationToken);
        return [.. incidents.OrderBy(i => i.ResolvedAt is null ? 0 : 1).ThenByDescending(i => i.RaisedAt).ThenBy(i => i.Key, StringComparer.Ordinal)];
    }

    /// <summary>Open incidents of subjects not checked this sweep (too young, or past the limit) whose subject still waits: they stay open.</summary>
    private static async Task<HashSet<string>> StillWaitingAsync(DbContext db, List<FlowIncident> notChecked, CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in notChecked.Chunk(Chunk))
        {
            var ids = chunk.Select(i => i.SubjectId).ToList();
            var choices = await db.Set<MentorChoice>().AsNoTracking().Where(c => ids.Contains(c.Id) && c.Status == MentorChoiceStatus.Open)
                .Select(c => c.Id).ToListAsync(cancellationToken);
            var pairs = await db.Set<Pair>().AsNoTracking()
                .Where(p => ids.Contains(p.Id) && (p.Status == PairStatus.Approved || p.Status == PairStatus.Active))
                .Select(p => new { p.Id, p.Status }).ToListAsync(cancellationToken);
            foreach (var incident in chunk)
            {
                var waits = incident.SubjectKind == ChoiceSubject
                    ? choices.Contains(incident.SubjectId)
                    : pairs.Any(p => p.Id == incident.SubjectId
                        && (p.Status == PairStatus.Approved ? incident.DefinitionId == DefaultFlows.Introductions : incident.DefinitionId == DefaultFlows.Closing));
                if (waits)
                {
                    keys.Add(incident.Key);
                }
            }
        }

        return keys;
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string Key(string kind, Guid id, string definitionId) => $"{kind}:{id:N}:{definitionId}";

    private static string Message(Waiting subject, string problem) =>
        $"{char.ToUpperInvariant(subject.What[0])}{subject.What[1..]}, but its flow '{subject.DefinitionId}' "
        + problem switch
        {
            "Missing" => "was never started (or was deleted).",
            "Faulted" => "faulted: retry its incident in the Studio once the cause is fixed.",
            "Cancelled" => "was cancelled.",
            _ => "finished without moving it on.",
        }
        + " Nothing will happen for it until a manager acts: close or re-propose it, or start the flow again.";

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {SubjectId} waits on flow {DefinitionId}, which is {Problem}: an incident is raised for the manager")]
    private static partial void LogRaised(ILogger logger, string kind, Guid subjectId, string definitionId, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "A flow reconciliation sweep collided with another replica's; the next sweep completes it")]
    private static partial void LogSweepCollided(ILogger logger);
}

/// <summary>Runs <see cref="FlowReconciliation.SweepAsync"/> every <c>Mentoring:FlowReconciliation:Interval</c> on the injected clock (with the engine's background services).</summary>
public sealed partial class FlowReconciliationService(
    FlowReconciliation reconciliation,
    TimeProvider clock,
    IOptions<FlowReconciliationOptions> options,
    IOptions<WorkflowEngineOptions> engine,
    ILogger<FlowReconciliationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!engine.Value.EnableBackgroundServices)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.Interval, clock, stoppingToken);
                await reconciliation.SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogSweepFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The flow reconciliation sweep failed; it runs again after the interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
