using System.Globalization;
using MentorFlow.Mentoring.Services;
using MentorFlow.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Mentoring.Activities;

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
