using MentorFlow.Mentoring.Domain;

namespace MentorFlow.Server.Mentoring.Forms;

/// <summary>The form component of each link purpose.</summary>
public static class FormsByPurpose
{
    public static Type Of(LinkPurpose purpose) => purpose switch
    {
        LinkPurpose.Poll => typeof(PollForm),
        LinkPurpose.Apply => typeof(ApplyForm),
        LinkPurpose.ConfirmMatch => typeof(ConfirmMatchForm),
        LinkPurpose.Policy => typeof(PolicyForm),
        LinkPurpose.Goal => typeof(GoalForm),
        LinkPurpose.GoalMet or LinkPurpose.KickOffScheduled => typeof(ConfirmStepForm),
        LinkPurpose.Testimonial => typeof(TestimonialForm),
        LinkPurpose.ChooseMentor => typeof(ChooseMentorForm),
        _ => typeof(SurveyForm),
    };
}
