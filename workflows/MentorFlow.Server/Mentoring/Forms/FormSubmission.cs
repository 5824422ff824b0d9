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
                    await participation.SubmitPollAsync(link, new PollInput(form["name"], form["choice"], Vocabulary.Tags(form["topics"], acceptCommas: true)), ct);
                    return;
                }

            case LinkPurpose.Apply:
                {
                    var errors = new FieldErrors();
                    var input = new ApplicationInput
                    {
                        Role = form["role"],
                        Name = form["name"],
                        TimeZone = form["time_zone"],
                        Interests = Vocabulary.Tags(form["interests"], acceptCommas: true),
                        CareerPath = form["career_path"],
                        Goals = Vocabulary.Tags(form["goals"], acceptCommas: true),
                        Expertise = Vocabulary.Tags(form["expertise"], acceptCommas: true),
                        SeniorityYears = form.Integer("seniority_years", errors),
                        HoursPerMonth = form.Decimal("hours_per_month", errors),
                        PreferredLength = form["preferred_length"],
                        Communication = form.All("communication"),
                        Languages = Vocabulary.Tags(form["languages"], acceptCommas: true),
                        Capacity = string.Equals(form["role"], "mentor", StringComparison.OrdinalIgnoreCase) ? form.Integer("capacity", errors) : null,
                        Statement = form["statement"],
                    };
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

    public static async Task<string> ChooseAsync(LinkClaims link, FormState form, MentorChoiceService choices, CancellationToken ct)
    {
        var context = await choices.LoadAsync(link, ct);
        var pair = await choices.ChooseAsync(link, form["mentor"], ct);
        return context.Available.FirstOrDefault(c => c.MentorId == pair.MentorId)?.Name ?? "";
    }
}
