using System.Security.Cryptography;
using System.Text;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Mentoring.Services;

/// <summary>Everything MentorFlow holds about one person (by email), across programmes.</summary>
public sealed record ParticipantExport(
    string Email,
    DateTimeOffset ExportedAt,
    IReadOnlyList<CommunityMember> CommunityMemberships,
    IReadOnlyList<PollResponse> PollResponses,
    IReadOnlyList<Application> Applications,
    IReadOnlyList<Pair> Pairs,
    IReadOnlyList<Goal> Goals,
    IReadOnlyList<SurveyResponse> SurveyResponses,
    IReadOnlyList<Testimonial> Testimonials,
    IReadOnlyList<AuditEntry> AuditEntries,
    IReadOnlyList<MentorChoice> MentorChoices);

/// <summary>What an erasure did; the closed pairs' flows are told so they cancel the pair's invites.</summary>
public sealed record ErasureResult(string Subject, int Applications, int PollResponses, int CommunityMemberships, int Testimonials, IReadOnlyList<Pair> ClosedPairs);

/// <summary>Privacy requests: export everything about a participant, or erase them (both audited).</summary>
public sealed class PrivacyService(IMentoringDb database, TimeProvider clock)
{
    /// <summary>The pseudonym used in audit entries about an erased person (a hash, not the address).</summary>
    public static string Pseudonym(string email) =>
        "person:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Vocabulary.NormalizeEmail(email))))[..16];

    public async Task<ParticipantExport> ExportAsync(string email, string actor, CancellationToken cancellationToken = default)
    {
        RequireEmail(email);
        email = Vocabulary.NormalizeEmail(email);
        await using var db = await database.CreateAsync(cancellationToken);
        var members = await db.Set<CommunityMember>().AsNoTracking().Where(m => m.Email == email).ToListAsync(cancellationToken);
        var poll = await db.Set<PollResponse>().AsNoTracking().Where(r => r.Email == email).ToListAsync(cancellationToken);
        var applications = await db.Set<Application>().AsNoTracking().Where(a => a.Email == email).ToListAsync(cancellationToken);
        if (members.Count + poll.Count + applications.Count == 0)
        {
            throw MentoringProblemException.NotFound("email", "MentorFlow holds no data about this address.");
        }

        var ids = applications.Select(a => a.Id).ToList();
        var pairs = await db.Set<Pair>().AsNoTracking().Where(p => ids.Contains(p.MentorId) || ids.Contains(p.MenteeId)).ToListAsync(cancellationToken);
        var pairIds = pairs.Select(p => p.Id).ToList();
        var goals = await db.Set<Goal>().AsNoTracking().Where(g => pairIds.Contains(g.PairId)).ToListAsync(cancellationToken);
        var surveys = await db.Set<SurveyResponse>().AsNoTracking().Where(s => ids.Contains(s.ParticipantId)).ToListAsync(cancellationToken);
        var testimonials = await db.Set<Testimonial>().AsNoTracking().Where(t => ids.Contains(t.ParticipantId)).ToListAsync(cancellationToken);
        var choices = await db.Set<MentorChoice>().AsNoTracking().Where(c => ids.Contains(c.MenteeId)).ToListAsync(cancellationToken);
        var actors = applications.Select(a => "participant:" + a.ExternalId).Append("participant:" + email).ToList();
        var audit = await db.Set<AuditEntry>().AsNoTracking()
            .Where(e => actors.Contains(e.Actor) || e.Subject == email).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        Audit.Add(db, now, actor, "privacy.exported", null, Pseudonym(email));
        await db.SaveChangesAsync(cancellationToken);
        return new ParticipantExport(email, now, members, poll, applications, pairs, goals, surveys, testimonials,
            audit.OrderBy(e => e.Id).ToList(), choices);
    }

    /// <summary>
    /// Erases a person: poll answers, community memberships and testimonials deleted; applications anonymised (kept
    /// for the programme's counts); survey comments removed; running pairs closed early. One transaction.
    /// </summary>
    public async Task<ErasureResult> EraseAsync(string email, string actor, CancellationToken cancellationToken = default)
    {
        RequireEmail(email);
        email = Vocabulary.NormalizeEmail(email);
        var pseudonym = Pseudonym(email);
        await using var db = await database.CreateAsync(cancellationToken);
        var members = await db.Set<CommunityMember>().Where(m => m.Email == email).ToListAsync(cancellationToken);
        var poll = await db.Set<PollResponse>().Where(r => r.Email == email).ToListAsync(cancellationToken);
        var applications = await db.Set<Application>().Where(a => a.Email == email).ToListAsync(cancellationToken);
        if (members.Count + poll.Count + applications.Count == 0)
        {
            throw MentoringProblemException.NotFound("email", "MentorFlow holds no data about this address.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var ids = applications.Select(a => a.Id).ToList();
        var testimonials = await db.Set<Testimonial>().Where(t => ids.Contains(t.ParticipantId)).ToListAsync(cancellationToken);
        var surveys = await db.Set<SurveyResponse>().Where(s => ids.Contains(s.ParticipantId)).ToListAsync(cancellationToken);
        var pairs = await db.Set<Pair>()
            .Where(p => (ids.Contains(p.MentorId) || ids.Contains(p.MenteeId))
                && (p.Status == PairStatus.Active || p.Status == PairStatus.Approved || p.Status == PairStatus.Proposed))
            .ToListAsync(cancellationToken);
        var programmes = await db.Set<Programme>().AsNoTracking().Where(p => applications.Select(a => a.ProgrammeId).Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, cancellationToken);
        var closed = new List<Pair>();
        foreach (var pair in pairs)
        {
            if (pair.Status == PairStatus.Active)
            {
                pair.Status = PairStatus.ClosedEarly;
                pair.EndedOn = PartnershipService.Today(programmes[pair.ProgrammeId], now);
                closed.Add(pair);
            }
            else
            {
                pair.Status = PairStatus.Declined;
            }
        }

        var applicationIds = applications.Select(a => a.Id).ToList();
        foreach (var choice in await db.Set<MentorChoice>().Where(c => applicationIds.Contains(c.MenteeId) && c.Status == MentorChoiceStatus.Open)
                     .ToListAsync(cancellationToken))
        {
            choice.Status = MentorChoiceStatus.Lapsed;
            choice.ClosedAt = now;
        }

        foreach (var application in applications)
        {
            var actorName = "participant:" + application.ExternalId;
            await db.Set<AuditEntry>().Where(e => e.Actor == actorName).ExecuteUpdateAsync(s => s.SetProperty(e => e.Actor, pseudonym), cancellationToken);
            application.Name = "(erased)";
            application.Email = $"erased-{application.Id:N}@erased.invalid";
            application.Statement = "";
            application.ErasedAt = now;
        }

        foreach (var survey in surveys)
        {
            survey.Comment = "";
        }

        db.RemoveRange(members);
        db.RemoveRange(poll);
        db.RemoveRange(testimonials);
        await db.Set<AuditEntry>().Where(e => e.Actor == "participant:" + email)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Actor, pseudonym), cancellationToken);
        await db.Set<AuditEntry>().Where(e => e.Subject == email)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Subject, pseudonym), cancellationToken);
        Audit.Add(db, now, actor, "privacy.erased", null, pseudonym,
            $"{applications.Count} applications anonymised, {poll.Count} poll answers, {members.Count} memberships and {testimonials.Count} testimonials deleted, {closed.Count} pairs closed");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ErasureResult(pseudonym, applications.Count, poll.Count, members.Count, testimonials.Count, closed);
    }

    private static void RequireEmail(string email)
    {
        if (!Vocabulary.IsEmail(email?.Trim()))
        {
            throw MentoringProblemException.Invalid("email", $"'{email}' is not a valid email address.");
        }
    }
}
