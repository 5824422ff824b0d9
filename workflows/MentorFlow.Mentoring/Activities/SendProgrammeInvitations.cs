using System.Net;
using MentorFlow.Graph.Model;
using MentorFlow.Graph.Outbox;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Mentoring.Services;
using MentorFlow.Workflows.Activities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Mentoring.Activities;

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
