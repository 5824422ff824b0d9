using System.Text.Json.Nodes;
using MentorFlow.EndToEnd.Infrastructure;
using MentorFlow.Workflows.Definitions;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.EndToEnd;

/// <summary>
/// A manager edits the kick-off flow (reminder delay and wording) and publishes: pairs that start afterwards get the
/// new behaviour, the pair whose kick-off flow was already running keeps the version it started with.
/// </summary>
public sealed class KickOffFlowEditTests : IDisposable
{
    private readonly MentorFlowApp _app = new(Scenario.Settings());

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task EditedKickOffFlow_AppliesToNewPairs_WhileRunningInstancesKeepTheirVersion()
    {
        var s = new Scenario(_app);
        var created = await (await s.PostAsync("/api/programmes", ProgrammeApiTests.ValidProgramme())).JsonAsync();
        var api = $"/api/programmes/{created.GetProperty("id").GetGuid()}";
        await s.PostAsync($"{api}/phase", new { phase = "Applications" });
        await ActivatePairAsync(s, api, 1);

        // The manager edits the published kick-off flow: a 3-day reminder delay and new wording, then publishes.
        var definitions = _app.Services.GetRequiredService<IWorkflowDefinitionService>();
        var json = JsonNode.Parse((await definitions.ExportAsync("mentoring-kickoff", VersionOptions.Published))!)!.AsObject();
        foreach (var activity in json["root"]!["activities"]!.AsArray())
        {
            if ((string?)activity!["id"] == "reminderDelay")
            {
                activity["timeSpan"]!["expression"]!["value"] = "3.00:00:00";
            }

            if ((string?)activity!["id"] == "remindMentor")
            {
                activity["subject"]!["expression"]!["value"] = "Time to book your first call with {{ Pair.MenteeName }}";
            }
        }

        var saved = await definitions.SaveDraftAsync(json);
        Assert.Empty(saved.Errors);
        Assert.True((await definitions.PublishAsync("mentoring-kickoff")).Succeeded);
        await ActivatePairAsync(s, api, 2);

        await s.AdvanceAsync(TimeSpan.FromDays(1.5));
        var oldReminder = Assert.Single(s.MailTo("mentor1@c.test"), m => m.Subject.StartsWith("Please schedule your kick-off call", StringComparison.Ordinal));
        Assert.DoesNotContain(s.MailTo("mentor2@c.test"), m => m.Subject.Contains("first call", StringComparison.Ordinal) || m.Subject.Contains("kick-off", StringComparison.Ordinal));

        await s.AdvanceAsync(TimeSpan.FromDays(2));
        Assert.Single(s.MailTo("mentor2@c.test"), m => m.Subject == "Time to book your first call with Mentee 2");
        Assert.DoesNotContain(s.MailTo("mentor1@c.test"), m => m.Subject.Contains("first call", StringComparison.Ordinal));
        Assert.Contains("Mentee 1", oldReminder.Subject, StringComparison.Ordinal);
    }

    private static async Task ActivatePairAsync(Scenario s, string api, int n)
    {
        foreach (var (role, email) in new[] { ("mentor", $"mentor{n}@c.test"), ("mentee", $"mentee{n}@c.test") })
        {
            await s.PostAsync($"{api}/applications", new
            {
                id = $"{role}{n}",
                role,
                name = role == "mentor" ? $"Mentor {n}" : $"Mentee {n}",
                email,
                timeZone = "Europe/London",
                interests = new[] { "sql" },
                careerPath = "data",
                goals = new[] { "sql" },
                seniorityYears = role == "mentor" ? 10 : 2,
                preferredLength = "3-6",
                capacity = role == "mentor" ? (int?)1 : null,
            });
        }

        await s.PostAsync($"{api}/matching/run", new { minScore = 0.0 });
        await s.PostAsync($"{api}/matching/approve");
        await s.DispatchAsync();
        await s.SubmitAsync(s.Links($"mentor{n}@c.test", "meet your proposed mentee")[0], ("accept", "yes"));
        await s.SubmitAsync(s.Links($"mentee{n}@c.test", "meet your proposed mentor")[0], ("accept", "yes"));
        await s.DispatchAsync();
    }
}
