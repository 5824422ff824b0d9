using MentorFlow.Reporting.Data;

namespace MentorFlow.Mentoring.Domain;

/// <summary>A link to a resource shared with newcomers (welcome flow).</summary>
public sealed record ProgrammeResource(string Title, string Url);

/// <summary>A community mentorship programme: everything a manager sets up front.</summary>
public sealed class Programme
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";

    /// <summary>The mailbox that organises invites and sends mail (Graph).</summary>
    public required string OrganizerMailbox { get; set; }

    /// <summary>IANA time zone id of the programme (e.g. <c>Europe/London</c>).</summary>
    public required string TimeZone { get; set; }

    /// <summary>Language of the participant forms and mails (ISO 639-1, <c>en</c> or <c>es</c>).</summary>
    public string Language { get; set; } = "en";

    public List<ProgrammeResource> Resources { get; set; } = [];
    public List<ProgrammeLength> LengthOptions { get; set; } = [];

    /// <summary>Target mentees per mentor (the target ratio is 1 : this).</summary>
    public int TargetMenteesPerMentor { get; set; } = 2;

    public DateTimeOffset PollClosesAt { get; set; }
    public DateTimeOffset ApplicationsCloseAt { get; set; }

    /// <summary>Recruitment of mentors stops at this moment even when the ratio is not met.</summary>
    public DateTimeOffset? RecruitmentEndsAt { get; set; }

    /// <summary>Seniority (years) from which a member who answered "mentee" is asked to mentor.</summary>
    public int RecruitmentMinSeniorityYears { get; set; } = 8;

    public MeetingFrequency DefaultMeetingFrequency { get; set; } = MeetingFrequency.EveryTwoWeeks;
    public string DefaultCommunication { get; set; } = "video";

    /// <summary>Days each side has to confirm a match.</summary>
    public int ConfirmationDays { get; set; } = 7;

    /// <summary>Days the mentor has to schedule the kick-off before it is scheduled automatically.</summary>
    public int KickOffDays { get; set; } = 7;

    /// <summary>
    /// When set, approving the matching offers each mentee their top 3 mentor candidates (a <see cref="MentorChoice"/>)
    /// instead of one proposed mentor; the mentee picks one by link within <see cref="ConfirmationDays"/>, else the
    /// best-scoring candidate with room is proposed.
    /// </summary>
    public bool MenteeChoosesFromTopThree { get; set; }

    /// <summary>The interests the application form offers to pick from (<see cref="ProgrammeVocabulary"/>).</summary>
    public List<string> InterestTerms { get; set; } = [];

    /// <summary>The career paths the application form offers to pick from.</summary>
    public List<string> CareerPathTerms { get; set; } = [];

    /// <summary>The goals the application form offers to pick from.</summary>
    public List<string> GoalTerms { get; set; } = [];

    public ProgrammePhase Phase { get; set; } = ProgrammePhase.Draft;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The pick-lists of the application form.</summary>
    public ProgrammeVocabulary Terms() => new(InterestTerms, CareerPathTerms, GoalTerms);
}

/// <summary>A member of the community list the poll is announced to (imported from CSV).</summary>
public sealed class CommunityMember
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }
    public required string Email { get; set; }
    public required string Name { get; set; }
    public int? SeniorityYears { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
}

/// <summary>One answer to the interest poll (one per person and programme).</summary>
public sealed class PollResponse
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }
    public required string Email { get; set; }
    public required string Name { get; set; }
    public PollChoice Choice { get; set; }
    public List<string> Topics { get; set; } = [];
    public DateTimeOffset SubmittedAt { get; set; }
}

/// <summary>An application: every field of applications.csv (docs/data-formats.md). One per person and programme.</summary>
public sealed class Application
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }

    /// <summary>The <c>id</c> column of applications.csv: unique within the programme.</summary>
    public required string ExternalId { get; set; }

    public ParticipantRole Role { get; set; }
    public required string Name { get; set; }
    public required string Email { get; set; }
    public required string TimeZone { get; set; }
    public List<string> Interests { get; set; } = [];
    public required string CareerPath { get; set; }
    public List<string> Goals { get; set; } = [];
    public List<string> Expertise { get; set; } = [];
    public int SeniorityYears { get; set; }
    public decimal? HoursPerMonth { get; set; }
    public ProgrammeLength PreferredLength { get; set; }
    public List<string> Communication { get; set; } = [];
    public List<string> Languages { get; set; } = [];

    /// <summary>Mentees a mentor takes (≥ 1); null for mentees.</summary>
    public int? Capacity { get; set; }

    public string Statement { get; set; } = "";
    public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>Set when the participant was erased: personal fields are then anonymised.</summary>
    public DateTimeOffset? ErasedAt { get; set; }

    /// <summary>
    /// The workflow instance that claimed this participant's welcome mail: a mentor of three pairs is welcomed once,
    /// by the first pair's welcome flow (the same instance may claim again after a crash and still send it).
    /// </summary>
    public string? WelcomedBy { get; set; }
}

/// <summary>A mentor–mentee pair, from proposal to its end, with its partnership policy.</summary>
public sealed class Pair
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }
    public Guid MentorId { get; set; }
    public Guid MenteeId { get; set; }

    /// <summary>Predicted probability (0–1) that the pair succeeds.</summary>
    public double Score { get; set; }

    public string Reasons { get; set; } = "";
    public PairStatus Status { get; set; } = PairStatus.Proposed;
    public DateTimeOffset? ApprovedAt { get; set; }
    public DateTimeOffset? MentorConfirmedAt { get; set; }
    public DateTimeOffset? MenteeConfirmedAt { get; set; }

    /// <summary>Who declined, when one side did.</summary>
    public ParticipantRole? DeclinedBy { get; set; }

    // Partnership policy (agreed by the pair; defaults come from the programme).
    public MeetingFrequency? MeetingFrequency { get; set; }
    public string? Communication { get; set; }
    public ProgrammeLength? Length { get; set; }
    public DateOnly? StartDate { get; set; }
    public DateOnly? EndDate { get; set; }

    /// <summary>Bumped each time the policy changes (check-in series are rescheduled on a change).</summary>
    public int PolicyVersion { get; set; }

    public DateOnly? EndedOn { get; set; }
    public int MeetingsHeld { get; set; }
    public DateOnly? LastMeetingOn { get; set; }
    public bool KickOffScheduled { get; set; }

    /// <summary>Mean satisfaction (1–5) of both sides' closing survey.</summary>
    public double? Satisfaction { get; set; }
}

/// <summary>A pair's common goal. When one is met, the pair continues with a new goal or closes.</summary>
public sealed class Goal
{
    public Guid Id { get; set; }
    public Guid PairId { get; set; }
    public required string Text { get; set; }
    public DateOnly TargetDate { get; set; }
    public GoalStatus Status { get; set; } = GoalStatus.Open;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? MetAt { get; set; }
    public ParticipantRole? MetMarkedBy { get; set; }
}

/// <summary>A manager's pin or forbid on a (mentor, mentee) pair, honoured by the next matching run.</summary>
public sealed class MatchConstraint
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }
    public Guid MentorId { get; set; }
    public Guid MenteeId { get; set; }
    public MatchConstraintKind Kind { get; set; }
}

/// <summary>A survey answer (check-in, mid-point, closing).</summary>
public sealed class SurveyResponse
{
    public Guid Id { get; set; }
    public Guid PairId { get; set; }
    public Guid ParticipantId { get; set; }
    public SurveyKind Kind { get; set; }

    /// <summary>The check-in round (1, 2, …) the answer belongs to; 0 for mid-point and closing surveys.</summary>
    public int Round { get; set; }

    /// <summary>1–5.</summary>
    public int Rating { get; set; }

    /// <summary>For check-ins: whether the pair met since the last check-in.</summary>
    public bool? Met { get; set; }

    public string Comment { get; set; } = "";
    public DateTimeOffset SubmittedAt { get; set; }
}

/// <summary>A participant's testimonial; published only with consent.</summary>
public sealed class Testimonial
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }
    public Guid ParticipantId { get; set; }
    public ParticipantRole Role { get; set; }
    public DateOnly Date { get; set; }
    public required string Text { get; set; }
    public bool Consent { get; set; }
}

/// <summary>Who did what and when (manager actions, participant submissions, privacy requests).</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public Guid? ProgrammeId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string Subject { get; set; } = "";
    public string Details { get; set; } = "";
}

/// <summary>A single-purpose link that has been used (its nonce); a second use is refused.</summary>
public sealed class UsedLink
{
    public required string Nonce { get; set; }
    public LinkPurpose Purpose { get; set; }
    public DateTimeOffset UsedAt { get; set; }
}

/// <summary>One run of the matcher: its settings, who was left unmatched and the mentor shortage report.</summary>
public sealed class MatchingRun
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }
    public DateTimeOffset At { get; set; }
    public double MinScore { get; set; }
    public required string Method { get; set; }
    public string UnmatchedJson { get; set; } = "[]";
    public string ShortageJson { get; set; } = "[]";
}

/// <summary>A mentor candidate offered to a mentee (score and reasons from the match model).</summary>
public sealed record MentorCandidate(Guid MentorId, double Score, string Reasons);

/// <summary>
/// The mentors offered to one mentee when the programme lets mentees choose among their top 3: open until the mentee
/// picks one (or the choice deadline passes and the best-scoring candidate with room is proposed instead).
/// </summary>
public sealed class MentorChoice
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }
    public Guid MenteeId { get; set; }

    /// <summary>Up to three candidates, best score first.</summary>
    public List<MentorCandidate> Candidates { get; set; } = [];

    public MentorChoiceStatus Status { get; set; } = MentorChoiceStatus.Open;
    public DateTimeOffset OfferedAt { get; set; }

    /// <summary>The mentee chooses before this moment (offer + the programme's confirmation days).</summary>
    public DateTimeOffset ChooseBy { get; set; }

    /// <summary>The pair made by the choice (or by the fallback).</summary>
    public Guid? PairId { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }
}

/// <summary>
/// A pair or a mentee's choice that waits on a flow which is not running (no instance, or it faulted, was cancelled or
/// finished without moving the subject on), found by the reconciliation sweep (<c>mf_flow_incidents</c>) and shown to
/// the manager with the programme's incidents. One row per subject and flow (<see cref="Key"/>): resolved when the
/// subject no longer waits on a broken flow, opened again if it breaks again. Holds ids only, no personal data.
/// </summary>
public sealed class FlowIncident
{
    public Guid Id { get; set; }
    public Guid ProgrammeId { get; set; }

    /// <summary><c>{SubjectKind}:{SubjectId:N}:{DefinitionId}</c>, unique.</summary>
    public string Key { get; set; } = "";

    /// <summary><c>Pair</c> or <c>MentorChoice</c>.</summary>
    public string SubjectKind { get; set; } = "";

    public Guid SubjectId { get; set; }

    /// <summary>The flow the subject waits on.</summary>
    public string DefinitionId { get; set; } = "";

    /// <summary>The flow's latest instance, when there is one.</summary>
    public string? InstanceId { get; set; }

    /// <summary><c>Missing</c>, <c>Faulted</c>, <c>Cancelled</c> or <c>Finished</c>.</summary>
    public string Problem { get; set; } = "";

    public string Message { get; set; } = "";
    public DateTimeOffset RaisedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
}
