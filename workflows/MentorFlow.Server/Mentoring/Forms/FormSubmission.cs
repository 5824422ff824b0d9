using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using MentorFlow.Mentoring.Services;

namespace MentorFlow.Server.Mentoring.Forms;

/// <summary>Turns what a participant sent on a link into the domain's input for its purpose and hands it over.</summary>
internal static class FormSubmission
{
    public static async Task SubmitAsync(
        LinkClaims link, FormState form, ParticipationService participation, PartnershipService partnership, CancellationToken ct)
    {
        switch (link.Purpose)
        {
            case LinkPurpose.Poll:
                {
                    await participation.SubmitPollAsync(link, Poll(form), ct);
                    return;
                }

            case LinkPurpose.Apply:
                {
                    var errors = new FieldErrors();
                    var input = Application(form, errors);
                    if (errors.Any)
                    {
                        // Report the unreadable numbers together with every other field's problem.
                        var programme = await participation.ProgrammeAsync(link.ProgrammeId, ct);
                        ApplicationValidator.Validate(input with { Email = link.Participant }, programme, errors, () => "p");
                        errors.ThrowIfAny();
                    }

                    await participation.ApplyAsync(link, input, ct);
                    return;
                }

            case LinkPurpose.ConfirmMatch:
                {
                    bool? accept = form["accept"] switch { "yes" => true, "no" => false, _ => null };
                    await partnership.ConfirmAsync(link, new ConfirmInput(accept), ct);
                    return;
                }

            case LinkPurpose.Policy:
                {
                    await partnership.SetPolicyAsync(link, new PolicyInput(form["meetingFrequency"], form["communication"], form["length"]), ct);
                    return;
                }

            case LinkPurpose.Goal:
                {
                    var errors = new FieldErrors();
                    var target = form.Date("targetDate", errors);
                    if (form["decision"] != "close")
                    {
                        errors.ThrowIfAny();
                    }

                    await partnership.SetGoalAsync(link, new GoalInput(form["text"], target, form["decision"]), ct);
                    return;
                }

            case LinkPurpose.GoalMet:
                await partnership.MarkGoalMetAsync(link, ct);
                return;

            case LinkPurpose.KickOffScheduled:
                await partnership.MarkKickOffScheduledAsync(link, ct);
                return;

            case LinkPurpose.Testimonial:
                {
                    await partnership.GiveTestimonialAsync(link, new TestimonialInput(form["text"], form.YesNo("consent")), ct);
                    return;
                }

            default:
                {
                    var errors = new FieldErrors();
                    var rating = form.Integer("rating", errors);
                    errors.ThrowIfAny();
                    await partnership.AnswerSurveyAsync(link, new SurveyInput(rating, form.YesNo("met"), form["comment"]), ct);
                    return;
                }
        }
    }

    /// <summary>True for the forms that show a summary of the answers before sending (the long ones).</summary>
    public static bool HasSummary(LinkPurpose purpose) => purpose is LinkPurpose.Apply or LinkPurpose.Poll;

    /// <summary>
    /// Checks what was sent as the submission would, without saving anything or using the link: a 400 naming the
    /// fields, or nothing when it would be accepted (the summary step).
    /// </summary>
    public static async Task CheckAsync(LinkClaims link, FormState form, ParticipationService participation, CancellationToken ct)
    {
        if (link.Purpose == LinkPurpose.Poll)
        {
            ParticipationService.CheckPoll(Poll(form));
            return;
        }

        var errors = new FieldErrors();
        var input = Application(form, errors);
        var programme = await participation.ProgrammeAsync(link.ProgrammeId, ct);
        ApplicationValidator.Validate(input with { Email = link.Participant }, programme, errors, () => "p");
        errors.ThrowIfAny();
    }

    private static PollInput Poll(FormState form) => new(form["name"], form["choice"], Vocabulary.Tags(form["topics"], acceptCommas: true));

    /// <summary>
    /// The application as sent: pick-lists give the options ticked plus the "other" entries (one value may also hold
    /// several, separated by commas); a number that does not read goes to <paramref name="errors"/>.
    /// </summary>
    private static ApplicationInput Application(FormState form, FieldErrors errors) => new()
    {
        Role = form["role"],
        Name = form["name"],
        TimeZone = form["time_zone"],
        Interests = form.Picked("interests"),
        CareerPath = form.One("career_path"),
        Goals = form.Picked("goals"),
        Expertise = Vocabulary.Tags(form["expertise"], acceptCommas: true),
        SeniorityYears = form.Integer("seniority_years", errors),
        HoursPerMonth = form.Decimal("hours_per_month", errors),
        PreferredLength = form["preferred_length"],
        Communication = form.All("communication"),
        Languages = form.Picked("languages"),
        Capacity = string.Equals(form["role"], "mentor", StringComparison.OrdinalIgnoreCase) ? form.Integer("capacity", errors) : null,
        Statement = form["statement"],
    };

    public static async Task<string> ChooseAsync(LinkClaims link, FormState form, MentorChoiceService choices, CancellationToken ct)
    {
        var context = await choices.LoadAsync(link, ct);
        var pair = await choices.ChooseAsync(link, form["mentor"], ct);
        return context.Available.FirstOrDefault(c => c.MentorId == pair.MentorId)?.Name ?? "";
    }
}
