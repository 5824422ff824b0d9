using MentorFlow.Mentoring.Automation;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Mentoring.Services;

public sealed record PollInput(string? Name, string? Choice, IReadOnlyList<string>? Topics);

public sealed record ApplicationImportResult(int Imported);

/// <summary>Participants answering the poll and applying (form, API, CSV import).</summary>
/// <remarks>
/// A link's answer, the spent link and the flows it starts or signals (through <paramref name="automation"/>) are saved
/// in one transaction; the flows run after the commit.
/// </remarks>
public sealed class ParticipationService(IMentoringDb database, TimeProvider clock, MentoringAutomationHub? automation = null)
{
    /// <summary>Records a poll answer from a signed link (the link is used up in the same transaction).</summary>
    public async Task<PollResponse> SubmitPollAsync(LinkClaims link, PollInput input, CancellationToken cancellationToken = default)
    {
        RequirePurpose(link, LinkPurpose.Poll);
        var (choice, topics, name) = CheckPoll(input);
        await using var db = await database.CreateAsync(cancellationToken);
        var programme = await ProgrammeService.FindAsync(db, link.ProgrammeId, cancellationToken, tracking: false);
        var now = clock.GetUtcNow();
        if (programme.Phase != ProgrammePhase.Poll || now >= programme.PollClosesAt)
        {
            throw MentoringProblemException.Conflict("poll", "The poll is closed.");
        }

        var email = Vocabulary.NormalizeEmail(link.Participant);
        if (await db.Set<PollResponse>().AnyAsync(r => r.ProgrammeId == programme.Id && r.Email == email, cancellationToken))
        {
            throw MentoringProblemException.Conflict("email", "You have already answered this poll.");
        }

        if (name.Length == 0)
        {
            name = await db.Set<CommunityMember>().Where(m => m.ProgrammeId == programme.Id && m.Email == email)
                .Select(m => m.Name).FirstOrDefaultAsync(cancellationToken) ?? email;
        }

        var response = new PollResponse { Id = Guid.NewGuid(), ProgrammeId = programme.Id, Email = email, Name = name, Choice = choice, Topics = topics, SubmittedAt = now };
        db.Add(response);
        UseLink(db, link, now);
        Audit.Add(db, now, "participant:" + email, "poll.answered", programme.Id, email, choice.ToString());
        var after = await EnlistAsync(automation, db, link, new() { ["Email"] = response.Email, ["Choice"] = response.Choice.ToString() }, cancellationToken);
        await SaveAsync(db, cancellationToken);
        await after.RunAsync(cancellationToken);
        return response;
    }

    /// <summary>Checks a poll answer without saving it (400 naming the fields); returns the choice, the topics' tags and the trimmed name.</summary>
    public static (PollChoice Choice, List<string> Topics, string Name) CheckPoll(PollInput input)
    {
        var errors = new FieldErrors();
        PollChoice choice = default;
        if (string.IsNullOrWhiteSpace(input.Choice) || !Enum.TryParse(input.Choice.Trim(), ignoreCase: true, out choice) || !Enum.IsDefined(choice)
            || int.TryParse(input.Choice, out _))
        {
            errors.Add("choice", "Choose whether you would mentor, be mentored, or both.", new("Invalid.Poll.Choice"));
        }

        var topics = Vocabulary.Tags(input.Topics);
        if (topics.Count > 20 || topics.Any(t => t.Length > 60))
        {
            errors.Add("topics", "At most 20 topics of at most 60 characters each.", new("Invalid.Poll.Topics", 20, 60));
        }

        var name = input.Name?.Trim() ?? "";
        if (name.Length > 200)
        {
            errors.Add("name", "The name must be at most 200 characters.", new("Invalid.Name.TooLong", 200));
        }

        errors.ThrowIfAny();
        return (choice, topics, name);
    }

    /// <summary>An application from a signed link: the email is the link's; the link is used up.</summary>
    public async Task<Application> ApplyAsync(LinkClaims link, ApplicationInput input, CancellationToken cancellationToken = default)
    {
        RequirePurpose(link, LinkPurpose.Apply);
        await using var db = await database.CreateAsync(cancellationToken);
        var programme = await ProgrammeService.FindAsync(db, link.ProgrammeId, cancellationToken, tracking: false);
        var now = clock.GetUtcNow();
        if (programme.Phase != ProgrammePhase.Applications || now >= programme.ApplicationsCloseAt)
        {
            throw MentoringProblemException.Conflict("applications", "Applications are closed.");
        }

        var application = await AddApplicationAsync(db, programme, input with { Email = link.Participant }, now, cancellationToken);
        UseLink(db, link, now);
        Audit.Add(db, now, "participant:" + application.Email, "application.submitted", programme.Id, application.ExternalId);
        var after = await EnlistAsync(automation, db, link,
            new() { ["ApplicationId"] = application.Id.ToString("N"), ["Role"] = application.Role.Format() }, cancellationToken);
        await SaveAsync(db, cancellationToken);
        await after.RunAsync(cancellationToken);
        return application;
    }

    /// <summary>An application entered by a manager through the API.</summary>
    public async Task<Application> AddAsync(Guid programmeId, ApplicationInput input, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var programme = await ProgrammeService.FindAsync(db, programmeId, cancellationToken, tracking: false);
        RequireOpenForApplications(programme);
        var now = clock.GetUtcNow();
        var application = await AddApplicationAsync(db, programme, input, now, cancellationToken, camelCase: true);
        Audit.Add(db, now, actor, "application.added", programme.Id, application.ExternalId);
        await SaveAsync(db, cancellationToken);
        return application;
    }

    /// <summary>Imports applications.csv: every row is validated first; any error and nothing is saved.</summary>
    public async Task<ApplicationImportResult> ImportAsync(Guid programmeId, string csv, string actor, CancellationToken cancellationToken = default)
    {
        var rows = ContractRecords.Import(csv, "applications.csv", Reporting.Data.ApplicationsCsv.Schema);
        await using var db = await database.CreateAsync(cancellationToken);
        var programme = await ProgrammeService.FindAsync(db, programmeId, cancellationToken, tracking: false);
        RequireOpenForApplications(programme);
        var existing = await db.Set<Application>().Where(a => a.ProgrammeId == programmeId)
            .Select(a => new { a.Email, a.ExternalId }).ToListAsync(cancellationToken);
        var emails = existing.Select(e => e.Email).ToHashSet(StringComparer.Ordinal);
        var ids = existing.Select(e => e.ExternalId).ToHashSet(StringComparer.Ordinal);
        var errors = new FieldErrors();
        var now = clock.GetUtcNow();
        var added = new List<Application>();
        foreach (var row in rows)
        {
            var rowErrors = new FieldErrors();
            var input = ContractRecords.ApplicationInput(row, rowErrors);
            var application = ApplicationValidator.Validate(input, programme, rowErrors, () => "");
            var email = input.Email?.Trim() ?? "";
            if (Vocabulary.IsEmail(email) && !emails.Add(Vocabulary.NormalizeEmail(email)))
            {
                rowErrors.Add("email", $"{email} already has an application in this programme (one per person).");
            }

            var id = input.Id?.Trim() ?? "";
            if (id.Length == 0)
            {
                rowErrors.Add("id", "The id is required.");
            }
            else if (!ids.Add(id))
            {
                rowErrors.Add("id", $"The id '{id}' is used twice.");
            }

            if (rowErrors.Any)
            {
                errors.AddAll(rowErrors, field => $"line {row.Line}: {field}");
                continue;
            }

            application!.SubmittedAt = now;
            added.Add(application);
        }

        errors.ThrowIfAny();
        db.AddRange(added);
        Audit.Add(db, now, actor, "applications.imported", programme.Id, $"{added.Count} applications");
        await SaveAsync(db, cancellationToken);
        return new ApplicationImportResult(added.Count);
    }

    public async Task<IReadOnlyList<Application>> ListAsync(Guid programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        await ProgrammeService.FindAsync(db, programmeId, cancellationToken, tracking: false);
        var list = await db.Set<Application>().AsNoTracking().Where(a => a.ProgrammeId == programmeId).ToListAsync(cancellationToken);
        return list.OrderBy(a => a.ExternalId, StringComparer.Ordinal).ToList();
    }

    /// <summary>The programme a link belongs to (read only).</summary>
    public async Task<Programme> ProgrammeAsync(Guid programmeId, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        return await ProgrammeService.FindAsync(db, programmeId, cancellationToken, tracking: false);
    }

    /// <summary>
    /// The name the programme already has for a link's participant (their poll answer, else the community list), to
    /// fill in on the form; null when it has none.
    /// </summary>
    public async Task<string?> KnownNameAsync(LinkClaims link, CancellationToken cancellationToken = default)
    {
        var email = Vocabulary.NormalizeEmail(link.Participant);
        await using var db = await database.CreateAsync(cancellationToken);
        var answered = await db.Set<PollResponse>().AsNoTracking().Where(r => r.ProgrammeId == link.ProgrammeId && r.Email == email)
            .Select(r => r.Name).FirstOrDefaultAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(answered) && answered != email)
        {
            return answered;
        }

        return await db.Set<CommunityMember>().AsNoTracking().Where(m => m.ProgrammeId == link.ProgrammeId && m.Email == email)
            .Select(m => m.Name).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>True when a link's nonce was already used for a submission.</summary>
    public async Task<bool> IsUsedAsync(LinkClaims link, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        return await db.Set<UsedLink>().AnyAsync(l => l.Nonce == link.Nonce, cancellationToken);
    }

    internal static void RequirePurpose(LinkClaims link, LinkPurpose purpose)
    {
        if (link.Purpose != purpose)
        {
            throw MentoringProblemException.Invalid("link", $"This link is for {link.Purpose}, not {purpose}.");
        }
    }

    /// <summary>
    /// Adds to <paramref name="db"/>, before it is saved, the flows' starts and signals for a link's answer (with its
    /// payload); returns what to run after the commit.
    /// </summary>
    internal static Task<AfterCommit> EnlistAsync(
        MentoringAutomationHub? automation, DbContext db, LinkClaims link, Dictionary<string, object?> payload, CancellationToken cancellationToken) =>
        automation is null ? Task.FromResult(AfterCommit.Nothing) : automation.SubmittingAsync(db, link, payload, cancellationToken);

    /// <summary>True when the unit of work holds a flow start or signal (a failed save may be the engine's rows).</summary>
    internal static bool HasFlowWork(DbContext db) =>
        db.ChangeTracker.Entries().Any(e => e.State == EntityState.Added && e.Entity is WorkflowInstanceRecord or WorkflowInboxRecord);

    /// <summary>The answer could not be saved with its flows' work: nothing was saved and the link still works.</summary>
    internal static MentoringProblemException FlowWorkNotSaved() =>
        MentoringProblemException.Unavailable("flow", "We could not record this right now. Please try again later.");

    internal static void UseLink(DbContext db, LinkClaims link, DateTimeOffset now) =>
        db.Add(new UsedLink { Nonce = link.Nonce, Purpose = link.Purpose, UsedAt = now });

    /// <summary>Saves; a unique-index violation (a reused link, a second application) becomes a 409.</summary>
    internal static async Task SaveAsync(DbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            var link = db.ChangeTracker.Entries<UsedLink>().FirstOrDefault();
            if (link is not null && await db.Set<UsedLink>().AsNoTracking().AnyAsync(l => l.Nonce == link.Entity.Nonce, cancellationToken))
            {
                throw MentoringProblemException.Conflict("link", "This link has already been used.");
            }

            var application = db.ChangeTracker.Entries<Application>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).FirstOrDefault();
            if (application is not null && await db.Set<Application>().AsNoTracking()
                    .AnyAsync(a => a.ProgrammeId == application.ProgrammeId && a.Email == application.Email, cancellationToken))
            {
                throw MentoringProblemException.Conflict("email", $"{application.Email} has already applied to this programme (one application per person).");
            }

            if (HasFlowWork(db))
            {
                // The flows' rows were refused with the answer (e.g. another answer queued the same resume at this
                // moment): nothing was saved, so the participant can send it again.
                throw FlowWorkNotSaved();
            }

            // Never the database's own message: it names tables and constraints, and says nothing a person can act on.
            throw new MentoringProblemException(409, "Conflict",
                new Dictionary<string, string[]> { ["request"] = ["The change crossed another one saved at the same moment, so it was not saved. Reload and try again."] });
        }
    }

    private static void RequireOpenForApplications(Programme programme)
    {
        if (programme.Phase == ProgrammePhase.Closed)
        {
            throw MentoringProblemException.Conflict("phase", "Applications cannot be added to a closed programme.");
        }
    }

    private static async Task<Application> AddApplicationAsync(
        DbContext db, Programme programme, ApplicationInput input, DateTimeOffset now, CancellationToken cancellationToken, bool camelCase = false)
    {
        var errors = new FieldErrors();
        var application = ApplicationValidator.Validate(input, programme, errors, () => "p-" + Guid.NewGuid().ToString("N")[..10]);
        if (errors.Any)
        {
            var renamed = new FieldErrors();
            renamed.AddAll(errors, camelCase ? ToCamel : field => field);
            renamed.ThrowIfAny();
        }

        var email = application!.Email;
        var externalId = application.ExternalId;
        if (await db.Set<Application>().AnyAsync(a => a.ProgrammeId == programme.Id && a.Email == email, cancellationToken))
        {
            throw MentoringProblemException.Conflict("email", $"{email} has already applied to this programme (one application per person).");
        }

        if (await db.Set<Application>().AnyAsync(a => a.ProgrammeId == programme.Id && a.ExternalId == externalId, cancellationToken))
        {
            throw MentoringProblemException.Conflict("id", $"The id '{externalId}' is already used in this programme.");
        }

        application.SubmittedAt = now;
        db.Add(application);
        return application;
    }

    /// <summary><c>time_zone</c> → <c>timeZone</c> (the JSON name of an applications.csv column).</summary>
    private static string ToCamel(string column)
    {
        var parts = column.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
