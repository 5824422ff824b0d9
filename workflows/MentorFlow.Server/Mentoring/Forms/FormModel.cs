using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using MentorFlow.Mentoring.Services;

namespace MentorFlow.Server.Mentoring.Forms;

/// <summary>
/// What a participant form page shows: the link's purpose and participant, the programme, the words in its language,
/// what was sent (with field errors), and the pair or the mentee's choice the link is about.
/// </summary>
public sealed record FormModel(LinkClaims Link, Programme Programme, FormStrings Strings, FormState State)
{
    public PairContext? Pair { get; init; }

    public ChoiceContext? Choice { get; init; }

    /// <summary>The participant's name as the programme already has it (poll answer or community list), to fill in.</summary>
    public string? KnownName { get; init; }

    /// <summary>The summary step: what was entered, to check before sending (the fields travel as hidden inputs).</summary>
    public bool Review { get; init; }

    /// <summary>The sentence under the title (the purpose's intro unless the page says more).</summary>
    public string? Intro { get; init; }

    /// <summary>The label of a field in this form (the testimonial's text has its own).</summary>
    public string LabelOf(string field) =>
        Strings.Label(Link.Purpose == LinkPurpose.Testimonial && field == "text" ? "testimonial" : field);
}
