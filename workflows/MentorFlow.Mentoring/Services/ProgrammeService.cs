using MentorFlow.Mentoring.Automation;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Mentoring.Services;

public sealed record ResourceInput(string? Title, string? Url);

/// <summary>A programme as created or edited by a manager (all fields; JSON camelCase on the API).</summary>
public sealed record ProgrammeInput
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? OrganizerMailbox { get; init; }
    public string? TimeZone { get; init; }
    public string? Language { get; init; }
    public IReadOnlyList<ResourceInput>? Resources { get; init; }
    public IReadOnlyList<string>? LengthOptions { get; init; }
    public int? TargetMenteesPerMentor { get; init; }
    public DateTimeOffset? PollClosesAt { get; init; }
    public DateTimeOffset? ApplicationsCloseAt { get; init; }
    public DateTimeOffset? RecruitmentEndsAt { get; init; }
    public int? RecruitmentMinSeniorityYears { get; init; }
    public string? DefaultMeetingFrequency { get; init; }
    public string? DefaultCommunication { get; init; }
    public int? ConfirmationDays { get; init; }
    public int? KickOffDays { get; init; }
    public bool? MenteeChoosesFromTopThree { get; init; }
}

public sealed record MemberImportResult(int Added, int Updated, int Total);

/// <summary>Poll results at (or before) close: counts, the ratio against the target, and the mentor shortage.</summary>
public sealed record PollResults(
    int Responses,
    int Mentors,
    int Mentees,
    int Both,
    int TargetMenteesPerMentor,
    double MenteesPerMentor,
    bool MentorShortage,
    int MentorsMissing,
    int CommunityMembers,
    bool Closed);

/// <summary>Programmes: create, edit, move through the lifecycle, import the community list, read the poll.</summary>
public sealed class ProgrammeService(IMentoringDb database, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Languages = ["en", "es"];

    private static readonly Dictionary<ProgrammePhase, ProgrammePhase[]> Transitions = new()
    {
        [ProgrammePhase.Draft] = [ProgrammePhase.Poll, ProgrammePhase.Applications, ProgrammePhase.Closed],
        [ProgrammePhase.Poll] = [ProgrammePhase.Applications, ProgrammePhase.Closed],
        [ProgrammePhase.Applications] = [ProgrammePhase.Matching, ProgrammePhase.Closed],
        [ProgrammePhase.Matching] = [ProgrammePhase.Running, ProgrammePhase.Applications, ProgrammePhase.Closed],
        [ProgrammePhase.Running] = [ProgrammePhase.Closed],
        [ProgrammePhase.Closed] = [],
    };

    public async Task<Programme> CreateAsync(ProgrammeInput input, string actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var programme = new Programme
        {
            Id = Guid.NewGuid(),
            Name = "",
            OrganizerMailbox = "",
            TimeZone = "",
            CreatedAt = now,
        };
        Apply(programme, input, isNew: true, now);
        await using var db = await database.CreateAsync(cancellationToken);
        db.Add(programme);
        Audit.Add(db, now, actor, "programme.created", programme.Id, programme.Name);
        await db.SaveChangesAsync(cancellationToken);
        return programme;
    }

    public async Task<Programme> UpdateAsync(Guid id, ProgrammeInput input, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var programme = await FindAsync(db, id, cancellationToken);
        if (programme.Phase == ProgrammePhase.Closed)
        {
            throw MentoringProblemException.Conflict("phase", "A closed programme cannot be edited.");
        }

        var now = clock.GetUtcNow();
        Apply(programme, input, isNew: false, now);
        Audit.Add(db, now, actor, "programme.updated", programme.Id, programme.Name);
        await db.SaveChangesAsync(cancellationToken);
        return programme;
    }

    /// <summary>
    /// Replaces the programme's pick-lists (interests, career paths, goals) after <see cref="ProgrammeVocabulary.Validate"/>;
    /// applications already in keep their values, and participants may still write terms of their own.
    /// </summary>
    public async Task<ProgrammeVocabulary> SetVocabularyAsync(Guid id, ProgrammeVocabulary terms, string actor, CancellationToken cancellationToken = default)
    {
        var cleaned = ProgrammeVocabulary.Validate(terms.Interests, terms.CareerPaths, terms.Goals);
        await using var db = await database.CreateAsync(cancellationToken);
        var programme = await FindAsync(db, id, cancellationToken);
        if (programme.Phase == ProgrammePhase.Closed)
        {
            throw MentoringProblemException.Conflict("phase", "A closed programme cannot be edited.");
        }

        var now = clock.GetUtcNow();
        programme.InterestTerms = [.. cleaned.Interests];
        programme.CareerPathTerms = [.. cleaned.CareerPaths];
        programme.GoalTerms = [.. cleaned.Goals];
        programme.UpdatedAt = now;
        Audit.Add(db, now, actor, "programme.vocabulary", programme.Id, programme.Name,
            $"{cleaned.Interests.Count} interests, {cleaned.CareerPaths.Count} career paths, {cleaned.Goals.Count} goals");
        await db.SaveChangesAsync(cancellationToken);
        return programme.Terms();
    }

    public async Task<Programme> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        return await FindAsync(db, id, cancellationToken, tracking: false);
    }

    public async Task<IReadOnlyList<Programme>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var all = await db.Set<Programme>().AsNoTracking().ToListAsync(cancellationToken);
        return all.OrderByDescending(p => p.CreatedAt).ToList();
    }

    /// <summary>Moves a programme to another phase when the lifecycle allows it (409 naming <c>phase</c> otherwise).</summary>
    public Task<Programme> MoveToAsync(Guid id, ProgrammePhase phase, string actor, CancellationToken cancellationToken = default) =>
        MoveToAsync(id, phase, actor, null, cancellationToken);

    /// <summary>
    /// Moves the programme to <paramref name="phase"/>; the flows the phase starts (through <paramref name="automation"/>)
    /// are saved in the same transaction and run once it has committed.
    /// </summary>
    public async Task<Programme> MoveToAsync(Guid id, ProgrammePhase phase, string actor, MentoringAutomationHub? automation, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var programme = await FindAsync(db, id, cancellationToken);
        if (programme.Phase == phase)
        {
            return programme;
        }

        if (!Transitions[programme.Phase].Contains(phase))
        {
            throw MentoringProblemException.Conflict("phase",
                $"A programme in phase {programme.Phase} cannot move to {phase} (allowed: {string.Join(", ", Transitions[programme.Phase])}).");
        }

        var now = clock.GetUtcNow();
        var from = programme.Phase;
        programme.Phase = phase;
        programme.UpdatedAt = now;
        Audit.Add(db, now, actor, "programme.phase", programme.Id, $"{from} -> {phase}");
        var after = automation is null ? AfterCommit.Nothing : await automation.PhaseChangingAsync(db, programme, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await after.RunAsync(cancellationToken);
        return programme;
    }

    /// <summary>
    /// Imports the community list from CSV (<c>email,name[,seniority_years]</c>): all rows or none. A member already
    /// on the list is updated.
    /// </summary>
    public async Task<MemberImportResult> ImportMembersAsync(Guid id, string csv, string actor, CancellationToken cancellationToken = default)
    {
        var rows = ContractRecords.Import(csv, "members.csv", ContractRecords.Members);
        var errors = new FieldErrors();
        var parsed = new Dictionary<string, (string Name, int? Seniority)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var email = row["email"]?.Trim() ?? "";
            var name = row["name"]?.Trim() ?? "";
            int? seniority = null;
            if (!Vocabulary.IsEmail(email))
            {
                errors.Add($"line {row.Line}: email", $"'{email}' is not a valid email address.");
            }
            else if (parsed.ContainsKey(Vocabulary.NormalizeEmail(email)))
            {
                errors.Add($"line {row.Line}: email", $"'{email}' appears twice in the file.");
            }

            if (name.Length is 0 or > 200)
            {
                errors.Add($"line {row.Line}: name", "The name is required (at most 200 characters).");
            }

            var seniorityText = row["seniority_years"]?.Trim();
            if (!string.IsNullOrEmpty(seniorityText))
            {
                if (int.TryParse(seniorityText, out var years) && years is >= 0 and <= 70)
                {
                    seniority = years;
                }
                else
                {
                    errors.Add($"line {row.Line}: seniority_years", $"'{seniorityText}' is not a whole number between 0 and 70.");
                }
            }

            if (Vocabulary.IsEmail(email))
            {
                parsed.TryAdd(Vocabulary.NormalizeEmail(email), (name, seniority));
            }
        }

        errors.ThrowIfAny();
        await using var db = await database.CreateAsync(cancellationToken);
        var programme = await FindAsync(db, id, cancellationToken);
        var existing = await db.Set<CommunityMember>().Where(m => m.ProgrammeId == id)
            .ToDictionaryAsync(m => m.Email, StringComparer.Ordinal, cancellationToken);
        var now = clock.GetUtcNow();
        int added = 0, updated = 0;
        foreach (var (email, (name, seniority)) in parsed)
        {
            if (existing.TryGetValue(email, out var member))
            {
                member.Name = name;
                member.SeniorityYears = seniority ?? member.SeniorityYears;
                updated++;
            }
            else
            {
                db.Add(new CommunityMember { Id = Guid.NewGuid(), ProgrammeId = id, Email = email, Name = name, SeniorityYears = seniority, ImportedAt = now });
                added++;
            }
        }

        Audit.Add(db, now, actor, "members.imported", programme.Id, $"{added} added, {updated} updated");
        await db.SaveChangesAsync(cancellationToken);
        return new MemberImportResult(added, updated, existing.Count + added);
    }

    public async Task<IReadOnlyList<CommunityMember>> MembersAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        await FindAsync(db, id, cancellationToken, tracking: false);
        var members = await db.Set<CommunityMember>().AsNoTracking().Where(m => m.ProgrammeId == id).ToListAsync(cancellationToken);
        return members.OrderBy(m => m.Email, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Poll results. Mentors are those who answered "mentor" or "both" (they can mentor); there is a shortage when
    /// they cannot cover the mentees at the target ratio.
    /// </summary>
    public async Task<PollResults> PollResultsAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var programme = await FindAsync(db, id, cancellationToken, tracking: false);
        var choices = await db.Set<PollResponse>().Where(r => r.ProgrammeId == id).Select(r => r.Choice).ToListAsync(cancellationToken);
        var members = await db.Set<CommunityMember>().CountAsync(m => m.ProgrammeId == id, cancellationToken);
        var mentors = choices.Count(c => c == PollChoice.Mentor);
        var mentees = choices.Count(c => c == PollChoice.Mentee);
        var both = choices.Count(c => c == PollChoice.Both);
        var canMentor = mentors + both;
        var needed = (int)Math.Ceiling(mentees / (double)programme.TargetMenteesPerMentor);
        return new PollResults(
            choices.Count, mentors, mentees, both, programme.TargetMenteesPerMentor,
            canMentor == 0 ? (mentees == 0 ? 0 : double.PositiveInfinity) : Math.Round(mentees / (double)canMentor, 2),
            canMentor < needed,
            Math.Max(0, needed - canMentor),
            members,
            clock.GetUtcNow() >= programme.PollClosesAt || programme.Phase > ProgrammePhase.Poll);
    }

    /// <summary>The same balance as <see cref="PollResultsAsync"/>, counted on the applications received.</summary>
    public async Task<PollResults> ApplicationBalanceAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var programme = await FindAsync(db, id, cancellationToken, tracking: false);
        var roles = await db.Set<Application>().Where(a => a.ProgrammeId == id && a.ErasedAt == null).Select(a => a.Role).ToListAsync(cancellationToken);
        var mentors = roles.Count(r => r == ParticipantRole.Mentor);
        var mentees = roles.Count - mentors;
        var needed = (int)Math.Ceiling(mentees / (double)programme.TargetMenteesPerMentor);
        return new PollResults(roles.Count, mentors, mentees, 0, programme.TargetMenteesPerMentor,
            mentors == 0 ? (mentees == 0 ? 0 : double.PositiveInfinity) : Math.Round(mentees / (double)mentors, 2),
            mentors < needed, Math.Max(0, needed - mentors), 0, clock.GetUtcNow() >= programme.ApplicationsCloseAt);
    }

    /// <summary>
    /// Likely mentors for the recruitment flow: community members senior enough who answered "mentee" or did not
    /// answer and have not applied yet, most senior first.
    /// </summary>
    public async Task<IReadOnlyList<CommunityMember>> RecruitmentCandidatesAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var programme = await FindAsync(db, id, cancellationToken, tracking: false);
        var canMentor = await db.Set<PollResponse>()
            .Where(r => r.ProgrammeId == id && r.Choice != PollChoice.Mentee)
            .Select(r => r.Email).ToListAsync(cancellationToken);
        var excluded = canMentor.ToHashSet(StringComparer.Ordinal);
        excluded.UnionWith(await db.Set<Application>().Where(a => a.ProgrammeId == id).Select(a => a.Email).ToListAsync(cancellationToken));
        var members = await db.Set<CommunityMember>().AsNoTracking()
            .Where(m => m.ProgrammeId == id && m.SeniorityYears >= programme.RecruitmentMinSeniorityYears)
            .ToListAsync(cancellationToken);
        return members.Where(m => !excluded.Contains(m.Email))
            .OrderByDescending(m => m.SeniorityYears).ThenBy(m => m.Email, StringComparer.Ordinal)
            .ToList();
    }

    internal static async Task<Programme> FindAsync(DbContext db, Guid id, CancellationToken cancellationToken, bool tracking = true)
    {
        var query = tracking ? db.Set<Programme>() : db.Set<Programme>().AsNoTracking();
        return await query.FirstOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw MentoringProblemException.NotFound("id", $"There is no programme {id}.");
    }

    private void Apply(Programme programme, ProgrammeInput input, bool isNew, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add("name", "The name is required.");
        }
        else if (name.Length > 200)
        {
            errors.Add("name", "The name must be at most 200 characters.");
        }

        var description = input.Description?.Trim() ?? "";
        if (description.Length > 4000)
        {
            errors.Add("description", "The description must be at most 4000 characters.");
        }

        var mailbox = input.OrganizerMailbox?.Trim() ?? "";
        if (!Vocabulary.IsEmail(mailbox))
        {
            errors.Add("organizerMailbox", mailbox.Length == 0 ? "The organizer mailbox is required." : $"'{mailbox}' is not a valid email address.");
        }

        var timeZone = input.TimeZone?.Trim() ?? "";
        if (!Vocabulary.IsIanaTimeZone(timeZone))
        {
            errors.Add("timeZone", timeZone.Length == 0 ? "The time zone is required (an IANA id such as Europe/London)." : $"'{timeZone}' is not an IANA time zone id.");
        }

        var language = (input.Language ?? "en").Trim().ToLowerInvariant();
        if (!Languages.Contains(language))
        {
            errors.Add("language", $"'{input.Language}' is not available: use {string.Join(" or ", Languages)}.");
        }

        var resources = new List<ProgrammeResource>();
        for (var i = 0; i < (input.Resources?.Count ?? 0); i++)
        {
            var resource = input.Resources![i];
            var title = resource?.Title?.Trim() ?? "";
            if (title.Length is 0 or > 200)
            {
                errors.Add($"resources[{i}].title", "Each resource needs a title (at most 200 characters).");
            }

            if (!Vocabulary.IsHttpUrl(resource?.Url))
            {
                errors.Add($"resources[{i}].url", $"'{resource?.Url}' is not an absolute http(s) link.");
            }

            resources.Add(new ProgrammeResource(title, resource?.Url?.Trim() ?? ""));
        }

        var lengths = new List<Reporting.Data.ProgrammeLength>();
        if (input.LengthOptions is not { Count: > 0 })
        {
            errors.Add("lengthOptions", "Offer at least one length: '3-6', '6-9' or '9-12'.");
        }
        else
        {
            foreach (var option in input.LengthOptions)
            {
                if (!Vocabulary.TryParseLength(option, out var length))
                {
                    errors.Add("lengthOptions", $"'{option}' is not a length: use '3-6', '6-9' or '9-12'.");
                }
                else if (!lengths.Contains(length))
                {
                    lengths.Add(length);
                }
            }
        }

        var ratio = input.TargetMenteesPerMentor ?? 2;
        if (ratio is < 1 or > 10)
        {
            errors.Add("targetMenteesPerMentor", "The target ratio is 1 mentor to 1–10 mentees.");
        }

        if (input.PollClosesAt is not { } pollCloses)
        {
            errors.Add("pollClosesAt", "The poll's closing date is required.");
        }
        else if ((isNew || programme.Phase == ProgrammePhase.Draft) && pollCloses <= now)
        {
            errors.Add("pollClosesAt", "The poll must close in the future.");
        }

        if (input.ApplicationsCloseAt is not { } applicationsClose)
        {
            errors.Add("applicationsCloseAt", "The applications' closing date is required.");
        }
        else if (input.PollClosesAt is { } poll && applicationsClose <= poll)
        {
            errors.Add("applicationsCloseAt", "Applications must close after the poll closes.");
        }

        if (input.RecruitmentEndsAt is { } recruitmentEnds
            && ((input.PollClosesAt is { } p && recruitmentEnds <= p) || (input.ApplicationsCloseAt is { } a && recruitmentEnds > a)))
        {
            errors.Add("recruitmentEndsAt", "Mentor recruitment ends after the poll closes and no later than applications close.");
        }

        if (input.RecruitmentMinSeniorityYears is < 0 or > 70)
        {
            errors.Add("recruitmentMinSeniorityYears", "Use a number of years between 0 and 70.");
        }

        var frequency = MeetingFrequency.EveryTwoWeeks;
        if (input.DefaultMeetingFrequency is not null && !Vocabulary.TryParseFrequency(input.DefaultMeetingFrequency, out frequency))
        {
            errors.Add("defaultMeetingFrequency", $"'{input.DefaultMeetingFrequency}' is not a frequency: use weekly, every-2-weeks or monthly.");
        }

        var communication = (input.DefaultCommunication ?? "video").Trim().ToLowerInvariant();
        if (!Vocabulary.CommunicationMethods.Contains(communication))
        {
            errors.Add("defaultCommunication", $"'{input.DefaultCommunication}' is not a method: use {string.Join(", ", Vocabulary.CommunicationMethods)}.");
        }

        if (input.ConfirmationDays is < 1 or > 60)
        {
            errors.Add("confirmationDays", "Use 1 to 60 days.");
        }

        if (input.KickOffDays is < 1 or > 60)
        {
            errors.Add("kickOffDays", "Use 1 to 60 days.");
        }

        errors.ThrowIfAny();
        programme.Name = name;
        programme.Description = description;
        programme.OrganizerMailbox = Vocabulary.NormalizeEmail(mailbox);
        programme.TimeZone = timeZone;
        programme.Language = language;
        programme.Resources = resources;
        programme.LengthOptions = lengths;
        programme.TargetMenteesPerMentor = ratio;
        programme.PollClosesAt = input.PollClosesAt!.Value;
        programme.ApplicationsCloseAt = input.ApplicationsCloseAt!.Value;
        programme.RecruitmentEndsAt = input.RecruitmentEndsAt;
        programme.RecruitmentMinSeniorityYears = input.RecruitmentMinSeniorityYears ?? programme.RecruitmentMinSeniorityYears;
        programme.DefaultMeetingFrequency = frequency;
        programme.DefaultCommunication = communication;
        programme.ConfirmationDays = input.ConfirmationDays ?? programme.ConfirmationDays;
        programme.KickOffDays = input.KickOffDays ?? programme.KickOffDays;
        programme.MenteeChoosesFromTopThree = input.MenteeChoosesFromTopThree ?? programme.MenteeChoosesFromTopThree;
        programme.UpdatedAt = now;
    }
}
