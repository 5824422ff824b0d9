using System.Security.Cryptography;
using System.Text;
using MentorFlow.Graph.Outbox;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Workflows.Persistence;
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
    IReadOnlyList<MentorChoice> MentorChoices)
{
    /// <summary>Mail and invites to or about the person in the Graph outbox (sent, waiting or failed), with their content.</summary>
    public IReadOnlyList<ExportedMessage> Messages { get; init; } = [];

    /// <summary>The workflow instances about the person: their pairs' and choices' flows and any flow that mentions them.</summary>
    public IReadOnlyList<ExportedFlow> Flows { get; init; } = [];
}

/// <summary>An outbox row about a person: what was (or is to be) sent, from which mailbox, and its state.</summary>
public sealed record ExportedMessage(
    Guid Id, string Kind, string Status, string Mailbox, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, System.Text.Json.Nodes.JsonNode? Request);

/// <summary>A workflow instance about a person, with its state (variables, outputs, waits) as stored.</summary>
public sealed record ExportedFlow(
    string InstanceId, string DefinitionId, string? CorrelationId, string Status, string SubStatus, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt,
    System.Text.Json.Nodes.JsonNode? State);

/// <summary>
/// What an erasure did. <see cref="ClosedPairs"/> were running and closed early; their flows (and every other flow of
/// the person's pairs and mentor choices, <see cref="FlowsCancelled"/>) were cancelled in the same transaction.
/// </summary>
public sealed record ErasureResult(string Subject, int Applications, int PollResponses, int CommunityMemberships, int Testimonials, IReadOnlyList<Pair> ClosedPairs)
{
    public int FlowsCancelled { get; init; }

    /// <summary>Instances whose state, journal and incidents were cleared or scrubbed.</summary>
    public int FlowsScrubbed { get; init; }

    public int MessagesCancelled { get; init; }

    public int MessagesRedacted { get; init; }

    /// <summary>Unsent mail and invites that still go to their other recipients, without the person.</summary>
    public int RecipientRemoved { get; init; }

    /// <summary>Cancellations queued for invites the person's stopped flows had sent.</summary>
    public int InvitesCancelled { get; init; }

    /// <summary>Mail and events forgotten or edited in the embedded Graph sandbox (after the commit).</summary>
    public int SandboxItems { get; init; }
}

/// <summary>
/// Privacy requests: export everything about a participant, or erase them (both audited). The workflow engine's and
/// the Graph outbox's tables are included when the deployment's context holds them (the server's does).
/// </summary>
public sealed class PrivacyService(IMentoringDb database, TimeProvider clock, GraphSandbox? sandbox = null)
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
        var person = Person.Of(email, members, poll, applications, testimonials.Select(t => t.Text), surveys.Select(s => s.Comment));
        var correlations = pairIds.Select(p => p.ToString()).Concat(choices.Select(c => c.Id.ToString())).ToList();
        var flows = await FlowsAsync(db, correlations, person.Redaction, cancellationToken);
        var messages = await MessagesAsync(db, person.Redaction, cancellationToken);
        var now = clock.GetUtcNow();
        Audit.Add(db, now, actor, "privacy.exported", null, Pseudonym(email));
        await db.SaveChangesAsync(cancellationToken);
        return new ParticipantExport(email, now, members, poll, applications, pairs, goals, surveys, testimonials,
            audit.OrderBy(e => e.Id).ToList(), choices)
        {
            Messages = messages,
            Flows = flows,
        };
    }

    /// <summary>
    /// Erases a person, in one transaction: community memberships deleted; poll answers and applications kept for
    /// the programme's counts but anonymised (name and address replaced, statement blanked, interests, goals, career
    /// path and expertise reduced to the <c>erased</c> tag); testimonial texts, survey comments, their pairs' goals
    /// and match reasons and the mentor-choice reasons about them blanked (ratings and outcomes kept); running pairs
    /// closed early, proposed or approved ones declined, open mentor choices lapsed and the person withdrawn from
    /// other mentees' open choices; audit entries pseudonymised. The flows of their pairs and choices are cancelled
    /// and cleared, other flows that mention them scrubbed; unsent mail to them cancelled and every outbox row about
    /// them redacted (see <see cref="WorkflowErasure"/> and <see cref="GraphOutboxRedaction"/>). After the commit the
    /// embedded Graph sandbox forgets them.
    /// </summary>
    public async Task<ErasureResult> EraseAsync(string email, string actor, CancellationToken cancellationToken = default)
    {
        RequireEmail(email);
        email = Vocabulary.NormalizeEmail(email);
        var pseudonym = Pseudonym(email);
        await using var db = await database.CreateAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var members = await db.Set<CommunityMember>().Where(m => m.Email == email).ToListAsync(cancellationToken);
        var poll = await db.Set<PollResponse>().Where(r => r.Email == email).ToListAsync(cancellationToken);
        var applications = await db.Set<Application>().Where(a => a.Email == email).ToListAsync(cancellationToken);
        if (members.Count + poll.Count + applications.Count == 0)
        {
            throw MentoringProblemException.NotFound("email", "MentorFlow holds no data about this address.");
        }

        var now = clock.GetUtcNow();
        var ids = applications.Select(a => a.Id).ToList();
        var programmeIds = applications.Select(a => a.ProgrammeId).Concat(poll.Select(p => p.ProgrammeId)).Concat(members.Select(m => m.ProgrammeId))
            .Distinct().ToList();
        var testimonials = await db.Set<Testimonial>().Where(t => ids.Contains(t.ParticipantId)).ToListAsync(cancellationToken);
        var surveys = await db.Set<SurveyResponse>().Where(s => ids.Contains(s.ParticipantId)).ToListAsync(cancellationToken);
        var pairs = await db.Set<Pair>().Where(p => ids.Contains(p.MentorId) || ids.Contains(p.MenteeId)).ToListAsync(cancellationToken);
        var pairIds = pairs.Select(p => p.Id).ToList();
        var goals = await db.Set<Goal>().Where(g => pairIds.Contains(g.PairId)).ToListAsync(cancellationToken);
        var choices = await db.Set<MentorChoice>().Where(c => programmeIds.Contains(c.ProgrammeId)).ToListAsync(cancellationToken);
        var ownChoices = choices.Where(c => ids.Contains(c.MenteeId)).ToList();
        var programmes = await db.Set<Programme>().AsNoTracking().Where(p => programmeIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var person = Person.Of(email, members, poll, applications, testimonials.Select(t => t.Text), surveys.Select(s => s.Comment));
        var redaction = person.Redaction;

        var closed = new List<Pair>();
        foreach (var pair in pairs)
        {
            switch (pair.Status)
            {
                case PairStatus.Active:
                    pair.Status = PairStatus.ClosedEarly;
                    pair.EndedOn = PartnershipService.Today(programmes[pair.ProgrammeId], now);
                    closed.Add(pair);
                    break;
                case PairStatus.Approved or PairStatus.Proposed:
                    pair.Status = PairStatus.Declined;
                    break;
            }

            pair.Reasons = "";
        }

        foreach (var goal in goals)
        {
            goal.Text = Redaction.Marker;
        }

        foreach (var choice in choices)
        {
            if (ownChoices.Contains(choice))
            {
                if (choice.Status == MentorChoiceStatus.Open)
                {
                    choice.Status = MentorChoiceStatus.Lapsed;
                    choice.ClosedAt = now;
                }

                choice.Candidates = [.. choice.Candidates.Select(c => c with { Reasons = "" })];
            }
            else if (choice.Candidates.Any(c => ids.Contains(c.MentorId)))
            {
                // An open choice no longer offers the erased mentor; a closed one keeps the candidate without reasons.
                choice.Candidates = choice.Status == MentorChoiceStatus.Open
                    ? [.. choice.Candidates.Where(c => !ids.Contains(c.MentorId))]
                    : [.. choice.Candidates.Select(c => ids.Contains(c.MentorId) ? c with { Reasons = "" } : c)];
            }
        }

        foreach (var application in applications)
        {
            var actorName = "participant:" + application.ExternalId;
            await db.Set<AuditEntry>().Where(e => e.Actor == actorName).ExecuteUpdateAsync(s => s.SetProperty(e => e.Actor, pseudonym), cancellationToken);
            application.Name = Redaction.Marker;
            application.Email = $"erased-{application.Id:N}@erased.invalid";
            application.Statement = "";
            application.Interests = [ErasedTag];
            application.Goals = [ErasedTag];
            application.Expertise = [];
            application.CareerPath = ErasedTag;
            application.ErasedAt = now;
        }

        foreach (var response in poll)
        {
            response.Name = Redaction.Marker;
            response.Email = $"erased-{response.Id:N}@erased.invalid";
            response.Topics = [];
        }

        foreach (var survey in surveys)
        {
            survey.Comment = "";
        }

        foreach (var testimonial in testimonials)
        {
            testimonial.Text = Redaction.Marker;
            testimonial.Consent = false;
        }

        db.RemoveRange(members);
        await db.Set<AuditEntry>().Where(e => e.Actor == "participant:" + email)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Actor, pseudonym), cancellationToken);
        await db.Set<AuditEntry>().Where(e => e.Subject == email)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Subject, pseudonym), cancellationToken);
        if (!redaction.IsEmpty)
        {
            foreach (var entry in await db.Set<AuditEntry>().Where(redaction.MentionedInAny<AuditEntry>(e => e.Subject, e => e.Details, e => e.Actor))
                         .ToListAsync(cancellationToken))
            {
                entry.Actor = redaction.Scrub(entry.Actor)!;
                entry.Subject = redaction.Scrub(entry.Subject)!;
                entry.Details = redaction.Scrub(entry.Details)!;
            }

            foreach (var run in await db.Set<MatchingRun>().Where(r => programmeIds.Contains(r.ProgrammeId))
                         .Where(redaction.MentionedInAny<MatchingRun>(r => r.UnmatchedJson, r => r.ShortageJson)).ToListAsync(cancellationToken))
            {
                run.UnmatchedJson = redaction.ScrubJson(run.UnmatchedJson)!;
                run.ShortageJson = redaction.ScrubJson(run.ShortageJson)!;
            }
        }

        await db.SaveChangesAsync(cancellationToken);

        var correlations = pairIds.Select(p => p.ToString()).Concat(ownChoices.Select(c => c.Id.ToString())).ToList();
        var flows = Holds<WorkflowInstanceRecord>(db)
            ? await WorkflowErasure.EraseAsync(db, correlations, redaction, now, cancellationToken)
            : new WorkflowErasureResult([], [], []);
        var outbox = Holds<GraphOutboxMessage>(db)
            ? await GraphOutboxRedaction.RedactAsync(db, redaction, [email], flows.Cancelled, pseudonym, now, cancellationToken)
            : new OutboxRedactionResult(0, 0, 0, 0);

        Audit.Add(db, now, actor, "privacy.erased", null, pseudonym,
            $"{applications.Count} applications and {poll.Count} poll answers anonymised, {members.Count} memberships deleted, {testimonials.Count} testimonials blanked, "
            + $"{closed.Count} pairs closed, {flows.Cancelled.Count} flows cancelled, {flows.Cleared.Count + flows.Scrubbed.Count} flows scrubbed, "
            + $"{outbox.Cancelled} messages cancelled, {outbox.Redacted} messages redacted");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // The sandbox's mail and events live in the same database: forgotten before the checkpoint, so the erased
        // values leave SQLite's write-ahead log too.
        var forgotten = sandbox is null ? null : await sandbox.ForgetAsync([email], redaction, cancellationToken);
        await CheckpointAsync(db, cancellationToken);
        return new ErasureResult(pseudonym, applications.Count, poll.Count, members.Count, testimonials.Count, closed)
        {
            FlowsCancelled = flows.Cancelled.Count,
            FlowsScrubbed = flows.Cleared.Count + flows.Scrubbed.Count,
            MessagesCancelled = outbox.Cancelled,
            MessagesRedacted = outbox.Redacted,
            RecipientRemoved = outbox.RecipientRemoved,
            InvitesCancelled = outbox.EventsCancelled,
            SandboxItems = forgotten is null ? 0 : forgotten.MessagesRemoved + forgotten.MessagesEdited + forgotten.EventsRemoved + forgotten.EventsEdited,
        };
    }

    /// <summary>The tag that replaces an erased person's interests, goals and career path (kept so the row stays a valid application).</summary>
    public const string ErasedTag = "erased";

    /// <summary>
    /// On SQLite (WAL mode) the pages as they were before the erase stay in the write-ahead log until a checkpoint:
    /// copy the log into the database and truncate it, so the file no longer holds the erased values (deleted content
    /// is zeroed by <c>secure_delete</c>). Best effort: a reader still holding an old snapshot delays it to the next
    /// checkpoint. Other providers are left as they are.
    /// </summary>
    private static async Task CheckpointAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
        }
    }

    private static bool Holds<T>(DbContext db) => db.Model.FindEntityType(typeof(T)) is not null;

    private static async Task<IReadOnlyList<ExportedFlow>> FlowsAsync(DbContext db, IReadOnlyList<string> correlations, Redaction redaction, CancellationToken cancellationToken)
    {
        if (!Holds<WorkflowInstanceRecord>(db))
        {
            return [];
        }

        var instances = db.Set<WorkflowInstanceRecord>().AsNoTracking();
        var rows = await instances.Where(i => i.CorrelationId != null && correlations.Contains(i.CorrelationId))
            .Union(instances.Where(redaction.MentionedIn<WorkflowInstanceRecord>(i => i.State)))
            .OrderBy(i => i.CreatedAt)
            .Take(MaxExported)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(i => new ExportedFlow(i.Id, i.DefinitionId, i.CorrelationId, i.Status, i.SubStatus, i.CreatedAt, i.FinishedAt, ParseJson(i.State)))];
    }

    private static async Task<IReadOnlyList<ExportedMessage>> MessagesAsync(DbContext db, Redaction redaction, CancellationToken cancellationToken)
    {
        if (!Holds<GraphOutboxMessage>(db) || redaction.IsEmpty)
        {
            return [];
        }

        var rows = await db.Set<GraphOutboxMessage>().AsNoTracking().Where(redaction.MentionedIn<GraphOutboxMessage>(m => m.Payload))
            .OrderBy(m => m.CreatedAt).Take(MaxExported).ToListAsync(cancellationToken);
        return [.. rows.Where(m => redaction.Mentions(m.Payload))
            .Select(m => new ExportedMessage(m.Id, m.Kind.ToString(), m.Status.ToString(), m.Mailbox, m.CreatedAt, m.SentAt, ParseJson(m.Payload)))];
    }

    /// <summary>Most flows and most messages an export lists (a person's programme makes a few dozen of each).</summary>
    public const int MaxExported = 5_000;

    private static System.Text.Json.Nodes.JsonNode? ParseJson(string json)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return System.Text.Json.Nodes.JsonValue.Create(json);
        }
    }

    /// <summary>
    /// The person's values to find and replace elsewhere: the address becomes the pseudonym; names, statement,
    /// testimonials and survey comments the marker. Texts shared with a partner (goals, match reasons) are blanked
    /// where they are stored but not searched for, as other pairs may share the same words.
    /// </summary>
    private sealed record Person(Redaction Redaction)
    {
        public static Person Of(
            string email, IEnumerable<CommunityMember> members, IEnumerable<PollResponse> poll, IEnumerable<Application> applications,
            IEnumerable<string> testimonials, IEnumerable<string> comments)
        {
            var values = new List<KeyValuePair<string, string>> { new(email, Pseudonym(email)) };
            var texts = members.Select(m => m.Name).Concat(poll.Select(p => p.Name)).Concat(applications.Select(a => a.Name))
                .Concat(applications.Select(a => a.Statement)).Concat(testimonials).Concat(comments);
            values.AddRange(texts.Where(t => !string.IsNullOrWhiteSpace(t) && t != Redaction.Marker).Select(t => new KeyValuePair<string, string>(t, Redaction.Marker)));
            return new Person(new Redaction(values));
        }
    }

    private static void RequireEmail(string email)
    {
        if (!Vocabulary.IsEmail(email?.Trim()))
        {
            throw MentoringProblemException.Invalid("email", $"'{email}' is not a valid email address.");
        }
    }
}
