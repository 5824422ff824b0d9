using System.Net;
using System.Net.Http.Json;
using MentorFlow.EndToEnd.Infrastructure;

namespace MentorFlow.EndToEnd;

public sealed class ParticipantFormTests : IDisposable
{
    private readonly MentorFlowApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task PollForm_IsAccessibleHtmlInTheProgrammesLanguage()
    {
        var (_, url) = await PollLinkAsync(language: "es");

        var response = await _app.Participant().GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"es\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html, StringComparison.Ordinal);
        Assert.Contains("<legend>Me gustaría", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"f-topics\">", html, StringComparison.Ordinal);
        Assert.Contains("id=\"f-topics\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollForm_SubmittedWithoutChoice_RerendersWithErrorSummaryAndMarkedField()
    {
        var (_, url) = await PollLinkAsync();

        var response = await _app.Participant().PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["topics"] = "sql, <script>" }));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#f-choice\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"sql, &lt;script&gt;\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollForm_SubmittedTwice_SecondGetsFriendlyAlreadyUsedPage()
    {
        var (programmeId, url) = await PollLinkAsync();
        var participant = _app.Participant();
        var answer = new FormUrlEncodedContent(new Dictionary<string, string> { ["choice"] = "Mentor", ["topics"] = "sql" });

        var first = await participant.PostAsync(url, answer);
        var second = await participant.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["choice"] = "Mentee" }));
        var reopened = await participant.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("Thank you", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, second.StatusCode);
        Assert.Contains("This link was already used", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, reopened.StatusCode);
        var poll = await (await _app.Manager().GetAsync($"/api/programmes/{programmeId}/poll")).JsonAsync();
        Assert.Equal(1, poll.GetProperty("results").GetProperty("mentors").GetInt32());
        Assert.Equal(0, poll.GetProperty("results").GetProperty("mentees").GetInt32());
    }

    [Fact]
    public async Task Form_WhenLinkExpired_GetsFriendlyExpiredPage()
    {
        var (_, url) = await PollLinkAsync(lifetimeDays: 1);
        _app.Clock.Advance(TimeSpan.FromDays(2));

        var response = await _app.Participant().GetAsync(url);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("This link has expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Form_WhenLinkTampered_GetsFriendlyInvalidPageAndNothingIsRecorded()
    {
        var (programmeId, url) = await PollLinkAsync();
        var token = url[(url.LastIndexOf('/') + 1)..];
        var tampered = url[..(url.LastIndexOf('/') + 1)] + (token[0] == 'A' ? 'B' : 'A') + token[1..];

        var get = await _app.Participant().GetAsync(tampered);
        var post = await _app.Participant().PostAsync(tampered, new FormUrlEncodedContent(new Dictionary<string, string> { ["choice"] = "Mentor" }));

        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        Assert.Contains("This link is not valid", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        var poll = await (await _app.Manager().GetAsync($"/api/programmes/{programmeId}/poll")).JsonAsync();
        Assert.Equal(0, poll.GetProperty("results").GetProperty("responses").GetInt32());
    }

    [Fact]
    public async Task ApplyForm_WithBadNumbersAndMissingFields_NamesEachFieldThenAcceptsACorrectedSubmission()
    {
        var client = _app.Manager();
        var id = await CreateProgrammeAsync(client, "en");
        await client.PostAsJsonAsync($"/api/programmes/{id}/phase", new { phase = "Applications" });
        var link = await (await client.PostAsJsonAsync($"/api/programmes/{id}/links", new { purpose = "Apply", participant = "ana@c.test" })).JsonAsync();
        var url = new Uri(link.GetProperty("url").GetString()!).PathAndQuery;
        var participant = _app.Participant();

        var bad = await participant.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["role"] = "mentor",
            ["name"] = "Ana",
            ["time_zone"] = "Europe/Lisbon",
            ["interests"] = "sql",
            ["career_path"] = "data",
            ["goals"] = "",
            ["seniority_years"] = "ten",
            ["preferred_length"] = "3-6",
            ["capacity"] = "0",
        }));
        var badHtml = await bad.Content.ReadAsStringAsync();
        var good = await participant.PostAsync(url, new FormUrlEncodedContent(new List<KeyValuePair<string, string>>
        {
            new("role", "mentor"), new("name", "Ana"), new("time_zone", "Europe/Lisbon"), new("interests", "sql, python"), new("career_path", "data"),
            new("goals", "leadership"), new("seniority_years", "10"), new("preferred_length", "3-6"), new("capacity", "2"),
            new("communication", "video"), new("communication", "chat"),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        foreach (var field in new[] { "seniority_years", "goals", "capacity" })
        {
            Assert.Contains($"href=\"#f-{field}\"", badHtml, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var applications = await (await client.GetAsync($"/api/programmes/{id}/applications")).JsonAsync();
        var ana = Assert.Single(applications.EnumerateArray());
        Assert.Equal("ana@c.test", ana.GetProperty("email").GetString());
        Assert.Equal(2, ana.GetProperty("communication").GetArrayLength());
    }

    private async Task<(Guid ProgrammeId, string Url)> PollLinkAsync(string language = "en", int? lifetimeDays = null)
    {
        var client = _app.Manager();
        var id = await CreateProgrammeAsync(client, language);
        (await client.PostAsync($"/api/programmes/{id}/open", null)).EnsureSuccessStatusCode();
        var response = await client.PostAsJsonAsync($"/api/programmes/{id}/links", new { purpose = "Poll", participant = "member@c.test", lifetimeDays });
        response.EnsureSuccessStatusCode();
        var link = await response.JsonAsync();
        return (id, new Uri(link.GetProperty("url").GetString()!).PathAndQuery);
    }

    private static async Task<Guid> CreateProgrammeAsync(HttpClient client, string language)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToNode(ProgrammeApiTests.ValidProgramme(), MentorFlowApp.Json)!;
        body["language"] = language;
        var response = await client.PostAsJsonAsync("/api/programmes", body);
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }
}
