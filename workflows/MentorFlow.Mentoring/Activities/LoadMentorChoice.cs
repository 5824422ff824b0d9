using System.Globalization;
using System.Net;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using MentorFlow.Mentoring.Services;
using MentorFlow.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Mentoring.Activities;

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

    [Output(Description = "The choice: MenteeName, MenteeEmail, ProgrammeName, Organizer, Url, ChooseBy (yyyy-MM-dd HH:mm), ChooseByText (in words, programme language and time zone), Timeout, Count, CandidatesHtml")]
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
            $"<li><strong>{WebUtility.HtmlEncode(c.Name)}</strong> ({WebUtility.HtmlEncode(ParticipantWords.Tag(c.CareerPath))}): {WebUtility.HtmlEncode(string.Join(" ", c.Why))}</li>"));
        context.Set(Choice, new Dictionary<string, object?>
        {
            ["ChoiceId"] = id.ToString(),
            ["ProgrammeName"] = choice.Programme.Name,
            ["Organizer"] = choice.Programme.OrganizerMailbox,
            ["MenteeName"] = choice.Mentee.Name,
            ["MenteeEmail"] = choice.Mentee.Email,
            ["Url"] = url,
            ["ChooseBy"] = TimeZoneInfo.ConvertTime(choice.Choice.ChooseBy, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            ["ChooseByText"] = ParticipantWords.For(choice.Programme.Language).DateTime(choice.Choice.ChooseBy, zone),
            ["Timeout"] = (open ? left : TimeSpan.Zero).ToString("c", CultureInfo.InvariantCulture),
            ["Count"] = choice.Available.Count,
            ["CandidatesHtml"] = candidates.Length == 0 ? "" : $"<ul>{candidates}</ul>",
        });
        context.Complete(open ? "Open" : "Closed");
    }
}
