using System.Globalization;
using MentorFlow.Mentoring.Automation;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using MentorFlow.Mentoring.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Mentoring.Services;

public sealed record ConfirmInput(bool? Accept);

public sealed record PolicyInput(string? MeetingFrequency, string? Communication, string? Length);

/// <summary>A goal form: <c>Decision</c> is <c>continue</c> (with a new goal) or <c>close</c> after a goal was met.</summary>
public sealed record GoalInput(string? Text, DateOnly? TargetDate, string? Decision = null);

public sealed record SurveyInput(int? Rating, bool? Met, string? Comment);

public sealed record TestimonialInput(string? Text, bool? Consent);

/// <summary>The pair a link is about and which side the holder is on.</summary>
public sealed record PairContext(Programme Programme, Pair Pair, Application Participant, Application Mentor, Application Mentee, Goal? OpenGoal)
{
    public ParticipantRole Side => Participant.Role;

    public Application Other => Side == ParticipantRole.Mentor ? Mentee : Mentor;
}

/// <summary>What a pair does by link: confirm, agree a policy and goals, mark goals met, answer surveys, give testimonials.</summary>
/// <remarks>
/// Each link's answer, the spent link and the flows it starts or signals (through <paramref name="automation"/>) are
/// saved in one transaction; the flows run after the commit.
/// </remarks>
public sealed class PartnershipService(IMentoringDb database, TimeProvider clock, MentoringAutomationHub? automation = null)
{
    /// <summary>Participant link value for one side of a pair.</summary>
    public static string ParticipantRef(Guid applicationId) => applicationId.ToString("N");

    /// <summary>Subject of a pair link (check-in links add <c>:round</c>).</summary>
    public static string PairRef(Guid pairId, int? round = null) =>
        round is { } r ? $"{pairId:N}:{r.ToString(CultureInfo.InvariantCulture)}" : pairId.ToString("N");

    public async Task<PairContext> LoadAsync(LinkClaims link, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        return await LoadAsync(db, link, tracking: false, cancellationToken);
    }

    /// <summary>Accept or decline a match; when both accepted the partnership starts with the programme's default policy.</summary>
    public async Task<Pair> ConfirmAsync(LinkClaims link, ConfirmInput input, CancellationToken cancellationToken = default)
    {
        ParticipationService.RequirePurpose(link, LinkPurpose.ConfirmMatch);
        if (input.Accept is null)
        {
            throw MentoringProblemException.Invalid("accept", "Say whether you accept the match.", new("Invalid.Accept"));
        }

        await using var db = await database.CreateAsync(cancellationToken);
        var context = await LoadAsync(db, link, tracking: true, cancellationToken);
        var pair = context.Pair;
        if (pair.Status != PairStatus.Approved)
        {
            throw MentoringProblemException.Conflict("pair", $"This match is {pair.Status.ToString().ToLowerInvariant()} and can no longer be confirmed.");
        }

        var now = clock.GetUtcNow();
        if (input.Accept.Value)
        {
            if (context.Side == ParticipantRole.Mentor)
            {
                pair.MentorConfirmedAt = now;
            }
            else
            {
                pair.MenteeConfirmedAt = now;
            }

            if (pair is { MentorConfirmedAt: not null, MenteeConfirmedAt: not null })
            {
                Start(pair, context.Programme, context.Mentee, Today(context.Programme, now));
            }
        }
        else
        {
            pair.Status = PairStatus.Declined;
            pair.DeclinedBy = context.Side;

            // Both return to the pool; the next matching run does not propose them together again.
            var constraint = await db.Set<MatchConstraint>().FirstOrDefaultAsync(
                c => c.ProgrammeId == pair.ProgrammeId && c.MentorId == pair.MentorId && c.MenteeId == pair.MenteeId, cancellationToken);
            if (constraint is null)
            {
                db.Add(new MatchConstraint { Id = Guid.NewGuid(), ProgrammeId = pair.ProgrammeId, MentorId = pair.MentorId, MenteeId = pair.MenteeId, Kind = MatchConstraintKind.Forbid });
            }
            else
            {
                constraint.Kind = MatchConstraintKind.Forbid;
            }
        }

        ParticipationService.UseLink(db, link, now);
        Audit.Add(db, now, Actor(context), input.Accept.Value ? "match.accepted" : "match.declined", pair.ProgrammeId, PairRef(pair.Id));
        var after = await ParticipationService.EnlistAsync(automation, db, link,
            new() { ["Accepted"] = input.Accept, ["PairStatus"] = pair.Status.ToString() }, cancellationToken);
        await ParticipationService.SaveAsync(db, cancellationToken);
        await after.RunAsync(cancellationToken);
        return pair;
    }

    /// <summary>Agree the partnership policy; the end date follows from the chosen length.</summary>
    public async Task<Pair> SetPolicyAsync(LinkClaims link, PolicyInput input, CancellationToken cancellationToken = default)
    {
        ParticipationService.RequirePurpose(link, LinkPurpose.Policy);
        await using var db = await database.CreateAsync(cancellationToken);
        var context = await LoadAsync(db, link, tracking: true, cancellationToken);
        var errors = new FieldErrors();
        if (!Vocabulary.TryParseFrequency(input.MeetingFrequency, out var frequency))
        {
            errors.Add("meetingFrequency", "Choose weekly, every-2-weeks or monthly.", new("Invalid.Frequency"));
        }

        var communication = input.Communication?.Trim().ToLowerInvariant() ?? "";
        if (!Vocabulary.CommunicationMethods.Contains(communication))
        {
            errors.Add("communication", $"Choose one of {string.Join(", ", Vocabulary.CommunicationMethods)}.", new("Invalid.Communication.One"));
        }

        if (!Vocabulary.TryParseLength(input.Length, out var length))
        {
            errors.Add("length", "Choose 3-6, 6-9 or 9-12 months.", new("Invalid.Length.Choose"));
        }
        else if (context.Programme.LengthOptions.Count > 0 && !context.Programme.LengthOptions.Contains(length))
        {
            var offered = string.Join(", ", context.Programme.LengthOptions.Select(o => o.Format()));
            errors.Add("length", $"This programme offers {offered} months.", new("Invalid.Length.NotOffered", offered));
        }

        errors.ThrowIfAny();
        var pair = context.Pair;
        RequireActive(pair);
        var now = clock.GetUtcNow();
        pair.MeetingFrequency = frequency;
        pair.Communication = communication;
        pair.Length = length;
        pair.StartDate ??= Today(context.Programme, now);
        pair.EndDate = pair.StartDate.Value.AddMonths(length.Months());
        pair.PolicyVersion++;
        ParticipationService.UseLink(db, link, now);
        Audit.Add(db, now, Actor(context), "policy.agreed", pair.ProgrammeId, PairRef(pair.Id),
            $"{frequency.Format()}, {communication}, until {pair.EndDate:yyyy-MM-dd}");
        var after = await ParticipationService.EnlistAsync(automation, db, link, new() { ["PolicyVersion"] = pair.PolicyVersion }, cancellationToken);
        await ParticipationService.SaveAsync(db, cancellationToken);
        await after.RunAsync(cancellationToken);
        return pair;
    }

    /// <summary>Set a common goal (replacing an open one), or after a goal was met decide to continue or close.</summary>
    public async Task<Pair> SetGoalAsync(LinkClaims link, GoalInput input, CancellationToken cancellationToken = default)
    {
        ParticipationService.RequirePurpose(link, LinkPurpose.Goal);
        await using var db = await database.CreateAsync(cancellationToken);
        var context = await LoadAsync(db, link, tracking: true, cancellationToken);
        var pair = context.Pair;
        RequireActive(pair);
        var now = clock.GetUtcNow();
        var today = Today(context.Programme, now);
        var decision = input.Decision?.Trim().ToLowerInvariant();
        if (decision is not (null or "" or "continue" or "close"))
        {
            throw MentoringProblemException.Invalid("decision", "Choose 'continue' (with a new goal) or 'close'.", new("Invalid.Decision"));
        }

        if (decision == "close")
        {
            Close(pair, today);
            ParticipationService.UseLink(db, link, now);
            Audit.Add(db, now, Actor(context), "pair.closed", pair.ProgrammeId, PairRef(pair.Id), pair.Status.ToString());
            var closed = await ParticipationService.EnlistAsync(automation, db, link,
                new() { ["Decision"] = "close", ["PairStatus"] = pair.Status.ToString() }, cancellationToken);
            await ParticipationService.SaveAsync(db, cancellationToken);
            await closed.RunAsync(cancellationToken);
            return pair;
        }

        var errors = new FieldErrors();
        var text = input.Text?.Trim() ?? "";
        if (text.Length is 0 or > 1000)
        {
            errors.Add("text", "Describe the goal (at most 1000 characters).", new("Invalid.Goal.Text", 1000));
        }

        if (input.TargetDate is not { } target)
        {
            errors.Add("targetDate", "The target date is required.", new("Invalid.Goal.DateRequired"));
        }
        else if (target <= today)
        {
            errors.Add("targetDate", "The target date must be in the future.", new("Invalid.Goal.DateFuture"));
        }
        else if (pair.EndDate is { } end && target > end)
        {
            errors.Add("targetDate", $"The target date must be on or before the partnership's end ({end:yyyy-MM-dd}).", new("Invalid.Goal.DateAfterEnd", end));
        }

        errors.ThrowIfAny();
        if (context.OpenGoal is { } open)
        {
            db.Attach(open);
            open.Status = GoalStatus.Replaced;
        }

        db.Add(new Goal { Id = Guid.NewGuid(), PairId = pair.Id, Text = text, TargetDate = input.TargetDate!.Value, CreatedAt = now });
        ParticipationService.UseLink(db, link, now);
        Audit.Add(db, now, Actor(context), "goal.set", pair.ProgrammeId, PairRef(pair.Id));
        var after = await ParticipationService.EnlistAsync(automation, db, link,
            new() { ["Decision"] = "continue", ["PairStatus"] = pair.Status.ToString() }, cancellationToken);
        await ParticipationService.SaveAsync(db, cancellationToken);
        await after.RunAsync(cancellationToken);
        return pair;
    }

    /// <summary>Either side marks the open goal met.</summary>
    public async Task<Goal> MarkGoalMetAsync(LinkClaims link, CancellationToken cancellationToken = default)
    {
        ParticipationService.RequirePurpose(link, LinkPurpose.GoalMet);
        await using var db = await database.CreateAsync(cancellationToken);
        var context = await LoadAsync(db, link, tracking: true, cancellationToken);
        RequireActive(context.Pair);
        var goal = context.OpenGoal ?? throw MentoringProblemException.Conflict("goal", "There is no open goal to mark as met.");
        db.Attach(goal);
        var now = clock.GetUtcNow();
        goal.Status = GoalStatus.Met;
        goal.MetAt = now;
        goal.MetMarkedBy = context.Side;
        ParticipationService.UseLink(db, link, now);
        Audit.Add(db, now, Actor(context), "goal.met", context.Pair.ProgrammeId, PairRef(context.Pair.Id));
        var after = await ParticipationService.EnlistAsync(automation, db, link, new(), cancellationToken);
        await ParticipationService.SaveAsync(db, cancellationToken);
        await after.RunAsync(cancellationToken);
        return goal;
    }

    /// <summary>The mentor says the kick-off call is scheduled (so no automatic kick-off invite is created).</summary>
    public async Task<Pair> MarkKickOffScheduledAsync(LinkClaims link, CancellationToken cancellationToken = default)
    {
        ParticipationService.RequirePurpose(link, LinkPurpose.KickOffScheduled);
        await using var db = await database.CreateAsync(cancellationToken);
        var context = await LoadAsync(db, link, tracking: true, cancellationToken);
        RequireActive(context.Pair);
        var now = clock.GetUtcNow();
        context.Pair.KickOffScheduled = true;
        ParticipationService.UseLink(db, link, now);
        Audit.Add(db, now, Actor(context), "kickoff.scheduled", context.Pair.ProgrammeId, PairRef(context.Pair.Id));
        var after = await ParticipationService.EnlistAsync(automation, db, link, new(), cancellationToken);
        await ParticipationService.SaveAsync(db, cancellationToken);
        await after.RunAsync(cancellationToken);
        return context.Pair;
    }

    /// <summary>A check-in, mid-point or closing survey answer (one per participant, kind and round).</summary>
    public async Task<SurveyResponse> AnswerSurveyAsync(LinkClaims link, SurveyInput input, CancellationToken cancellationToken = default)
    {
        var kind = link.Purpose switch
        {
            LinkPurpose.CheckInSurvey => SurveyKind.CheckIn,
            LinkPurpose.MidPointSurvey => SurveyKind.MidPoint,
            LinkPurpose.ClosingSurvey => SurveyKind.Closing,
            _ => throw MentoringProblemException.Invalid("link", $"This link is for {link.Purpose}, not a survey."),
        };
        var errors = new FieldErrors();
        if (input.Rating is not (>= 1 and <= 5))
        {
            errors.Add("rating", "Rate from 1 (poor) to 5 (excellent).", new("Invalid.Rating"));
        }

        if (kind == SurveyKind.CheckIn && input.Met is null)
        {
            errors.Add("met", "Say whether you met since the last check-in.", new("Invalid.Met"));
        }

        var comment = input.Comment?.Trim() ?? "";
        if (comment.Length > 4000)
        {
            errors.Add("comment", "The comment must be at most 4000 characters.", new("Invalid.Text.TooLong", 4000));
        }

        errors.ThrowIfAny();
        await using var db = await database.CreateAsync(cancellationToken);
        var context = await LoadAsync(db, link, tracking: true, cancellationToken);
        var pair = context.Pair;
        if (pair.Status is not (PairStatus.Active or PairStatus.Completed or PairStatus.ClosedEarly))
        {
            throw MentoringProblemException.Conflict("pair", "This pair has not started.");
        }

        var round = ParseRound(link.Subject);
        var now = clock.GetUtcNow();
        var today = Today(context.Programme, now);
        var response = new SurveyResponse
        {
            Id = Guid.NewGuid(),
            PairId = pair.Id,
            ParticipantId = context.Participant.Id,
            Kind = kind,
            Round = round,
            Rating = input.Rating!.Value,
            Met = kind == SurveyKind.CheckIn ? input.Met : null,
            Comment = comment,
            SubmittedAt = now,
        };
        if (await db.Set<SurveyResponse>().AnyAsync(
                s => s.PairId == pair.Id && s.ParticipantId == context.Participant.Id && s.Kind == kind && s.Round == round, cancellationToken))
        {
            throw MentoringProblemException.Conflict("survey", "You have already answered this survey.");
        }

        db.Add(response);
        if (kind == SurveyKind.CheckIn && input.Met == true)
        {
            var roundCounted = await db.Set<SurveyResponse>().AnyAsync(
                s => s.PairId == pair.Id && s.Kind == SurveyKind.CheckIn && s.Round == round && s.Met == true, cancellationToken);
            if (!roundCounted)
            {
                pair.MeetingsHeld++;
                pair.LastMeetingOn = today;
            }
        }

        if (kind == SurveyKind.Closing)
        {
            var ratings = await db.Set<SurveyResponse>().Where(s => s.PairId == pair.Id && s.Kind == SurveyKind.Closing)
                .Select(s => s.Rating).ToListAsync(cancellationToken);
            ratings.Add(response.Rating);
            pair.Satisfaction = Math.Round(ratings.Average(), 2);
        }

        ParticipationService.UseLink(db, link, now);
        Audit.Add(db, now, Actor(context), "survey.answered", pair.ProgrammeId, PairRef(pair.Id), $"{kind} {round}");
        var after = await ParticipationService.EnlistAsync(automation, db, link,
            new() { ["Rating"] = response.Rating, ["Met"] = response.Met, ["Round"] = response.Round }, cancellationToken);
        await ParticipationService.SaveAsync(db, cancellationToken);
        await after.RunAsync(cancellationToken);
        return response;
    }

    /// <summary>A testimonial (published only with consent).</summary>
    public async Task<Testimonial> GiveTestimonialAsync(LinkClaims link, TestimonialInput input, CancellationToken cancellationToken = default)
    {
        ParticipationService.RequirePurpose(link, LinkPurpose.Testimonial);
        var errors = new FieldErrors();
        var text = input.Text?.Trim() ?? "";
        if (text.Length is < 10 or > 4000)
        {
            errors.Add("text", "Write between 10 and 4000 characters.", new("Invalid.Testimonial.Text", 10, 4000));
        }

        if (input.Consent is null)
        {
            errors.Add("consent", "Say whether we may publish your testimonial.", new("Invalid.Testimonial.Consent"));
        }

        errors.ThrowIfAny();
        await using var db = await database.CreateAsync(cancellationToken);
        var context = await LoadAsync(db, link, tracking: false, cancellationToken);
        var now = clock.GetUtcNow();
        var testimonial = new Testimonial
        {
            Id = Guid.NewGuid(),
            ProgrammeId = context.Programme.Id,
            ParticipantId = context.Participant.Id,
            Role = context.Side,
            Date = Today(context.Programme, now),
            Text = text,
            Consent = input.Consent!.Value,
        };
        db.Add(testimonial);
        ParticipationService.UseLink(db, link, now);
        Audit.Add(db, now, Actor(context), "testimonial.given", context.Programme.Id, PairRef(context.Pair.Id), testimonial.Consent ? "consent" : "no consent");
        var after = await ParticipationService.EnlistAsync(automation, db, link, new() { ["Consent"] = testimonial.Consent }, cancellationToken);
        await ParticipationService.SaveAsync(db, cancellationToken);
        await after.RunAsync(cancellationToken);
        return testimonial;
    }

    /// <summary>Closes a pair (end of programme, a decision, or a manager): completed when its end date is reached.</summary>
    public async Task<Pair> CloseAsync(Guid pairId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await database.CreateAsync(cancellationToken);
        var pair = await db.Set<Pair>().FirstOrDefaultAsync(p => p.Id == pairId, cancellationToken)
            ?? throw MentoringProblemException.NotFound("pairId", $"There is no pair {pairId}.");
        var programme = await ProgrammeService.FindAsync(db, pair.ProgrammeId, cancellationToken, tracking: false);
        RequireActive(pair);
        var now = clock.GetUtcNow();
        Close(pair, Today(programme, now));
        Audit.Add(db, now, actor, "pair.closed", pair.ProgrammeId, PairRef(pair.Id), pair.Status.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return pair;
    }

    public static DateOnly Today(Programme programme, DateTimeOffset now) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(programme.TimeZone)).DateTime);

    /// <summary>Both sides confirmed: the pair starts with the programme's defaults and the mentee's preferred length.</summary>
    internal static void Start(Pair pair, Programme programme, Application mentee, DateOnly today)
    {
        var length = programme.LengthOptions.Count == 0 || programme.LengthOptions.Contains(mentee.PreferredLength)
            ? mentee.PreferredLength
            : programme.LengthOptions[0];
        pair.Status = PairStatus.Active;
        pair.MeetingFrequency ??= programme.DefaultMeetingFrequency;
        pair.Communication ??= programme.DefaultCommunication;
        pair.Length ??= length;
        pair.StartDate ??= today;
        pair.EndDate ??= today.AddMonths(pair.Length.Value.Months());
        pair.PolicyVersion = Math.Max(1, pair.PolicyVersion);
    }

    private static void Close(Pair pair, DateOnly today)
    {
        pair.Status = pair.EndDate is { } end && today >= end ? PairStatus.Completed : PairStatus.ClosedEarly;
        pair.EndedOn = today;
    }

    private static void RequireActive(Pair pair)
    {
        if (pair.Status != PairStatus.Active)
        {
            throw MentoringProblemException.Conflict("pair", $"This partnership is {pair.Status.ToString().ToLowerInvariant()}, not active.");
        }
    }

    private static int ParseRound(string subject)
    {
        var colon = subject.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && int.TryParse(subject[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var round) ? round : 0;
    }

    private static string Actor(PairContext context) => "participant:" + context.Participant.ExternalId;

    private static async Task<PairContext> LoadAsync(DbContext db, LinkClaims link, bool tracking, CancellationToken cancellationToken)
    {
        var subject = link.Subject;
        var colon = subject.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            subject = subject[..colon];
        }

        if (!Guid.TryParseExact(subject, "N", out var pairId) || !Guid.TryParseExact(link.Participant, "N", out var participantId))
        {
            throw MentoringProblemException.Invalid("link", "This link does not name a partnership.");
        }

        var pairs = tracking ? db.Set<Pair>() : db.Set<Pair>().AsNoTracking();
        var pair = await pairs.FirstOrDefaultAsync(p => p.Id == pairId && p.ProgrammeId == link.ProgrammeId, cancellationToken)
            ?? throw MentoringProblemException.NotFound("pair", "This partnership no longer exists.");
        if (participantId != pair.MentorId && participantId != pair.MenteeId)
        {
            throw MentoringProblemException.Invalid("link", "This link is not for a member of this partnership.");
        }

        var programme = await ProgrammeService.FindAsync(db, pair.ProgrammeId, cancellationToken, tracking: false);
        var people = await db.Set<Application>().AsNoTracking().Where(a => a.Id == pair.MentorId || a.Id == pair.MenteeId)
            .ToListAsync(cancellationToken);
        var mentor = people.Single(a => a.Id == pair.MentorId);
        var mentee = people.Single(a => a.Id == pair.MenteeId);
        var openGoal = await db.Set<Goal>().AsNoTracking().FirstOrDefaultAsync(g => g.PairId == pair.Id && g.Status == GoalStatus.Open, cancellationToken);
        return new PairContext(programme, pair, participantId == mentor.Id ? mentor : mentee, mentor, mentee, openGoal);
    }
}
