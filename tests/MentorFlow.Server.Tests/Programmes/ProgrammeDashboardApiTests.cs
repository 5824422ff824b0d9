using System.Net;
using System.Text.Json;
using MentorFlow.Server.Tests.Infrastructure;

namespace MentorFlow.Server.Tests.Programmes;

/// <summary>
/// <c>GET /api/programmes/{id}/dashboard</c> on the in-memory server: the figures of a seeded programme (metrics by the
/// reporting library over the exports, incidents of its flows), 404 and 401 problems, and a bad <c>asOf</c>.
/// </summary>
public sealed class ProgrammeDashboardApiTests : IDisposable
{
    private readonly ServerFactory _server = new()
    {
        Settings = new Dictionary<string, string?> { ["Dashboard:PlatformCsvPath"] = DashboardSeed.WritePlatformCsv() },
    };

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Dashboard_OfSeededProgramme_ReturnsPollFunnelMatchesPairsMetricsTestimonialsAndIncidents()
    {
        using var client = _server.CreateManagerClient();
        var seed = await DashboardSeed.CreateAsync(_server.Services, client);

        var response = await client.GetAsync(new Uri($"/api/programmes/{seed.ProgrammeId}/dashboard", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(seed.Name, body.GetProperty("programme").GetProperty("name").GetString());
        Assert.Equal("Running", body.GetProperty("programme").GetProperty("phase").GetString());

        // Poll: 1 would mentor, 4 would be mentored, target 1:2 → 2 mentors needed, 1 missing.
        var poll = body.GetProperty("poll").GetProperty("results");
        Assert.Equal(5, poll.GetProperty("responses").GetInt32());
        Assert.Equal(1, poll.GetProperty("mentors").GetInt32());
        Assert.Equal(4, poll.GetProperty("mentees").GetInt32());
        Assert.True(poll.GetProperty("mentorShortage").GetBoolean());
        Assert.Equal(1, poll.GetProperty("mentorsMissing").GetInt32());

        // Funnel (reporting library): 5 answered → 9 applied → 8 people matched → 2 completed.
        var funnel = body.GetProperty("funnel");
        Assert.Equal(
            ["Answered the poll: 5", "Applied: 9", "Matched: 8", "Completed: 2"],
            funnel.GetProperty("stages").EnumerateArray().Select(s => $"{s.GetProperty("label").GetString()}: {s.GetProperty("count").GetInt32()}").ToArray());
        Assert.Equal(3, funnel.GetProperty("mentorApplications").GetInt32());
        Assert.Equal(6, funnel.GetProperty("menteeApplications").GetInt32());

        var matches = body.GetProperty("matches");
        Assert.Equal((1, 0, 3, 1, 1), (matches.GetProperty("proposed").GetInt32(), matches.GetProperty("approved").GetInt32(),
            matches.GetProperty("active").GetInt32(), matches.GetProperty("completed").GetInt32(), matches.GetProperty("closedEarly").GetInt32()));

        var pairs = body.GetProperty("activePairs").EnumerateArray().ToList();
        Assert.Equal(3, pairs.Count);
        var first = pairs.Single(p => p.GetProperty("id").GetGuid() == seed.FirstPairId);
        Assert.Equal(("Ada Byron", "Eve Adams", 0.81, 4, "2026-10-20"), (first.GetProperty("mentorName").GetString(), first.GetProperty("menteeName").GetString(),
            first.GetProperty("score").GetDouble(), first.GetProperty("meetings").GetInt32(), first.GetProperty("lastMeeting").GetString()));

        // Metrics at 2026-11-02, 30-day window: pairs m1–e1 and m1–e2 met → 1 mentor + 2 mentees active; 3 running.
        var metrics = body.GetProperty("metrics");
        Assert.Equal("2026-11-02", metrics.GetProperty("asOf").GetString());
        Assert.Equal("2026-03-01", metrics.GetProperty("programmeStart").GetString());
        Assert.Equal(3, metrics.GetProperty("activeParticipants").GetInt32());
        Assert.Equal(1, metrics.GetProperty("activeMentors").GetInt32());
        Assert.Equal(2, metrics.GetProperty("activeMentees").GetInt32());
        Assert.Equal(3, metrics.GetProperty("activeRelationships").GetInt32());
        Assert.Equal(5, metrics.GetProperty("totalRelationships").GetInt32());
        Assert.Equal(1, metrics.GetProperty("newRelationshipsInWindow").GetInt32());
        var outcomes = metrics.GetProperty("outcomes");
        Assert.Equal(2, outcomes.GetProperty("ended").GetInt32());
        Assert.Equal(0.5, outcomes.GetProperty("completionRate").GetDouble());
        Assert.Equal(0.5, outcomes.GetProperty("goalAttainment").GetDouble());
        Assert.Equal(3.25, outcomes.GetProperty("satisfaction").GetDouble());
        Assert.Empty(metrics.GetProperty("dataIssues").EnumerateArray());

        // Platform growth against the 90 days before 2026-03-01: 100 → 140 visitors a day, 3 → 4 new members a day.
        var platform = metrics.GetProperty("platform");
        Assert.True(platform.GetProperty("configured").GetBoolean());
        var growth = platform.GetProperty("growth");
        Assert.Equal(100, growth.GetProperty("baselineVisitorsPerDay").GetDouble());
        Assert.Equal(140, growth.GetProperty("programmeVisitorsPerDay").GetDouble());
        Assert.Equal(0.4, growth.GetProperty("visitorChange").GetDouble(), 9);
        Assert.Equal(1 / 3.0, growth.GetProperty("newMemberChange").GetDouble(), 9);
        Assert.Equal(8, growth.GetProperty("totalNewMembers").GetInt32());
        Assert.Equal(280, growth.GetProperty("totalVisitors").GetInt32());

        // Testimonials: 2 received, only the consented one quoted, with the participant's name.
        var testimonials = body.GetProperty("testimonials");
        Assert.Equal(2, testimonials.GetProperty("received").GetInt32());
        Assert.Equal(1, testimonials.GetProperty("consented").GetInt32());
        var quote = Assert.Single(testimonials.GetProperty("quotes").EnumerateArray().ToList());
        Assert.Equal(("Hana Diaz", "Mentee", "Ben helped me lead my first data team."),
            (quote.GetProperty("name").GetString(), quote.GetProperty("role").GetString(), quote.GetProperty("text").GetString()));

        // Incidents: the first pair's faulted flow, not the other programme's.
        var incidents = body.GetProperty("incidents");
        Assert.Equal(1, incidents.GetProperty("open").GetInt32());
        Assert.Equal(1, incidents.GetProperty("faultedInstances").GetInt32());
        var incident = Assert.Single(incidents.GetProperty("items").EnumerateArray().ToList());
        Assert.Equal(seed.FirstPairId.ToString(), incident.GetProperty("correlationId").GetString());
        Assert.Equal("Pair Ada Byron → Eve Adams", incident.GetProperty("subject").GetString());
        Assert.EndsWith(DashboardSeed.IncidentMessage, incident.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("Elsa.Fault", incident.GetProperty("activityType").GetString());
        Assert.NotEqual(seed.ForeignInstanceId, incident.GetProperty("instanceId").GetString());
        Assert.StartsWith("/studio/workflows/instances/", incident.GetProperty("instanceUrl").GetString(), StringComparison.Ordinal);

        var links = body.GetProperty("links");
        Assert.Equal("/graph/sandbox", links.GetProperty("mailbox").GetString());
        Assert.Equal("/studio/workflows/definitions", links.GetProperty("flows").GetString());
    }

    [Fact]
    public async Task Dashboard_AsOfAnEarlierDate_CountsOnlyWhatHadStartedByThen()
    {
        using var client = _server.CreateManagerClient();
        var seed = await DashboardSeed.CreateAsync(_server.Services, client);

        var body = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/programmes/{seed.ProgrammeId}/dashboard?asOf=2026-03-15", UriKind.Relative))).RootElement;

        var metrics = body.GetProperty("metrics");
        Assert.Equal("2026-03-15", metrics.GetProperty("asOf").GetString());
        Assert.Equal(1, metrics.GetProperty("activeRelationships").GetInt32());
        Assert.Equal(1, metrics.GetProperty("totalRelationships").GetInt32());
        var matched = body.GetProperty("funnel").GetProperty("stages")[2];
        Assert.Equal(("Matched", 2), (matched.GetProperty("label").GetString(), matched.GetProperty("count").GetInt32()));
        Assert.Equal(0, body.GetProperty("testimonials").GetProperty("received").GetInt32());
    }

    [Fact]
    public async Task Dashboard_WithMalformedAsOf_Returns400NamingAsOf()
    {
        using var client = _server.CreateManagerClient();
        var seed = await DashboardSeed.CreateAsync(_server.Services, client);

        var response = await client.GetAsync(new Uri($"/api/programmes/{seed.ProgrammeId}/dashboard?asOf=02/11/2026", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["asOf"], errors.EnumerateObject().Select(e => e.Name).ToArray());
    }

    [Fact]
    public async Task Dashboard_OfUnknownProgramme_Returns404ProblemNamingId()
    {
        using var client = _server.CreateManagerClient();

        var response = await client.GetAsync(new Uri($"/api/programmes/{Guid.NewGuid()}/dashboard", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["id"], errors.EnumerateObject().Select(e => e.Name).ToArray());
    }

    [Fact]
    public async Task Dashboard_WithoutManagerKey_Returns401Problem()
    {
        using var client = _server.CreateClient();

        var response = await client.GetAsync(new Uri($"/api/programmes/{Guid.NewGuid()}/dashboard", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Dashboard_WithoutPlatformCsv_SaysSoAndKeepsTheOtherMetrics()
    {
        using var server = new ServerFactory();
        using var client = server.CreateManagerClient();
        var seed = await DashboardSeed.CreateAsync(server.Services, client);

        var metrics = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/programmes/{seed.ProgrammeId}/dashboard", UriKind.Relative))).RootElement.GetProperty("metrics");

        var platform = metrics.GetProperty("platform");
        Assert.False(platform.GetProperty("configured").GetBoolean());
        Assert.Equal(JsonValueKind.Null, platform.GetProperty("growth").ValueKind);
        Assert.Contains("Dashboard:PlatformCsvPath", platform.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, metrics.GetProperty("activeParticipants").GetInt32());
    }
}
