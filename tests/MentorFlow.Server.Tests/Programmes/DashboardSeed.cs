using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;
using static MentorFlow.Server.Tests.Studio.StudioFlows;

namespace MentorFlow.Server.Tests.Programmes;

/// <summary>
/// A small running programme with known figures at the factory clock's date (2026-11-02, Europe/London): 3 mentors and
/// 6 mentees applied after 5 poll answers (1 would mentor: mentors are short), 5 relationships (2 met in the last 30
/// days, 1 running without a recent meeting, 1 completed, 1 closed early), 1 proposal, 2 testimonials (1 consented),
/// and a faulted flow correlated with the first pair (plus one of another programme that must not show).
/// </summary>
internal sealed record DashboardSeed(Guid ProgrammeId, string Name, Guid FirstPairId, string ForeignInstanceId)
{
    public const string IncidentMessage = "[E42] Kick-off could not be scheduled";

    /// <summary>platform.csv: 100 visitors and 3 new members a day before the start (2026-03-01), 140 and 4 after it.</summary>
    public const string PlatformCsv = "date,visitors,new_members\n2026-02-01,100,2\n2026-02-02,100,4\n2026-03-10,150,5\n2026-10-01,130,3\n";

    public static string WritePlatformCsv()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("mentorflow-platform-").FullName, "platform.csv");
        File.WriteAllText(path, PlatformCsv);
        return path;
    }

    public static async Task<DashboardSeed> CreateAsync(IServiceProvider services, HttpClient manager, string name = "Data mentoring")
    {
        var created = await manager.PostAsJsonAsync(new Uri("/api/programmes", UriKind.Relative), new
        {
            name,
            description = "Mentoring for the data community.",
            organizerMailbox = "mentoring@contoso.test",
            timeZone = "Europe/London",
            lengthOptions = new[] { "3-6", "6-9" },
            targetMenteesPerMentor = 2,
            pollClosesAt = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero),
            applicationsCloseAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero),
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var mentoring = services.GetRequiredService<IMentoringDb>();
        await using var db = await mentoring.CreateAsync();
        var programme = await db.Set<Programme>().FindAsync(id);
        programme!.Phase = ProgrammePhase.Running;
        programme.PollClosesAt = new DateTimeOffset(2026, 2, 15, 12, 0, 0, TimeSpan.Zero); // a programme that started in March
        programme.ApplicationsCloseAt = new DateTimeOffset(2026, 2, 27, 12, 0, 0, TimeSpan.Zero);
        var at = new DateTimeOffset(2026, 2, 20, 10, 0, 0, TimeSpan.Zero);
        string[] choices = ["mentor", "mentee", "mentee", "mentee", "mentee"];
        for (var i = 0; i < choices.Length; i++)
        {
            db.Add(new PollResponse
            {
                ProgrammeId = id,
                Email = $"poll{i}@contoso.test",
                Name = $"Poll {i}",
                SubmittedAt = at,
                Choice = choices[i] == "mentor" ? PollChoice.Mentor : PollChoice.Mentee,
            });
        }

        var people = new Dictionary<string, Application>(StringComparer.Ordinal);
        foreach (var (externalId, personName, role) in new[]
        {
            ("m1", "Ada Byron", ParticipantRole.Mentor), ("m2", "Ben Okafor", ParticipantRole.Mentor), ("m3", "Cleo Park", ParticipantRole.Mentor),
            ("e1", "Eve Adams", ParticipantRole.Mentee), ("e2", "Finn Berg", ParticipantRole.Mentee), ("e3", "Gus Chan", ParticipantRole.Mentee),
            ("e4", "Hana Diaz", ParticipantRole.Mentee), ("e5", "Ivo Evans", ParticipantRole.Mentee), ("e6", "Jun Fox", ParticipantRole.Mentee),
        })
        {
            var application = new Application
            {
                ProgrammeId = id,
                ExternalId = externalId,
                Role = role,
                Name = personName,
                Email = $"{personName.Split(' ')[0].ToLowerInvariant()}@contoso.test",
                TimeZone = "Europe/London",
                Interests = ["sql", "python"],
                CareerPath = "data",
                Goals = ["leadership"],
                SeniorityYears = role == ParticipantRole.Mentor ? 12 : 2,
                PreferredLength = MentorFlow.Reporting.Data.ProgrammeLength.ThreeToSix,
                Capacity = role == ParticipantRole.Mentor ? 2 : null,
                SubmittedAt = at,
            };
            people[externalId] = application;
            db.Add(application);
        }

        Pair Add(string mentor, string mentee, double score, PairStatus status, string? started = null, string? end = null, string? ended = null,
            int meetings = 0, string? last = null, double? satisfaction = null)
        {
            var pair = new Pair
            {
                ProgrammeId = id,
                MentorId = people[mentor].Id,
                MenteeId = people[mentee].Id,
                Score = score,
                Reasons = "same career path; shared interests",
                Status = status,
                StartDate = Date(started),
                EndDate = Date(end),
                EndedOn = Date(ended),
                MeetingsHeld = meetings,
                LastMeetingOn = Date(last),
                Satisfaction = satisfaction,
            };
            db.Add(pair);
            return pair;
        }

        var first = Add("m1", "e1", 0.81, PairStatus.Active, "2026-09-01", "2027-03-01", meetings: 4, last: "2026-10-20");
        Add("m1", "e2", 0.66, PairStatus.Active, "2026-10-10", "2027-04-10", meetings: 1, last: "2026-10-12");
        Add("m2", "e3", 0.58, PairStatus.Active, "2026-06-01", "2026-12-01", meetings: 2, last: "2026-08-01");
        var completed = Add("m2", "e4", 0.74, PairStatus.Completed, "2026-03-01", "2026-09-01", "2026-09-01", 10, "2026-08-25", 4.5);
        var closed = Add("m3", "e5", 0.41, PairStatus.ClosedEarly, "2026-04-01", "2026-10-01", "2026-06-15", 2, "2026-05-20", 2);
        Add("m3", "e6", 0.72, PairStatus.Proposed);
        await db.SaveChangesAsync();
        db.Add(new Goal { PairId = completed.Id, Text = "Lead a data team", TargetDate = new DateOnly(2026, 8, 1), Status = GoalStatus.Met, CreatedAt = at });
        db.Add(new Goal { PairId = closed.Id, Text = "Learn Python", TargetDate = new DateOnly(2026, 9, 1), Status = GoalStatus.Open, CreatedAt = at });
        db.Add(new Testimonial
        {
            ProgrammeId = id,
            ParticipantId = people["e4"].Id,
            Role = ParticipantRole.Mentee,
            Date = new DateOnly(2026, 9, 5),
            Text = "Ben helped me lead my first data team.",
            Consent = true,
        });
        db.Add(new Testimonial
        {
            ProgrammeId = id,
            ParticipantId = people["m2"].Id,
            Role = ParticipantRole.Mentor,
            Date = new DateOnly(2026, 9, 6),
            Text = "Not for publication.",
            Consent = false,
        });
        await db.SaveChangesAsync();

        // A flow that faults, started for the first pair and for a pair of no programme here.
        var definitionId = Unique("dashboard-fault");
        await SaveAsync(manager, FaultingFlow(definitionId), publish: true);
        var runtime = services.GetRequiredService<IWorkflowRuntime>();
        await runtime.StartAsync(definitionId, correlationId: first.Id.ToString());
        var foreign = await runtime.StartAsync(definitionId, correlationId: Guid.NewGuid().ToString());
        return new DashboardSeed(id, name, first.Id, foreign.InstanceId);
    }

    private static DateOnly? Date(string? value) => value is null ? null : DateOnly.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject FaultingFlow(string definitionId) => new()
    {
        ["definitionId"] = definitionId,
        ["name"] = "Kick-off (faulting)",
        ["root"] = new JsonObject
        {
            ["type"] = "Elsa.Flowchart",
            ["version"] = 1,
            ["id"] = "fc",
            ["activities"] = new JsonArray(
                Activity("start", "Elsa.Start", -300),
                Activity("fault", "Elsa.Fault", 0, ("code", Expression("Literal", "E42")), ("message", Expression("Literal", "Kick-off could not be scheduled")))),
            ["connections"] = new JsonArray(Connection("start", "Done", "fault")),
        },
    };
}
