using System.Globalization;
using System.Text.Json;
using MentorFlow.Mentoring.Automation;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Reporting.Matching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MentorFlow.Mentoring.Services;

/// <summary>Settings under <c>Mentoring:Matching</c>.</summary>
public sealed class MatchingOptions
{
    public const string Section = "Mentoring:Matching";

    /// <summary>applications.csv of past cohorts (training history); without it the cold-start similarity is used.</summary>
    public string? HistoryPath { get; set; }

    /// <summary>outcomes.csv of past pairs (training labels).</summary>
    public string? OutcomesPath { get; set; }

    /// <summary>
    /// With a learned model, pairs whose predicted chance of success is below this are not proposed (the mentee stays
    /// unmatched with a reason). With no outcomes history (cold-start similarity, a ranking rather than a chance) every
    /// mentee gets a mentor while one has room, and pairs below it are proposed as weak matches for review.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0.0, 1.0)]
    public double MinScore { get; set; } = 0.35;

    public int Seed { get; set; } = 42;
}

public sealed record MatchConstraintInput(string? MentorId, string? MenteeId);

public sealed record SwapInput(Guid? FirstPairId, Guid? SecondPairId);

/// <summary>
/// A pair as the manager reviews it (with names and ids of applications.csv); <see cref="Weak"/>: a proposal scoring
/// below the run's minimum score (filled at cold start, or pinned), to be reviewed before approving.
/// </summary>
public sealed record PairView(
    Guid Id, string MentorId, string MentorName, string MenteeId, string MenteeName, double Score, string Reasons, PairStatus Status,
    bool Pinned, DateOnly? StartDate, DateOnly? EndDate, bool Weak);

public sealed record UnmatchedView(string MenteeId, string MenteeName, string Reason);

public sealed record ShortageView(string CareerPath, string Region, IReadOnlyList<string> TopInterests, int UnmatchedMentees, int MentorsNeeded, string Cause);

/// <summary>The review: the proposals, who is left out and why, and which mentor profiles are missing.</summary>
public sealed record MatchReview(
    string Method, double MinScore, IReadOnlyList<PairView> Pairs, IReadOnlyList<UnmatchedView> Unmatched, IReadOnlyList<ShortageView> Shortage,
    IReadOnlyList<MatchConstraintInput> Pinned, IReadOnlyList<MatchConstraintInput> Forbidden)
{
    /// <summary>The mentees' choices among their top mentor candidates (programmes where mentees choose), newest first.</summary>
    public IReadOnlyList<ChoiceView> Choices { get; init; } = [];

    /// <summary>What the minimum score does for this method, in a sentence for the manager.</summary>
    public string MinScoreExplained => ExplainMinScore(Method, MinScore);

    /// <summary>What the minimum score does with a learned model, at cold start, or (before any run) in both cases.</summary>
    public static string ExplainMinScore(string method, double minScore)
    {
        var min = minScore.ToString("0.##", CultureInfo.InvariantCulture);
        return method switch
        {
            nameof(ScoringMethod.ColdStartSimilarity) =>
                "No outcomes of past pairs yet, so the score ranks how alike the pair's interests, goals and career paths are; it is not a chance of " +
                $"success. Every mentee gets a mentor while one has room, and pairs below {min} are marked as weak matches to review before approving.",
            nameof(ScoringMethod.LearnedModel) =>
                "The score is the model's chance that the pair completes and meets its goal, learned from past pairs' outcomes. " +
                $"Pairs below {min} are proposed only when still at least as likely to succeed as an average past pair, and then marked as weak " +
                "matches to review; mentees without such a pair are listed as unmatched with the reason.",
            _ => $"With outcomes of past pairs, a pair whose predicted chance of success is below {min} is proposed only when it is at least as " +
                "likely to succeed as an average past pair, marked as a weak match to review. Without outcomes, every mentee " +
                $"gets a mentor while one has room, and pairs below {min} are marked as weak matches to review.",
        };
    }
}

/// <summary>A mentor offered to a mentee, as the manager reviews it.</summary>
public sealed record CandidateView(string MentorId, string MentorName, double Score, string Reasons);

/// <summary>A mentee's choice among their top mentor candidates, as the manager reviews it.</summary>
public sealed record ChoiceView(
    Guid Id, string MenteeId, string MenteeName, MentorChoiceStatus Status, DateTimeOffset ChooseBy, IReadOnlyList<CandidateView> Candidates,
    string? ChosenMentorId, Guid? PairId);

/// <summary>What an approval did: pairs waiting for both confirmations, or (mentees choose) choices offered to mentees.</summary>
public sealed record MatchApproval(IReadOnlyList<Pair> Pairs, IReadOnlyList<MentorChoice> Choices);

/// <summary>
/// Matching review: proposals from the reporting library's match model and optimal assignment (under mentor
/// capacity, honouring the manager's pins and forbids), swaps, re-runs and approval.
/// </summary>
public sealed class MatchingService(IMentoringDb database, TimeProvider clock, IOptions<MatchingOptions> options)
{
    private readonly Lazy<MatchModel> _model = new(() => LoadModel(options.Value));

    public MatchModel Model => _model.Value;

    /// <summary>
    /// Re-runs the matcher: proposals (and the last run's report) replace the previous ones; approved and active pairs
    /// stay, using their mentors' capacity.
    /// </summary>
    public async Task<MatchReview> RunAsync(Guid programmeId, double? minScore, string actor, CancellationToken cancellationToken = default)
    {
        if (minScore is < 0 or > 1)
        {
            throw MentoringProblemException.Invalid("minScore", "The minimum score is between 0 and 1.");
        }

        var threshold = minScore ?? options.Value.MinScore;
        await using var db = await database.CreateAsync(cancellationToken);
        var programme = await ProgrammeService.FindAsync(db, programmeId, cancellationToken, tracking: false);
        if (programme.Phase is not (ProgrammePhase.Applications or ProgrammePhase.Matching or ProgrammePhase.Running))
        {
            throw MentoringProblemException.Conflict("phase", $"Matching runs once applications are open (the programme is in phase {programme.Phase}).");
        }

        var applications = await db.Set<Application>().AsNoTracking()
            .Where(a => a.ProgrammeId == programmeId && a.ErasedAt == null).ToListAsync(cancellationToken);
        var pairs = await db.Set<Pair>().Where(p => p.ProgrammeId == programmeId).ToListAsync(cancellationToken);
        var constraints = await db.Set<MatchConstraint>().AsNoTracking().Where(c => c.ProgrammeId == programmeId).ToListAsync(cancellationToken);
        var committed = pairs.Where(p => p.Status is PairStatus.Approved or PairStatus.Active).ToList();
        var busyMentees = committed.Select(p => p.MenteeId).ToHashSet();
        busyMentees.UnionWith(await db.Set<MentorChoice>().AsNoTracking()
            .Where(c => c.ProgrammeId == programmeId && c.Status == MentorChoiceStatus.Open).Select(c => c.MenteeId).ToListAsync(cancellationToken));
        var load = committed.GroupBy(p => p.MentorId).ToDictionary(g => g.Key, g => g.Count());
        var byId = applications.ToDictionary(a => a.Id);
        var mentors = applications.Where(a => a.Role == ParticipantRole.Mentor && (a.Capacity ?? 1) > load.GetValueOrDefault(a.Id)).ToList();
        var mentees = applications.Where(a => a.Role == ParticipantRole.Mentee && !busyMentees.Contains(a.Id)).ToList();
        var cohort = mentors.Select(m => ContractRecords.Candidate(m, (m.Capacity ?? 1) - load.GetValueOrDefault(m.Id)))
            .Concat(mentees.Select(m => ContractRecords.Candidate(m, 0))).ToList();

        Assignment assignment;
        if (mentors.Count == 0 || mentees.Count == 0)
        {
            assignment = Assigner.Assign(Model.Score(cohort), new AssignmentOptions { MinScore = threshold });
        }
        else
        {
            var scored = Model.Score(cohort, new ScoringOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount / 2) });
            var inCohort = cohort.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
            PairRef Ref(MatchConstraint c) => new(byId[c.MentorId].ExternalId, byId[c.MenteeId].ExternalId);
            var usable = constraints.Where(c => byId.ContainsKey(c.MentorId) && byId.ContainsKey(c.MenteeId)).Select(c => (c.Kind, Ref: Ref(c)))
                .Where(c => inCohort.Contains(c.Ref.MentorId) && inCohort.Contains(c.Ref.MenteeId)).ToList();
            assignment = Assigner.Assign(scored, new AssignmentOptions
            {
                MinScore = threshold,
                Pinned = usable.Where(c => c.Kind == MatchConstraintKind.Pin).Select(c => c.Ref).ToList(),
                Forbidden = usable.Where(c => c.Kind == MatchConstraintKind.Forbid).Select(c => c.Ref).ToList(),
            });
        }

        var byExternal = applications.ToDictionary(a => a.ExternalId, StringComparer.Ordinal);
        db.RemoveRange(pairs.Where(p => p.Status == PairStatus.Proposed));
        foreach (var row in assignment.ToPairs().Where(r => r.MentorId is not null))
        {
            db.Add(new Pair
            {
                Id = Guid.NewGuid(),
                ProgrammeId = programmeId,
                MentorId = byExternal[row.MentorId!].Id,
                MenteeId = byExternal[row.MenteeId].Id,
                Score = row.Score ?? 0,
                Reasons = Truncate(row.Reasons ?? "", 1000),
                Status = PairStatus.Proposed,
            });
        }

        var run = new MatchingRun
        {
            Id = Guid.NewGuid(),
            ProgrammeId = programmeId,
            At = clock.GetUtcNow(),
            MinScore = threshold,
            Method = assignment.Cohort.Method.ToString(),
            UnmatchedJson = JsonSerializer.Serialize(assignment.Unmatched.Select(u =>
                new UnmatchedView(assignment.Cohort.Mentees[u.Mentee].Id, byExternal[assignment.Cohort.Mentees[u.Mentee].Id].Name, u.Reason)).ToList()),
            ShortageJson = JsonSerializer.Serialize(assignment.Shortage.Select(s =>
                new ShortageView(s.CareerPath, s.Region, s.TopInterests, s.UnmatchedMentees, s.MentorsNeeded, s.Cause.ToString())).ToList()),
        };
        db.RemoveRange(await db.Set<MatchingRun>().Where(r => r.ProgrammeId == programmeId).ToListAsync(cancellationToken));
        db.Add(run);
        if (programme.Phase == ProgrammePhase.Applications)
        {
            var tracked = await ProgrammeService.FindAsync(db, programmeId, cancellationToken);
            tracked.Phase = ProgrammePhase.Matching;
        }

        Audit.Add(db, run.At, actor, "matching.run", programmeId, $"{assignment.Pairs.Count} proposed, {assignment.Unmatched.Count} unmatched",
            $"method {run.Method}, min score {threshold.ToString(CultureInfo.InvariantCulture)}");
        await db.SaveChangesAsync(cancellationToken);
        return await ReviewAsync(programmeId, cancellationToken);
    }

    public async Task<MatchReview> ReviewAsync(Guid programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        await ProgrammeService.FindAsync(db, programmeId, cancellationToken, tracking: false);
        var applications = await db.Set<Application>().AsNoTracking().Where(a => a.ProgrammeId == programmeId).ToDictionaryAsync(a => a.Id, cancellationToken);
        var pairs = await db.Set<Pair>().AsNoTracking().Where(p => p.ProgrammeId == programmeId && p.Status != PairStatus.Declined).ToListAsync(cancellationToken);
        var constraints = await db.Set<MatchConstraint>().AsNoTracking().Where(c => c.ProgrammeId == programmeId).ToListAsync(cancellationToken);
        var runs = await db.Set<MatchingRun>().AsNoTracking().Where(r => r.ProgrammeId == programmeId).ToListAsync(cancellationToken);
        var last = runs.SingleOrDefault();
        var pins = constraints.Where(c => c.Kind == MatchConstraintKind.Pin).Select(c => (c.MentorId, c.MenteeId)).ToHashSet();
        var views = pairs.Select(p => new PairView(
                p.Id, applications[p.MentorId].ExternalId, applications[p.MentorId].Name, applications[p.MenteeId].ExternalId, applications[p.MenteeId].Name,
                p.Score, p.Reasons, p.Status, pins.Contains((p.MentorId, p.MenteeId)), p.StartDate, p.EndDate,
                p.Status == PairStatus.Proposed && last is not null && p.Score < last.MinScore))
            .OrderBy(v => v.MentorId, StringComparer.Ordinal).ThenBy(v => v.MenteeId, StringComparer.Ordinal).ToList();
        var unmatched = last is null ? [] : JsonSerializer.Deserialize<List<UnmatchedView>>(last.UnmatchedJson) ?? [];
        var matchedNow = views.Select(v => v.MenteeId).ToHashSet(StringComparer.Ordinal);
        var choices = await db.Set<MentorChoice>().AsNoTracking().Where(c => c.ProgrammeId == programmeId).ToListAsync(cancellationToken);
        var pairMentors = await db.Set<Pair>().AsNoTracking().Where(p => p.ProgrammeId == programmeId).ToDictionaryAsync(p => p.Id, p => p.MentorId, cancellationToken);
        var choiceViews = choices.OrderByDescending(c => c.OfferedAt).ThenBy(c => applications[c.MenteeId].ExternalId, StringComparer.Ordinal)
            .Select(c => new ChoiceView(
                c.Id, applications[c.MenteeId].ExternalId, applications[c.MenteeId].Name, c.Status, c.ChooseBy,
                c.Candidates.Select(k => new CandidateView(applications[k.MentorId].ExternalId, applications[k.MentorId].Name, k.Score, k.Reasons)).ToList(),
                c.PairId is { } chosen && pairMentors.TryGetValue(chosen, out var mentor) ? applications[mentor].ExternalId : null, c.PairId))
            .ToList();
        matchedNow.UnionWith(choiceViews.Where(c => c.Status == MentorChoiceStatus.Open).Select(c => c.MenteeId));
        MatchConstraintInput Ext(MatchConstraint c) => new(applications[c.MentorId].ExternalId, applications[c.MenteeId].ExternalId);
        return new MatchReview(
            last?.Method ?? "none", last?.MinScore ?? options.Value.MinScore, views,
            unmatched.Where(u => !matchedNow.Contains(u.MenteeId)).ToList(),
            last is null ? [] : JsonSerializer.Deserialize<List<ShortageView>>(last.ShortageJson) ?? [],
            constraints.Where(c => c.Kind == MatchConstraintKind.Pin).Select(Ext).ToList(),
            constraints.Where(c => c.Kind == MatchConstraintKind.Forbid).Select(Ext).ToList())
        {
            Choices = choiceViews,
        };
    }

    /// <summary>Pins or forbids a (mentor, mentee) pair by their applications.csv ids; the next run honours it.</summary>
    public async Task<MatchReview> ConstrainAsync(Guid programmeId, MatchConstraintKind kind, MatchConstraintInput input, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        await ProgrammeService.FindAsync(db, programmeId, cancellationToken, tracking: false);
        var errors = new FieldErrors();
        var mentor = await FindPersonAsync(db, programmeId, input.MentorId, ParticipantRole.Mentor, "mentorId", errors, cancellationToken);
        var mentee = await FindPersonAsync(db, programmeId, input.MenteeId, ParticipantRole.Mentee, "menteeId", errors, cancellationToken);
        errors.ThrowIfAny();
        var existing = await db.Set<MatchConstraint>()
            .FirstOrDefaultAsync(c => c.ProgrammeId == programmeId && c.MentorId == mentor!.Id && c.MenteeId == mentee!.Id, cancellationToken);
        if (existing is null)
        {
            db.Add(new MatchConstraint { Id = Guid.NewGuid(), ProgrammeId = programmeId, MentorId = mentor!.Id, MenteeId = mentee!.Id, Kind = kind });
        }
        else
        {
            existing.Kind = kind;
        }

        if (kind == MatchConstraintKind.Forbid)
        {
            db.RemoveRange(await db.Set<Pair>().Where(p => p.ProgrammeId == programmeId && p.Status == PairStatus.Proposed
                && p.MentorId == mentor!.Id && p.MenteeId == mentee!.Id).ToListAsync(cancellationToken));
        }

        Audit.Add(db, clock.GetUtcNow(), actor, kind == MatchConstraintKind.Pin ? "matching.pinned" : "matching.forbidden", programmeId,
            $"{input.MentorId} / {input.MenteeId}");
        await db.SaveChangesAsync(cancellationToken);
        return await ReviewAsync(programmeId, cancellationToken);
    }

    /// <summary>Removes a pin or forbid.</summary>
    public async Task<MatchReview> ReleaseAsync(Guid programmeId, MatchConstraintInput input, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var errors = new FieldErrors();
        var mentor = await FindPersonAsync(db, programmeId, input.MentorId, ParticipantRole.Mentor, "mentorId", errors, cancellationToken);
        var mentee = await FindPersonAsync(db, programmeId, input.MenteeId, ParticipantRole.Mentee, "menteeId", errors, cancellationToken);
        errors.ThrowIfAny();
        db.RemoveRange(await db.Set<MatchConstraint>()
            .Where(c => c.ProgrammeId == programmeId && c.MentorId == mentor!.Id && c.MenteeId == mentee!.Id).ToListAsync(cancellationToken));
        Audit.Add(db, clock.GetUtcNow(), actor, "matching.released", programmeId, $"{input.MentorId} / {input.MenteeId}");
        await db.SaveChangesAsync(cancellationToken);
        return await ReviewAsync(programmeId, cancellationToken);
    }

    /// <summary>Swaps the mentees of two proposed pairs; both are re-scored and re-explained.</summary>
    public async Task<MatchReview> SwapAsync(Guid programmeId, SwapInput input, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var errors = new FieldErrors();
        var first = input.FirstPairId is { } a ? await db.Set<Pair>().FirstOrDefaultAsync(p => p.Id == a && p.ProgrammeId == programmeId, cancellationToken) : null;
        var second = input.SecondPairId is { } b ? await db.Set<Pair>().FirstOrDefaultAsync(p => p.Id == b && p.ProgrammeId == programmeId, cancellationToken) : null;
        if (first is not { Status: PairStatus.Proposed })
        {
            errors.Add("firstPairId", "Name a proposed pair of this programme.");
        }

        if (second is not { Status: PairStatus.Proposed } || second.Id == first?.Id)
        {
            errors.Add("secondPairId", "Name another proposed pair of this programme.");
        }

        errors.ThrowIfAny();
        (first!.MenteeId, second!.MenteeId) = (second.MenteeId, first.MenteeId);
        var people = await db.Set<Application>().AsNoTracking()
            .Where(x => x.Id == first.MentorId || x.Id == second.MentorId || x.Id == first.MenteeId || x.Id == second.MenteeId)
            .ToDictionaryAsync(x => x.Id, cancellationToken);
        var scored = Model.Score(people.Values.Select(p => ContractRecords.Candidate(p, p.Capacity ?? 1)).ToList());
        foreach (var pair in new[] { first, second })
        {
            var mentor = scored.MentorIndex(people[pair.MentorId].ExternalId)!.Value;
            var mentee = scored.MenteeIndex(people[pair.MenteeId].ExternalId)!.Value;
            pair.Score = Math.Round(scored.Score(mentor, mentee), 4);
            pair.Reasons = Truncate("swapped by the manager; " + scored.Explain([(mentor, mentee)])[0], 1000);
        }

        Audit.Add(db, clock.GetUtcNow(), actor, "matching.swapped", programmeId, $"{first.Id:N} <-> {second.Id:N}");
        await db.SaveChangesAsync(cancellationToken);
        return await ReviewAsync(programmeId, cancellationToken);
    }

    /// <summary>Approves every proposed pair; they then wait for both sides to confirm. Returns the approved pairs.</summary>
    public async Task<IReadOnlyList<Pair>> ApproveAsync(Guid programmeId, string actor, CancellationToken cancellationToken = default) =>
        (await ApproveMatchesAsync(programmeId, actor, cancellationToken)).Pairs;

    /// <summary>
    /// Approves the proposals. Normally every proposed pair is approved and waits for both sides to confirm; when the
    /// programme lets mentees choose, each mentee is instead offered their top 3 mentor candidates (the proposed mentor
    /// and the next best-scoring mentors with room, above the run's minimum score — any at cold start — never a
    /// forbidden pair).
    /// </summary>
    public Task<MatchApproval> ApproveMatchesAsync(Guid programmeId, string actor, CancellationToken cancellationToken = default) =>
        ApproveMatchesAsync(programmeId, actor, null, cancellationToken);

    /// <summary>
    /// Approves the proposals as above; the pairs' introductions (or the mentees' choice flows) are started through
    /// <paramref name="automation"/> in the same transaction and run once it has committed.
    /// </summary>
    public async Task<MatchApproval> ApproveMatchesAsync(Guid programmeId, string actor, MentoringAutomationHub? automation, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var programme = await ProgrammeService.FindAsync(db, programmeId, cancellationToken);
        var proposed = await db.Set<Pair>().Where(p => p.ProgrammeId == programmeId && p.Status == PairStatus.Proposed).ToListAsync(cancellationToken);
        if (proposed.Count == 0)
        {
            throw MentoringProblemException.Conflict("pairs", "There are no proposed pairs to approve: run the matcher first.");
        }

        var now = clock.GetUtcNow();
        IReadOnlyList<Pair> approved = [];
        IReadOnlyList<MentorChoice> choices = [];
        if (programme.MenteeChoosesFromTopThree)
        {
            choices = await OfferChoicesAsync(db, programme, proposed, now, cancellationToken);
            db.RemoveRange(proposed);
            db.AddRange(choices);
        }
        else
        {
            foreach (var pair in proposed)
            {
                pair.Status = PairStatus.Approved;
                pair.ApprovedAt = now;
            }

            approved = proposed;
        }

        if (programme.Phase == ProgrammePhase.Matching)
        {
            programme.Phase = ProgrammePhase.Running;
        }

        Audit.Add(db, now, actor, "matching.approved", programmeId,
            programme.MenteeChoosesFromTopThree ? $"{choices.Count} mentees choose among their top mentors" : $"{proposed.Count} pairs");
        var after = automation is null ? AfterCommit.Nothing : await automation.ApprovingAsync(db, programme, approved, choices, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await after.RunAsync(cancellationToken);
        return new MatchApproval(approved, choices);
    }

    private async Task<IReadOnlyList<MentorChoice>> OfferChoicesAsync(
        DbContext db, Programme programme, IReadOnlyList<Pair> proposed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var people = await db.Set<Application>().AsNoTracking()
            .Where(a => a.ProgrammeId == programme.Id && a.ErasedAt == null).ToDictionaryAsync(a => a.Id, cancellationToken);
        var load = (await db.Set<Pair>().AsNoTracking()
                .Where(p => p.ProgrammeId == programme.Id && (p.Status == PairStatus.Approved || p.Status == PairStatus.Active))
                .Select(p => p.MentorId).ToListAsync(cancellationToken))
            .GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        var forbidden = (await db.Set<MatchConstraint>().AsNoTracking()
                .Where(c => c.ProgrammeId == programme.Id && c.Kind == MatchConstraintKind.Forbid)
                .Select(c => new { c.MentorId, c.MenteeId }).ToListAsync(cancellationToken))
            .Select(c => (c.MentorId, c.MenteeId)).ToHashSet();
        var threshold = Model.Method == ScoringMethod.ColdStartSimilarity ? 0 : (await db.Set<MatchingRun>().AsNoTracking()
            .Where(r => r.ProgrammeId == programme.Id).Select(r => (double?)r.MinScore).FirstOrDefaultAsync(cancellationToken)) ?? options.Value.MinScore;
        var mentors = people.Values.Where(a => a.Role == ParticipantRole.Mentor && (a.Capacity ?? 1) > load.GetValueOrDefault(a.Id)).ToList();
        var mentees = proposed.Select(p => p.MenteeId).Distinct().Where(people.ContainsKey).Select(id => people[id]).ToList();
        if (mentors.Count == 0 || mentees.Count == 0)
        {
            return [];
        }

        var scored = Model.Score(
            mentors.Select(m => ContractRecords.Candidate(m, (m.Capacity ?? 1) - load.GetValueOrDefault(m.Id))).Concat(mentees.Select(m => ContractRecords.Candidate(m, 0))).ToList(),
            new ScoringOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount / 2) });
        var withRoom = mentors.Select(m => m.Id).ToHashSet();
        var choices = new List<MentorChoice>();
        foreach (var pair in proposed.Where(p => people.ContainsKey(p.MenteeId)))
        {
            var mentee = scored.MenteeIndex(people[pair.MenteeId].ExternalId)!.Value;
            var others = mentors.Where(m => m.Id != pair.MentorId && !forbidden.Contains((m.Id, pair.MenteeId)))
                .Select(m => (Mentor: m, Index: scored.MentorIndex(m.ExternalId)!.Value))
                .Select(x => (x.Mentor, x.Index, Score: Math.Round(scored.Score(x.Index, mentee), 4)))
                .Where(x => x.Score >= threshold)
                .OrderByDescending(x => x.Score).ThenBy(x => x.Mentor.ExternalId, StringComparer.Ordinal)
                .Take(withRoom.Contains(pair.MentorId) ? 2 : 3)
                .ToList();
            var reasons = scored.Explain(others.Select(o => (o.Index, mentee)).ToList());
            var candidates = others.Select((o, i) => new MentorCandidate(o.Mentor.Id, o.Score, Truncate(reasons[i], 1000))).ToList();
            if (withRoom.Contains(pair.MentorId))
            {
                // The optimiser's proposal, as the manager reviewed it (pinned or swapped), is always among the candidates.
                candidates.Add(new MentorCandidate(pair.MentorId, Math.Round(pair.Score, 4), pair.Reasons));
            }

            if (candidates.Count == 0)
            {
                continue;
            }

            choices.Add(new MentorChoice
            {
                Id = Guid.NewGuid(),
                ProgrammeId = programme.Id,
                MenteeId = pair.MenteeId,
                Candidates = candidates.OrderByDescending(c => c.Score).ThenBy(c => people[c.MentorId].ExternalId, StringComparer.Ordinal).ToList(),
                OfferedAt = now,
                ChooseBy = now.AddDays(programme.ConfirmationDays),
            });
        }

        return choices;
    }

    private static MatchModel LoadModel(MatchingOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.HistoryPath) || string.IsNullOrWhiteSpace(options.OutcomesPath))
        {
            return MatchModel.ColdStart("no matching history configured (Mentoring:Matching:HistoryPath / OutcomesPath)", options.Seed);
        }

        var history = Reporting.Data.ApplicationsCsv.Read(options.HistoryPath).OrThrow();
        var outcomes = Reporting.Data.OutcomesCsv.Read(options.OutcomesPath).OrThrow();
        return MatchModel.Train(history, outcomes, options.Seed);
    }

    private static async Task<Application?> FindPersonAsync(
        DbContext db, Guid programmeId, string? externalId, ParticipantRole role, string field, FieldErrors errors, CancellationToken cancellationToken)
    {
        var id = externalId?.Trim() ?? "";
        var person = id.Length == 0 ? null : await db.Set<Application>().AsNoTracking()
            .FirstOrDefaultAsync(a => a.ProgrammeId == programmeId && a.ExternalId == id, cancellationToken);
        if (person is null || person.Role != role)
        {
            errors.Add(field, $"'{id}' is not a {role.Format()} of this programme.");
            return null;
        }

        return person;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
