using System.Data;
using System.Data.Common;
using MentorFlow.Mentoring.Automation;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using MentorFlow.Mentoring.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Mentoring.Services;

/// <summary>A candidate on the mentee's choice form (only mentors who still have room are listed).</summary>
/// <param name="MentorId">The mentor's application id.</param>
/// <param name="Name">The mentor's name.</param>
/// <param name="CareerPath">The mentor's career path tag.</param>
/// <param name="Expertise">The mentor's interest tags.</param>
/// <param name="Score">The match score for this mentee (0–1).</param>
/// <param name="Reasons">The matcher's reasons (manager pages).</param>
/// <param name="Why">Why we matched them, in plain words in the programme's language (participant pages and mails).</param>
public sealed record ChoiceCandidate(Guid MentorId, string Name, string CareerPath, IReadOnlyList<string> Expertise, double Score, string Reasons,
    IReadOnlyList<string> Why);

/// <summary>The mentee's choice as their form shows it.</summary>
public sealed record ChoiceContext(Programme Programme, Application Mentee, MentorChoice Choice, IReadOnlyList<ChoiceCandidate> Available);

/// <summary>How the deadline of an unanswered choice was handled.</summary>
public enum ChoiceFallbackOutcome
{
    /// <summary>The best-scoring candidate with room was proposed (the pair now waits for both confirmations).</summary>
    Assigned,

    /// <summary>The mentee chose in time (or the choice was closed otherwise): nothing to do.</summary>
    AlreadyClosed,

    /// <summary>No candidate had room: the mentee returns to the pool.</summary>
    NoneAvailable,
}

public sealed record ChoiceFallback(ChoiceFallbackOutcome Outcome, MentorChoice Choice, Pair? Pair);

/// <summary>
/// Mentees choosing among their top mentor candidates (programmes with <see cref="Programme.MenteeChoosesFromTopThree"/>):
/// the pick by signed link, and the fallback to the best-scoring candidate with room when the mentee does not choose in
/// time. Both run in a serializable transaction that counts the mentor's committed pairs, so two mentees taking the
/// last place of a mentor at once never exceed the mentor's capacity: the second is told the mentor is full.
/// </summary>
/// <remarks>
/// The pick, the spent link, the <c>MentorChosen</c> signal and the chosen pair's introductions (through
/// <paramref name="automation"/>) are saved in one transaction; the flows run after the commit.
/// </remarks>
public sealed class MentorChoiceService(IMentoringDb database, TimeProvider clock, MentoringAutomationHub? automation = null)
{
    private const int Attempts = 5;

    /// <summary>The subject of a choice link.</summary>
    public static string ChoiceRef(Guid choiceId) => choiceId.ToString("N");

    /// <summary>The choice a link is about, with the candidates that still have room.</summary>
    public async Task<ChoiceContext> LoadAsync(LinkClaims link, CancellationToken cancellationToken = default)
    {
        ParticipationService.RequirePurpose(link, LinkPurpose.ChooseMentor);
        await using var db = await database.CreateAsync(cancellationToken);
        var choice = await FindAsync(db, link, tracking: false, cancellationToken);
        return await ContextAsync(db, choice, cancellationToken);
    }

    /// <summary>
    /// The mentee picks a mentor: the pair is approved with the mentee's confirmation and waits for the mentor's. A
    /// mentor who became full is refused with a 409 naming <c>mentor</c> (the link stays usable to choose again).
    /// </summary>
    public async Task<Pair> ChooseAsync(LinkClaims link, string? mentor, CancellationToken cancellationToken = default)
    {
        ParticipationService.RequirePurpose(link, LinkPurpose.ChooseMentor);
        if (!Guid.TryParseExact(mentor?.Trim(), "N", out var mentorId))
        {
            throw MentoringProblemException.Invalid("mentor", "Choose one of the proposed mentors.", new("Invalid.Mentor"));
        }

        var (chosen, after) = await SerializableAsync(async db =>
        {
            var choice = await FindAsync(db, link, tracking: true, cancellationToken);
            var now = clock.GetUtcNow();
            if (choice.Status != MentorChoiceStatus.Open)
            {
                throw MentoringProblemException.Conflict("choice", choice.Status == MentorChoiceStatus.Chosen
                    ? "You have already chosen your mentor."
                    : "The time to choose has passed: the programme organizer has been in touch about your match.");
            }

            if (now >= choice.ChooseBy)
            {
                throw MentoringProblemException.Conflict("choice", "The time to choose has passed.");
            }

            var candidate = choice.Candidates.FirstOrDefault(c => c.MentorId == mentorId)
                ?? throw MentoringProblemException.Invalid("mentor", "Choose one of the proposed mentors.", new("Invalid.Mentor"));
            var application = await db.Set<Application>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == mentorId, cancellationToken);
            if (application is null || application.ErasedAt is not null || !await HasRoomAsync(db, application, cancellationToken))
            {
                throw MentoringProblemException.Conflict("mentor",
                    $"{application?.Name ?? "That mentor"} has just been chosen by other mentees and has no room left. Please choose again.");
            }

            var pair = NewPair(choice, candidate, now);
            pair.MenteeConfirmedAt = now;
            db.Add(pair);
            choice.Status = MentorChoiceStatus.Chosen;
            choice.PairId = pair.Id;
            choice.ClosedAt = now;
            ParticipationService.UseLink(db, link, now);
            var mentee = await db.Set<Application>().AsNoTracking().FirstAsync(a => a.Id == choice.MenteeId, cancellationToken);
            Audit.Add(db, now, "participant:" + mentee.ExternalId, "choice.made", choice.ProgrammeId, PartnershipService.PairRef(pair.Id),
                $"{application.ExternalId}, score {candidate.Score.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            var after = await ParticipationService.EnlistAsync(automation, db, link,
                new() { ["ChoiceId"] = choice.Id.ToString(), ["PairId"] = pair.Id.ToString() }, cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (!IsSerializationFailure(exception))
            {
                // The link's nonce (pair ids are new), or the flows' rows refused with the pick. The transaction is
                // aborted, so a fresh unit of work looks.
                await using var check = await database.CreateAsync(cancellationToken);
                throw !ParticipationService.HasFlowWork(db) || await check.Set<UsedLink>().AnyAsync(l => l.Nonce == link.Nonce, cancellationToken)
                    ? MentoringProblemException.Conflict("link", "This link has already been used.")
                    : ParticipationService.FlowWorkNotSaved();
            }

            return (pair, after);
        }, cancellationToken);
        await after.RunAsync(cancellationToken);
        return chosen;
    }

    /// <summary>
    /// The deadline of a choice passed: when the mentee has not chosen, the best-scoring candidate with room is
    /// proposed (an approved pair waiting for both confirmations, as without the choice); when none has room the choice
    /// lapses and the mentee returns to the pool. Idempotent: a second call returns the first call's outcome.
    /// </summary>
    public async Task<ChoiceFallback> FallBackAsync(Guid choiceId, string actor, CancellationToken cancellationToken = default) =>
        await SerializableAsync(async db =>
        {
            var choice = await db.Set<MentorChoice>().FirstOrDefaultAsync(c => c.Id == choiceId, cancellationToken)
                ?? throw MentoringProblemException.NotFound("choiceId", $"There is no mentor choice {choiceId}.");
            switch (choice.Status)
            {
                case MentorChoiceStatus.Defaulted:
                    return new ChoiceFallback(ChoiceFallbackOutcome.Assigned, choice,
                        await db.Set<Pair>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == choice.PairId, cancellationToken));
                case MentorChoiceStatus.Lapsed:
                    return new ChoiceFallback(ChoiceFallbackOutcome.NoneAvailable, choice, null);
                case MentorChoiceStatus.Chosen:
                    return new ChoiceFallback(ChoiceFallbackOutcome.AlreadyClosed, choice, null);
            }

            var now = clock.GetUtcNow();
            var forbidden = await db.Set<MatchConstraint>().AsNoTracking()
                .Where(c => c.ProgrammeId == choice.ProgrammeId && c.MenteeId == choice.MenteeId && c.Kind == MatchConstraintKind.Forbid)
                .Select(c => c.MentorId).ToListAsync(cancellationToken);
            Pair? pair = null;
            foreach (var candidate in choice.Candidates.OrderByDescending(c => c.Score))
            {
                var mentor = await db.Set<Application>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == candidate.MentorId, cancellationToken);
                if (mentor is { ErasedAt: null } && !forbidden.Contains(mentor.Id) && await HasRoomAsync(db, mentor, cancellationToken))
                {
                    pair = NewPair(choice, candidate, now);
                    db.Add(pair);
                    Audit.Add(db, now, actor, "choice.defaulted", choice.ProgrammeId, PartnershipService.PairRef(pair.Id),
                        $"no choice by {choice.ChooseBy:O}: best candidate {mentor.ExternalId} proposed");
                    break;
                }
            }

            choice.Status = pair is null ? MentorChoiceStatus.Lapsed : MentorChoiceStatus.Defaulted;
            choice.PairId = pair?.Id;
            choice.ClosedAt = now;
            if (pair is null)
            {
                Audit.Add(db, now, actor, "choice.lapsed", choice.ProgrammeId, ChoiceRef(choice.Id), "no candidate has room: back in the pool");
            }

            await db.SaveChangesAsync(cancellationToken);
            return new ChoiceFallback(pair is null ? ChoiceFallbackOutcome.NoneAvailable : ChoiceFallbackOutcome.Assigned, choice, pair);
        }, cancellationToken);

    /// <summary>The choice with its programme and mentee, and the candidates that still have room (for mails and forms).</summary>
    public async Task<ChoiceContext> GetAsync(Guid choiceId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var choice = await db.Set<MentorChoice>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == choiceId, cancellationToken)
            ?? throw MentoringProblemException.NotFound("choiceId", $"There is no mentor choice {choiceId}.");
        return await ContextAsync(db, choice, cancellationToken);
    }

    private static Pair NewPair(MentorChoice choice, MentorCandidate candidate, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        ProgrammeId = choice.ProgrammeId,
        MentorId = candidate.MentorId,
        MenteeId = choice.MenteeId,
        Score = candidate.Score,
        Reasons = candidate.Reasons,
        Status = PairStatus.Approved,
        ApprovedAt = now,
    };

    private static async Task<bool> HasRoomAsync(DbContext db, Application mentor, CancellationToken cancellationToken) =>
        await db.Set<Pair>().CountAsync(
            p => p.MentorId == mentor.Id && (p.Status == PairStatus.Approved || p.Status == PairStatus.Active), cancellationToken) < (mentor.Capacity ?? 1);

    private static async Task<ChoiceContext> ContextAsync(DbContext db, MentorChoice choice, CancellationToken cancellationToken)
    {
        var programme = await ProgrammeService.FindAsync(db, choice.ProgrammeId, cancellationToken, tracking: false);
        var ids = choice.Candidates.Select(c => c.MentorId).Append(choice.MenteeId).ToList();
        var people = await db.Set<Application>().AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var available = new List<ChoiceCandidate>();
        var words = ParticipantWords.For(programme.Language);
        foreach (var candidate in choice.Candidates)
        {
            if (people.TryGetValue(candidate.MentorId, out var mentor) && mentor.ErasedAt is null && await HasRoomAsync(db, mentor, cancellationToken))
            {
                available.Add(new ChoiceCandidate(mentor.Id, mentor.Name, mentor.CareerPath, mentor.Expertise, candidate.Score, candidate.Reasons,
                    words.WhyMatched(mentor, people[choice.MenteeId])));
            }
        }

        return new ChoiceContext(programme, people[choice.MenteeId], choice, available);
    }

    private static async Task<MentorChoice> FindAsync(DbContext db, LinkClaims link, bool tracking, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(link.Subject, "N", out var choiceId) || !Guid.TryParseExact(link.Participant, "N", out var menteeId))
        {
            throw MentoringProblemException.Invalid("link", "This link does not name a choice of mentor.");
        }

        var choices = tracking ? db.Set<MentorChoice>() : db.Set<MentorChoice>().AsNoTracking();
        var choice = await choices.FirstOrDefaultAsync(c => c.Id == choiceId && c.ProgrammeId == link.ProgrammeId, cancellationToken)
            ?? throw MentoringProblemException.NotFound("choice", "This choice of mentor no longer exists.");
        return choice.MenteeId == menteeId ? choice : throw MentoringProblemException.Invalid("link", "This link is not for this mentee.");
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a serializable transaction (SQLite: one writer at a time; PostgreSQL: a
    /// conflicting concurrent transaction fails with 40001), retrying a serialization failure with a fresh unit of work.
    /// </summary>
    private async Task<T> SerializableAsync<T>(Func<DbContext, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await database.CreateAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
            try
            {
                var result = await work(db);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (Exception exception) when (IsSerializationFailure(exception))
            {
                // Nothing to roll back by hand: a failed commit has already ended the transaction (PostgreSQL), and
                // disposing an unfinished one rolls it back. The next attempt starts afresh.
                if (attempt >= Attempts)
                {
                    throw MentoringProblemException.Conflict("mentor", "Many people are choosing at this moment; please submit your choice again.");
                }
            }
        }
    }

    private static bool IsSerializationFailure(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is DbException { SqlState: "40001" or "40P01" })
            {
                return true;
            }
        }

        return false;
    }
}
