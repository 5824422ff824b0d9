using System.Globalization;
using System.Net;
using MentorFlow.Graph.Model;
using MentorFlow.Graph.Outbox;
using MentorFlow.Mentoring.Automation;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Mentoring.Services;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Mentoring.Activities;

/// <summary>
/// Loads a pair and its programme into an object for Liquid (<c>{{ Pair.MentorName }}</c>): names, emails, attendees,
/// policy (cadence, dates), the times flows wait for (kick-off deadline, first check-in, mid-point, end) and the
/// programme's resources as HTML.
/// </summary>
[Activity("MentorFlow", "Mentoring", "Load a mentoring pair (people, partnership policy, dates) for the next steps", DisplayName = "Load pair")]
[Outcomes("Done", "NotFound")]
public sealed class LoadPair : Activity
{
    [Input(Description = "Id of the pair (default: the workflow's correlation id)")]
    public Input<string> PairId { get; init; } = new(string.Empty);

    [Output(Description = "The pair: MentorName, MentorEmail, MenteeName, MenteeEmail, Attendees, ProgrammeName, TimeZone, Cadence, StartDate, EndDate, KickOffAt, FirstCheckIn, MidPointAt, EndAt, ResourcesHtml, Status, MentorConfirmed, MenteeConfirmed (the mentee chose this mentor), PolicyVersion")]
    public Output<object> Pair { get; init; } = new();

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var id = MentoringActivity.PairId(context, context.Get(PairId));
        var data = id is null ? null : await PairData.LoadAsync(context.Services, id.Value, context.Clock.GetUtcNow(), context.CancellationToken);
        if (data is null)
        {
            context.Complete("NotFound");
            return;
        }

        context.Set(Pair, data);
        context.Complete("Done");
    }
}

/// <summary>Issues one signed form link for each side of a pair (confirm, policy, goal, surveys, testimonial…).</summary>
[Activity("MentorFlow", "Mentoring", "Issue signed, expiring form links for both members of a pair", DisplayName = "Issue pair links")]
public sealed class IssuePairLinks : Activity
{
    [Input(Description = "What the links are for", UIHint = "dropdown", Required = true,
        Options = ["ConfirmMatch", "Policy", "Goal", "GoalMet", "KickOffScheduled", "CheckInSurvey", "MidPointSurvey", "ClosingSurvey", "Testimonial"])]
    public Input<string> Purpose { get; init; } = new("ConfirmMatch");

    [Input(Description = "Id of the pair (default: the workflow's correlation id)")]
    public Input<string> PairId { get; init; } = new(string.Empty);

    [Input(Description = "Check-in round (check-in surveys only; 0: one more each time this step runs)")]
    public Input<int> Round { get; init; } = new(0);

    [Input(Description = "Days the links stay valid (0: the configured default)")]
    public Input<int> LifetimeDays { get; init; } = new(0);

    [Output(Description = "Link for the mentor")]
    public Output<string> MentorUrl { get; init; } = new();

    [Output(Description = "Link for the mentee")]
    public Output<string> MenteeUrl { get; init; } = new();

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (!Enum.TryParse<LinkPurpose>(context.Get(Purpose), out var purpose) || purpose is LinkPurpose.Poll or LinkPurpose.Apply)
        {
            throw new InvalidOperationException($"Purpose '{context.Get(Purpose)}' is not a pair link purpose.");
        }

        var id = MentoringActivity.PairId(context, context.Get(PairId)) ?? throw new InvalidOperationException("PairId is not a pair id.");
        var database = context.Services.GetRequiredService<IMentoringDb>();
        await using var db = await database.CreateAsync(context.CancellationToken);
        var pair = await db.Set<Pair>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, context.CancellationToken)
            ?? throw new InvalidOperationException($"There is no pair {id}.");
        var links = context.Services.GetRequiredService<ParticipantLinks>();
        var round = context.Get(Round);
        var days = context.Get(LifetimeDays);
        TimeSpan? lifetime = days > 0 ? TimeSpan.FromDays(days) : null;
        if (purpose == LinkPurpose.CheckInSurvey && round <= 0)
        {
            round = context.Iteration + 1;
        }

        var subject = PartnershipService.PairRef(pair.Id, purpose == LinkPurpose.CheckInSurvey ? round : null);
        context.Set(MentorUrl, links.Url(links.Issue(purpose, pair.ProgrammeId, PartnershipService.ParticipantRef(pair.MentorId), subject, lifetime)));
        context.Set(MenteeUrl, links.Url(links.Issue(purpose, pair.ProgrammeId, PartnershipService.ParticipantRef(pair.MenteeId), subject, lifetime)));
        context.Complete("Done");
    }
}

/// <summary>
/// Emails everyone of an audience of a programme, each with their own signed link. Subject and body are Liquid;
/// then <c>{name}</c> and <c>{link}</c> are replaced per recipient. Mails go through the Graph outbox, exactly once.
/// </summary>
[Activity("MentorFlow", "Mentoring", "Email an audience of a programme (community, poll respondents, likely mentors…), each with a personal form link", DisplayName = "Send programme invitations")]
public sealed class SendProgrammeInvitations : Activity
{
    [Input(Description = "Programme id (default: the workflow's correlation id)")]
    public Input<string> ProgrammeId { get; init; } = new(string.Empty);

    [Input(Description = "Who receives it", UIHint = "dropdown", Required = true,
        Options = ["CommunityMembers", "PollNonRespondents", "RecruitmentCandidates", "PollRespondents", "NotYetApplied"])]
    public Input<string> Audience { get; init; } = new("CommunityMembers");

    [Input(Description = "Form the link opens", UIHint = "dropdown", Options = ["Poll", "Apply"])]
    public Input<string> Purpose { get; init; } = new("Poll");

    [Input(Description = "Subject (Liquid; one line); {name} is replaced for each recipient", DefaultSyntax = ExpressionSyntax.Liquid, Required = true, Content = InputContent.SingleLine)]
    public Input<string> Subject { get; init; } = default!;

    [Input(Description = "HTML body (Liquid; inserted values are HTML-encoded); {name} and {link} are replaced for each recipient", UIHint = "multiline", DefaultSyntax = ExpressionSyntax.Liquid, Required = true, Content = InputContent.Html)]
    public Input<string> HtmlBody { get; init; } = default!;

    [Output(Description = "How many mails were queued")]
    public Output<int> Sent { get; init; } = new();

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var programmeId = MentoringActivity.Guid(context.Get(ProgrammeId)) ?? MentoringActivity.Guid(context.CorrelationId)
            ?? throw new InvalidOperationException("ProgrammeId is not a programme id.");
        var purpose = Enum.TryParse<LinkPurpose>(context.Get(Purpose), out var p) && p is LinkPurpose.Poll or LinkPurpose.Apply
            ? p
            : throw new InvalidOperationException($"Purpose '{context.Get(Purpose)}' must be Poll or Apply.");
        var programmes = context.Services.GetRequiredService<ProgrammeService>();
        var programme = await programmes.GetAsync(programmeId, context.CancellationToken);
        var audience = await AudienceAsync(context, programmes, programmeId, context.Get(Audience) ?? "");
        var links = context.Services.GetRequiredService<ParticipantLinks>();
        var subject = context.Get(Subject) ?? "";
        var body = context.Get(HtmlBody) ?? "";
        var lifetime = purpose == LinkPurpose.Poll
            ? programme.PollClosesAt - context.Clock.GetUtcNow()
            : programme.ApplicationsCloseAt - context.Clock.GetUtcNow();
        foreach (var (email, name) in audience)
        {
            var url = links.Url(links.Issue(purpose, programmeId, email, lifetime: lifetime > TimeSpan.FromHours(1) ? lifetime : TimeSpan.FromDays(7)));
            var html = body.Replace("{name}", WebUtility.HtmlEncode(name), StringComparison.Ordinal).Replace("{link}", url, StringComparison.Ordinal);
            context.Enlist(GraphOutboxMessages.Mail($"{context.IdempotencyKey}:{email}", programme.OrganizerMailbox,
                new MailRequest([new EmailContact(email, InputText.SingleLine(name))], InputText.SingleLine(subject.Replace("{name}", name, StringComparison.Ordinal)), html),
                context.Clock.GetUtcNow(), $"workflow {context.DefinitionId} instance {context.WorkflowInstanceId} activity {context.ActivityId}"));
        }

        context.Set(Sent, audience.Count);
        context.Complete("Done");
    }

    private static async Task<IReadOnlyList<(string Email, string Name)>> AudienceAsync(
        ActivityExecutionContext context, ProgrammeService programmes, Guid programmeId, string audience)
    {
        var database = context.Services.GetRequiredService<IMentoringDb>();
        await using var db = await database.CreateAsync(context.CancellationToken);
        var responses = await db.Set<PollResponse>().AsNoTracking().Where(r => r.ProgrammeId == programmeId).ToListAsync(context.CancellationToken);
        switch (audience)
        {
            case "CommunityMembers":
                return (await programmes.MembersAsync(programmeId, context.CancellationToken)).Select(m => (m.Email, m.Name)).ToList();
            case "PollNonRespondents":
                {
                    var answered = responses.Select(r => r.Email).ToHashSet(StringComparer.Ordinal);
                    return (await programmes.MembersAsync(programmeId, context.CancellationToken)).Where(m => !answered.Contains(m.Email)).Select(m => (m.Email, m.Name)).ToList();
                }

            case "RecruitmentCandidates":
                return (await programmes.RecruitmentCandidatesAsync(programmeId, context.CancellationToken)).Select(m => (m.Email, m.Name)).ToList();
            case "PollRespondents":
                return responses.OrderBy(r => r.Email, StringComparer.Ordinal).Select(r => (r.Email, r.Name)).ToList();
            case "NotYetApplied":
                {
                    var applied = (await db.Set<Application>().AsNoTracking().Where(a => a.ProgrammeId == programmeId).Select(a => a.Email)
                        .ToListAsync(context.CancellationToken)).ToHashSet(StringComparer.Ordinal);
                    return responses.Where(r => !applied.Contains(r.Email)).OrderBy(r => r.Email, StringComparer.Ordinal).Select(r => (r.Email, r.Name)).ToList();
                }

            default:
                throw new InvalidOperationException($"Audience '{audience}' is not known.");
        }
    }
}

/// <summary>Loads a programme for Liquid (<c>{{ Programme.Name }}</c>) with the moments flows wait for.</summary>
[Activity("MentorFlow", "Mentoring", "Load a programme (name, organizer, poll and application dates) for the next steps", DisplayName = "Load programme")]
public sealed class LoadProgramme : Activity
{
    [Input(Description = "Programme id (default: the workflow's correlation id)")]
    public Input<string> ProgrammeId { get; init; } = new(string.Empty);

    [Input(Description = "How long before a closing date reminders go out")]
    public Input<TimeSpan> ReminderBefore { get; init; } = new(TimeSpan.FromDays(2));

    [Input(Description = "Time between mentor recruitment rounds")]
    public Input<TimeSpan> RecruitmentInterval { get; init; } = new(TimeSpan.FromDays(7));

    [Output(Description = "The programme: Id, Name, Organizer, PollClosesAt, PollReminderAt, ApplicationsCloseAt, ApplicationsReminderAt, NextRecruitmentAt, ResourcesHtml")]
    public Output<object> Programme { get; init; } = new();

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var id = MentoringActivity.Guid(context.Get(ProgrammeId)) ?? MentoringActivity.Guid(context.WorkflowInput[nameof(ProgrammeId)]?.ToString())
            ?? MentoringActivity.Guid(context.CorrelationId) ?? throw new InvalidOperationException("ProgrammeId is not a programme id.");
        var programme = await context.Services.GetRequiredService<ProgrammeService>().GetAsync(id, context.CancellationToken);
        var now = context.Clock.GetUtcNow();
        var before = context.Get(ReminderBefore);
        static string O(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
        DateTimeOffset NotPast(DateTimeOffset at) => at < now ? now : at;
        var recruitmentEnds = programme.RecruitmentEndsAt ?? programme.ApplicationsCloseAt;
        var next = now + context.Get(RecruitmentInterval);
        context.Set(Programme, new Dictionary<string, object?>
        {
            ["Id"] = programme.Id.ToString(),
            ["Name"] = programme.Name,
            ["Organizer"] = programme.OrganizerMailbox,
            ["TimeZone"] = programme.TimeZone,
            ["PollClosesAt"] = O(programme.PollClosesAt),
            ["PollReminderAt"] = O(NotPast(programme.PollClosesAt - before)),
            ["ApplicationsCloseAt"] = O(programme.ApplicationsCloseAt),
            ["ApplicationsReminderAt"] = O(NotPast(programme.ApplicationsCloseAt - before)),
            ["RecruitmentEndsAt"] = O(recruitmentEnds),
            ["NextRecruitmentAt"] = O(next < recruitmentEnds ? next : recruitmentEnds),
        });
        context.Complete("Done");
    }
}

/// <summary>
/// Reads the balance of would-be mentors and mentees against the target ratio, from the poll or from the
/// applications; <c>Expired</c> when mentor recruitment has ended.
/// </summary>
[Activity("MentorFlow", "Mentoring", "Count would-be mentors and mentees (poll or applications) against the target ratio", DisplayName = "Check mentor balance")]
[Outcomes("Shortage", "Balanced", "Expired")]
public sealed class CheckPollBalance : Activity
{
    [Input(Description = "Programme id (default: the workflow's correlation id)")]
    public Input<string> ProgrammeId { get; init; } = new(string.Empty);

    [Input(Description = "Count the poll answers or the applications", UIHint = "dropdown", Options = ["Poll", "Applications"])]
    public Input<string> Source { get; init; } = new("Poll");

    [Output(Description = "The poll results (Mentors, Mentees, Both, MentorsMissing, MenteesPerMentor…)")]
    public Output<object> Results { get; init; } = new();

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var programmeId = MentoringActivity.Guid(context.Get(ProgrammeId)) ?? MentoringActivity.Guid(context.CorrelationId)
            ?? throw new InvalidOperationException("ProgrammeId is not a programme id.");
        var programmes = context.Services.GetRequiredService<ProgrammeService>();
        var results = context.Get(Source) == "Applications"
            ? await programmes.ApplicationBalanceAsync(programmeId, context.CancellationToken)
            : await programmes.PollResultsAsync(programmeId, context.CancellationToken);
        context.Set(Results, new Dictionary<string, object?>
        {
            ["Responses"] = results.Responses,
            ["Mentors"] = results.Mentors,
            ["Mentees"] = results.Mentees,
            ["Both"] = results.Both,
            ["MentorsMissing"] = results.MentorsMissing,
            ["Target"] = results.TargetMenteesPerMentor,
            ["MenteesPerMentor"] = double.IsFinite(results.MenteesPerMentor) ? results.MenteesPerMentor : null,
        });
        context.Log($"poll: {results.Mentors} mentors, {results.Mentees} mentees, {results.Both} both; {results.MentorsMissing} mentors missing");
        var programme = await programmes.GetAsync(programmeId, context.CancellationToken);
        var expired = context.Get(Source) == "Applications" && context.Clock.GetUtcNow() >= (programme.RecruitmentEndsAt ?? programme.ApplicationsCloseAt);
        context.Complete(!results.MentorShortage ? "Balanced" : expired ? "Expired" : "Shortage");
    }
}

/// <summary>Where a pair stands now: active with its policy unchanged, policy changed, closed, or past its end date.</summary>
[Activity("MentorFlow", "Mentoring", "Check a pair's state: still active, policy changed since a version, closed, or ended", DisplayName = "Check pair")]
[Outcomes("Active", "PolicyChanged", "Closed", "Ended")]
public sealed class CheckPair : Activity
{
    [Input(Description = "Id of the pair (default: the workflow's correlation id)")]
    public Input<string> PairId { get; init; } = new(string.Empty);

    [Input(Description = "The policy version the flow scheduled for (PolicyChanged when the pair's is newer)")]
    public Input<int> PolicyVersion { get; init; } = new(0);

    [Output(Description = "The pair, as Load pair gives it")]
    public Output<object> Pair { get; init; } = new();

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var id = MentoringActivity.PairId(context, context.Get(PairId)) ?? throw new InvalidOperationException("PairId is not a pair id.");
        var now = context.Clock.GetUtcNow();
        var data = await PairData.LoadAsync(context.Services, id, now, context.CancellationToken) ?? throw new InvalidOperationException($"There is no pair {id}.");
        context.Set(Pair, data);
        var status = (string)data["Status"]!;
        var outcome = status is nameof(PairStatus.ClosedEarly) or nameof(PairStatus.Completed) or nameof(PairStatus.Declined) ? "Closed"
            : (int)data["PolicyVersion"]! > context.Get(PolicyVersion) && context.Get(PolicyVersion) > 0 ? "PolicyChanged"
            : DateTimeOffset.Parse((string)data["EndAt"]!, CultureInfo.InvariantCulture) <= now ? "Ended"
            : "Active";
        context.Complete(outcome);
    }
}

/// <summary>Closes a pair (completed at or after its end date, closed early before).</summary>
[Activity("MentorFlow", "Mentoring", "Close a pair: completed when its end date is reached, closed early otherwise", DisplayName = "Close pair")]
public sealed class ClosePair : Activity
{
    [Input(Description = "Id of the pair (default: the workflow's correlation id)")]
    public Input<string> PairId { get; init; } = new(string.Empty);

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var id = MentoringActivity.PairId(context, context.Get(PairId)) ?? throw new InvalidOperationException("PairId is not a pair id.");
        var database = context.Services.GetRequiredService<IMentoringDb>();
        await using (var db = await database.CreateAsync(context.CancellationToken))
        {
            var status = await db.Set<Pair>().Where(p => p.Id == id).Select(p => p.Status).FirstOrDefaultAsync(context.CancellationToken);
            if (status != PairStatus.Active)
            {
                context.Complete("Done");
                return;
            }
        }

        await context.Services.GetRequiredService<PartnershipService>().CloseAsync(id, $"flow:{context.WorkflowInstanceId}", context.CancellationToken);
        context.Complete("Done");
    }
}

/// <summary>Marks a pair that was not confirmed in time as declined, returning both people to the pool.</summary>
[Activity("MentorFlow", "Mentoring", "Return an unconfirmed match to the pool (both people can be matched again)", DisplayName = "Expire match")]
public sealed class ExpireMatch : Activity
{
    [Input(Description = "Id of the pair (default: the workflow's correlation id)")]
    public Input<string> PairId { get; init; } = new(string.Empty);

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var id = MentoringActivity.PairId(context, context.Get(PairId)) ?? throw new InvalidOperationException("PairId is not a pair id.");
        var database = context.Services.GetRequiredService<IMentoringDb>();
        await using var db = await database.CreateAsync(context.CancellationToken);
        var pair = await db.Set<Pair>().FirstOrDefaultAsync(p => p.Id == id, context.CancellationToken);
        if (pair is { Status: PairStatus.Approved })
        {
            pair.Status = PairStatus.Declined;
            db.Add(new AuditEntry { ProgrammeId = pair.ProgrammeId, At = context.Clock.GetUtcNow(), Actor = $"flow:{context.WorkflowInstanceId}", Action = "match.expired", Subject = PartnershipService.PairRef(pair.Id) });
            await db.SaveChangesAsync(context.CancellationToken);
        }

        context.Complete("Done");
    }
}

/// <summary>
/// Claims the welcome of one member of a pair so that a person in several pairs (a mentor with three mentees) is
/// welcomed once per programme: <c>First</c> for the first flow to claim it (and again for that same instance after a
/// crash, so the mail is never lost), <c>AlreadyWelcomed</c> for every other pair.
/// </summary>
[Activity("MentorFlow", "Mentoring", "Welcome a person once per programme: First for the first pair that claims it, AlreadyWelcomed for the others", DisplayName = "Claim welcome")]
[Outcomes("First", "AlreadyWelcomed")]
public sealed class ClaimWelcome : Activity
{
    [Input(Description = "Whose welcome to claim", UIHint = "dropdown", Required = true, Options = ["Mentor", "Mentee"])]
    public Input<string> Role { get; init; } = new("Mentor");

    [Input(Description = "Id of the pair (default: the workflow's correlation id)")]
    public Input<string> PairId { get; init; } = new(string.Empty);

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (!Enum.TryParse<ParticipantRole>(context.Get(Role), ignoreCase: true, out var role))
        {
            throw new InvalidOperationException($"Role '{context.Get(Role)}' is not Mentor or Mentee.");
        }

        var id = MentoringActivity.PairId(context, context.Get(PairId)) ?? throw new InvalidOperationException("PairId is not a pair id.");
        var database = context.Services.GetRequiredService<IMentoringDb>();
        await using var db = await database.CreateAsync(context.CancellationToken);
        var pair = await db.Set<Pair>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, context.CancellationToken)
            ?? throw new InvalidOperationException($"There is no pair {id}.");
        var personId = role == ParticipantRole.Mentor ? pair.MentorId : pair.MenteeId;
        var claimant = context.WorkflowInstanceId;

        // One conditional UPDATE: the first instance to get here wins, whatever the number of replicas.
        await db.Set<Application>().Where(a => a.Id == personId && a.WelcomedBy == null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.WelcomedBy, claimant), context.CancellationToken);
        var owner = await db.Set<Application>().Where(a => a.Id == personId).Select(a => a.WelcomedBy).FirstOrDefaultAsync(context.CancellationToken);
        context.Complete(owner == claimant ? "First" : "AlreadyWelcomed");
    }
}

/// <summary>
/// Loads a mentee's choice among their top mentor candidates for Liquid (<c>{{ Choice.MenteeName }}</c>) with a signed
/// link to the choice form, valid until the choice closes. <c>Closed</c> when the mentee already chose (or the choice
/// is over).
/// </summary>
[Activity("MentorFlow", "Mentoring", "Load a mentee's choice among their top mentors, with a signed link to choose", DisplayName = "Load mentor choice")]
[Outcomes("Open", "Closed")]
public sealed class LoadMentorChoice : Activity
{
    [Input(Description = "Id of the choice (default: the workflow's input ChoiceId or correlation id)")]
    public Input<string> ChoiceId { get; init; } = new(string.Empty);

    [Output(Description = "The choice: MenteeName, MenteeEmail, ProgrammeName, Organizer, Url, ChooseBy, Timeout, Count, CandidatesHtml")]
    public Output<object> Choice { get; init; } = new();

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var id = MentoringActivity.ChoiceId(context, context.Get(ChoiceId)) ?? throw new InvalidOperationException("ChoiceId is not a choice id.");
        var choice = await context.Services.GetRequiredService<MentorChoiceService>().GetAsync(id, context.CancellationToken);
        var now = context.Clock.GetUtcNow();
        var left = choice.Choice.ChooseBy - now;
        var open = choice.Choice.Status == MentorChoiceStatus.Open && left > TimeSpan.Zero;
        var links = context.Services.GetRequiredService<ParticipantLinks>();
        var url = open
            ? links.Url(links.Issue(LinkPurpose.ChooseMentor, choice.Programme.Id, PartnershipService.ParticipantRef(choice.Mentee.Id),
                MentorChoiceService.ChoiceRef(id), left))
            : "";
        var zone = TimeZoneInfo.FindSystemTimeZoneById(choice.Programme.TimeZone);
        var candidates = string.Concat(choice.Available.Select(c =>
            $"<li><strong>{WebUtility.HtmlEncode(c.Name)}</strong> ({WebUtility.HtmlEncode(c.CareerPath)}): {WebUtility.HtmlEncode(c.Reasons)}</li>"));
        context.Set(Choice, new Dictionary<string, object?>
        {
            ["ChoiceId"] = id.ToString(),
            ["ProgrammeName"] = choice.Programme.Name,
            ["Organizer"] = choice.Programme.OrganizerMailbox,
            ["MenteeName"] = choice.Mentee.Name,
            ["MenteeEmail"] = choice.Mentee.Email,
            ["Url"] = url,
            ["ChooseBy"] = TimeZoneInfo.ConvertTime(choice.Choice.ChooseBy, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            ["Timeout"] = (open ? left : TimeSpan.Zero).ToString("c", CultureInfo.InvariantCulture),
            ["Count"] = choice.Available.Count,
            ["CandidatesHtml"] = candidates.Length == 0 ? "" : $"<ul>{candidates}</ul>",
        });
        context.Complete(open ? "Open" : "Closed");
    }
}

/// <summary>
/// When a mentee did not choose a mentor in time, proposes the best-scoring candidate who still has room: the pair is
/// approved and its introductions start (both sides confirm, as without the choice). <c>AlreadyChosen</c> when the
/// mentee chose; <c>NoneAvailable</c> when no candidate has room (the mentee returns to the pool).
/// </summary>
[Activity("MentorFlow", "Mentoring", "A mentee who did not choose in time gets their best-scoring candidate with room (its introductions start)", DisplayName = "Fall back to best mentor")]
[Outcomes("Assigned", "AlreadyChosen", "NoneAvailable")]
public sealed class FallBackToBestMentor : Activity
{
    [Input(Description = "Id of the choice (default: the workflow's input ChoiceId or correlation id)")]
    public Input<string> ChoiceId { get; init; } = new(string.Empty);

    [Output(Description = "Id of the proposed pair (Assigned)")]
    public Output<string> PairId { get; init; } = new();

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var id = MentoringActivity.ChoiceId(context, context.Get(ChoiceId)) ?? throw new InvalidOperationException("ChoiceId is not a choice id.");
        var result = await context.Services.GetRequiredService<MentorChoiceService>()
            .FallBackAsync(id, $"flow:{context.WorkflowInstanceId}", context.CancellationToken);
        if (result is { Outcome: ChoiceFallbackOutcome.Assigned, Pair: { } pair })
        {
            // Idempotent when this step runs again after a crash: the pair's introductions start once.
            var runtime = context.Services.GetRequiredService<IWorkflowRuntime>();
            var running = await runtime.ListInstancesAsync(
                new InstanceQuery { DefinitionId = DefaultFlows.Introductions, CorrelationId = pair.Id.ToString(), PageSize = 1 }, context.CancellationToken);
            if (running.TotalCount == 0)
            {
                var programme = await context.Services.GetRequiredService<ProgrammeService>().GetAsync(pair.ProgrammeId, context.CancellationToken);
                await context.Services.GetRequiredService<MentoringAutomationHub>().PairsApprovedAsync(programme, [pair], context.CancellationToken);
            }

            context.Set(PairId, pair.Id.ToString());
        }

        context.Complete(result.Outcome switch
        {
            ChoiceFallbackOutcome.Assigned => "Assigned",
            ChoiceFallbackOutcome.NoneAvailable => "NoneAvailable",
            _ => "AlreadyChosen",
        });
    }
}

internal static class MentoringActivity
{
    public static Guid? Guid(string? text) =>
        System.Guid.TryParse(text?.Trim(), out var id) ? id : null;

    public static Guid? PairId(ActivityExecutionContext context, string? given) =>
        Guid(given) ?? Guid(context.WorkflowInput["PairId"]?.ToString()) ?? Guid(context.CorrelationId);

    public static Guid? ChoiceId(ActivityExecutionContext context, string? given) =>
        Guid(given) ?? Guid(context.WorkflowInput["ChoiceId"]?.ToString()) ?? Guid(context.CorrelationId);
}

/// <summary>What flows read about a pair (a plain dictionary so Liquid and JavaScript see its members).</summary>
internal static class PairData
{
    public static async Task<Dictionary<string, object?>?> LoadAsync(IServiceProvider services, Guid pairId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<IMentoringDb>();
        await using var db = await database.CreateAsync(cancellationToken);
        var pair = await db.Set<Pair>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == pairId, cancellationToken);
        if (pair is null)
        {
            return null;
        }

        var programme = await db.Set<Programme>().AsNoTracking().FirstAsync(p => p.Id == pair.ProgrammeId, cancellationToken);
        var people = await db.Set<Application>().AsNoTracking().Where(a => a.Id == pair.MentorId || a.Id == pair.MenteeId).ToListAsync(cancellationToken);
        var mentor = people.Single(a => a.Id == pair.MentorId);
        var mentee = people.Single(a => a.Id == pair.MenteeId);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(programme.TimeZone);
        var start = pair.StartDate ?? PartnershipService.Today(programme, now);
        var end = pair.EndDate ?? start.AddMonths((pair.Length ?? mentee.PreferredLength).Months());
        DateTimeOffset At(DateOnly date, int hour)
        {
            var local = date.ToDateTime(new TimeOnly(hour, 0));
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }

        var kickOff = NextWeekday(start.AddDays(programme.KickOffDays + 1));
        var firstCheckIn = NextWeekday(start.AddDays(14));
        var frequency = pair.MeetingFrequency ?? programme.DefaultMeetingFrequency;
        var resources = string.Concat(programme.Resources.Select(r => $"<li><a href=\"{WebUtility.HtmlEncode(r.Url)}\">{WebUtility.HtmlEncode(r.Title)}</a></li>"));
        return new Dictionary<string, object?>
        {
            ["PairId"] = pair.Id.ToString(),
            ["ProgrammeId"] = programme.Id.ToString(),
            ["ProgrammeName"] = programme.Name,
            ["Organizer"] = programme.OrganizerMailbox,
            ["TimeZone"] = programme.TimeZone,
            ["MentorName"] = mentor.Name,
            ["MentorEmail"] = mentor.Email,
            ["MenteeName"] = mentee.Name,
            ["MenteeEmail"] = mentee.Email,
            ["Attendees"] = $"{mentor.Email};{mentee.Email}",
            ["Status"] = pair.Status.ToString(),
            ["MentorConfirmed"] = pair.MentorConfirmedAt is not null,
            ["MenteeConfirmed"] = pair.MenteeConfirmedAt is not null,
            ["PolicyVersion"] = pair.PolicyVersion,
            ["Cadence"] = frequency.ToString(),
            ["Frequency"] = frequency.Format(),
            ["Communication"] = pair.Communication ?? programme.DefaultCommunication,
            ["StartDate"] = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["EndDate"] = end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["KickOffAt"] = kickOff.ToDateTime(new TimeOnly(10, 0)).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            ["KickOffTimeout"] = TimeSpan.FromDays(programme.KickOffDays).ToString("c", CultureInfo.InvariantCulture),
            ["ConfirmationTimeout"] = TimeSpan.FromDays(programme.ConfirmationDays).ToString("c", CultureInfo.InvariantCulture),
            ["FirstCheckIn"] = firstCheckIn.ToDateTime(new TimeOnly(10, 0)).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            ["MidPointAt"] = At(start.AddDays((end.DayNumber - start.DayNumber) / 2), 9).ToString("O", CultureInfo.InvariantCulture),
            ["EndAt"] = At(end, 9).ToString("O", CultureInfo.InvariantCulture),
            ["UntilEnd"] = (At(end, 9) - now > TimeSpan.Zero ? At(end, 9) - now : TimeSpan.Zero).ToString("c", CultureInfo.InvariantCulture),
            ["ResourcesHtml"] = resources.Length == 0 ? "" : $"<ul>{resources}</ul>",
        };
    }

    private static DateOnly NextWeekday(DateOnly date) =>
        date.DayOfWeek switch { DayOfWeek.Saturday => date.AddDays(2), DayOfWeek.Sunday => date.AddDays(1), _ => date };
}
