using System.Net;
using System.Net.Http.Json;
using System.Text;
using MentorFlow.EndToEnd.Infrastructure;

namespace MentorFlow.EndToEnd;

public sealed class ProgrammeApiTests : IDisposable
{
    private readonly MentorFlowApp _app = new();

    public void Dispose() => _app.Dispose();

    public static object ValidProgramme(string name = "Community mentoring") => new
    {
        name,
        description = "A programme for the community.",
        organizerMailbox = "mentoring@contoso.test",
        timeZone = "Europe/London",
        language = "en",
        resources = new[] { new { title = "Guide", url = "https://contoso.test/guide" } },
        lengthOptions = new[] { "3-6", "6-9" },
        targetMenteesPerMentor = 2,
        pollClosesAt = MentorFlowApp.Start.AddDays(14),
        applicationsCloseAt = MentorFlowApp.Start.AddDays(35),
        defaultMeetingFrequency = "every-2-weeks",
        defaultCommunication = "video",
        confirmationDays = 5,
        kickOffDays = 7,
    };

    [Fact]
    public async Task CreateProgramme_WithValidBody_Returns201WithLocationAndEveryField()
    {
        var client = _app.Manager();

        var response = await client.PostAsJsonAsync("/api/programmes", ValidProgramme());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal($"/api/programmes/{body.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        Assert.Equal("Draft", body.GetProperty("phase").GetString());
        Assert.Equal("3-6", body.GetProperty("lengthOptions")[0].GetString());
        Assert.Equal("every-2-weeks", body.GetProperty("defaultMeetingFrequency").GetString());
        var list = await (await client.GetAsync("/api/programmes")).JsonAsync();
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task CreateProgramme_WithMalformedFields_Returns400NamingEachFieldAndCreatesNothing()
    {
        var client = _app.Manager();

        var response = await client.PostAsJsonAsync("/api/programmes", new { name = "", organizerMailbox = "x", timeZone = "Nowhere", lengthOptions = new[] { "1-2" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            new[] { "applicationsCloseAt", "lengthOptions", "name", "organizerMailbox", "pollClosesAt", "timeZone" },
            await response.ProblemFieldsAsync());
        Assert.Equal(0, (await (await client.GetAsync("/api/programmes")).JsonAsync()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task CreateProgramme_WithValueOfWrongType_Returns400ProblemNamingThePath()
    {
        var response = await _app.Manager().PostAsync("/api/programmes",
            new StringContent("{\"name\":\"x\",\"targetMenteesPerMentor\":\"lots\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("targetMenteesPerMentor", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProgrammeApi_WithoutManagerKey_Returns401Problem()
    {
        var response = await _app.Participant().GetAsync("/api/programmes");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetProgramme_WhenUnknown_Returns404ProblemNamingId()
    {
        var response = await _app.Manager().GetAsync($"/api/programmes/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(["id"], await response.ProblemFieldsAsync());
    }

    [Fact]
    public async Task ChangePhase_WhenLifecycleForbidsIt_Returns409NamingPhase()
    {
        var client = _app.Manager();
        var id = await CreateAsync(client);

        var response = await client.PostAsJsonAsync($"/api/programmes/{id}/phase", new { phase = "Running" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(["phase"], await response.ProblemFieldsAsync());
    }

    [Fact]
    public async Task UpdateProgramme_ChangesFieldsAndValidatesLikeCreate()
    {
        var client = _app.Manager();
        var id = await CreateAsync(client);

        var ok = await client.PutAsJsonAsync($"/api/programmes/{id}", ValidProgramme("Renamed"));
        var bad = await client.PutAsJsonAsync($"/api/programmes/{id}", new { name = "Renamed" });

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("Renamed", (await ok.JsonAsync()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("organizerMailbox", await bad.ProblemFieldsAsync());
    }

    [Fact]
    public async Task ImportApplications_WithBadRow_Returns400NamingLineAndColumnAndImportsNothing()
    {
        var client = _app.Manager();
        var id = await CreateAsync(client);
        const string csv = "id,role,name,email,time_zone,interests,career_path,goals,seniority_years,preferred_length,capacity\n"
            + "m1,mentor,Mia,mia@c.test,Europe/London,sql,data,leadership,12,3-6,2\n"
            + "e1,mentee,Eli,eli@c.test,Europe/London,sql,data,career,3,12-18,\n";

        var response = await client.PostAsync($"/api/programmes/{id}/applications/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["line 3: preferred_length"], await response.ProblemFieldsAsync());
        var list = await (await client.GetAsync($"/api/programmes/{id}/applications")).JsonAsync();
        Assert.Equal(0, list.GetArrayLength());
    }

    [Fact]
    public async Task ImportApplications_ThenExport_ReturnsTheSameRowsAsCsv()
    {
        var client = _app.Manager();
        var id = await CreateAsync(client);
        const string csv = "id,role,name,email,time_zone,interests,career_path,goals,seniority_years,preferred_length,capacity\n"
            + "m1,mentor,Mia,mia@c.test,Europe/London,sql;python,data,leadership,12,3-6,2\n";
        var import = await client.PostAsync($"/api/programmes/{id}/applications/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

        var export = await client.GetAsync($"/api/programmes/{id}/export/applications.csv");

        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "id,role,name,email,time_zone,interests,career_path,goals,expertise,seniority_years,hours_per_month,preferred_length,communication,languages,capacity,statement\n"
            + "m1,mentor,Mia,mia@c.test,Europe/London,sql;python,data,leadership,,12,,3-6,,,2,\n",
            await export.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AddApplication_WithMalformedJsonFields_Returns400NamingCamelCaseFields()
    {
        var client = _app.Manager();
        var id = await CreateAsync(client);

        var response = await client.PostAsJsonAsync($"/api/programmes/{id}/applications",
            new { role = "mentor", name = "Mia", email = "bad", timeZone = "Europe/London", interests = new[] { "sql" }, careerPath = "data", goals = new[] { "x" }, seniorityYears = 3, preferredLength = "3-6" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["capacity", "email"], await response.ProblemFieldsAsync());
    }

    [Fact]
    public async Task Export_OfUnknownFile_Returns404NamingFile()
    {
        var client = _app.Manager();
        var id = await CreateAsync(client);

        var response = await client.GetAsync($"/api/programmes/{id}/export/secrets.csv");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(["file"], await response.ProblemFieldsAsync());
    }

    [Fact]
    public async Task ImportMembers_WithEmptyBody_Returns400NamingTheFile()
    {
        var client = _app.Manager();
        var id = await CreateAsync(client);

        var response = await client.PostAsync($"/api/programmes/{id}/members", new StringContent("", Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["members.csv"], await response.ProblemFieldsAsync());
    }

    [Fact]
    public async Task IssueLink_WithMissingPurposeAndParticipant_Returns400NamingBoth()
    {
        var client = _app.Manager();
        var id = await CreateAsync(client);

        var response = await client.PostAsJsonAsync($"/api/programmes/{id}/links", new { lifetimeDays = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["lifetimeDays", "participant", "purpose"], await response.ProblemFieldsAsync());
    }

    [Fact]
    public async Task PrivacyExportAndErase_AreAuditedAndEraseRemovesPersonalData()
    {
        var client = _app.Manager();
        var id = await CreateAsync(client);
        await client.PostAsync($"/api/programmes/{id}/members", new StringContent("email,name,seniority_years\nana@c.test,Ana,9\n", Encoding.UTF8, "text/csv"));

        var export = await client.PostAsJsonAsync("/api/participants/export", new { email = "ana@c.test" });
        var erase = await client.PostAsJsonAsync("/api/participants/erase", new { email = "ana@c.test" });
        var again = await client.PostAsJsonAsync("/api/participants/export", new { email = "ana@c.test" });
        var malformed = await client.PostAsJsonAsync("/api/participants/erase", new { email = "nope" });

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("Ana", (await export.JsonAsync()).GetProperty("communityMemberships")[0].GetProperty("name").GetString());
        Assert.Equal(1, (await erase.JsonAsync()).GetProperty("communityMemberships").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(["email"], await malformed.ProblemFieldsAsync());
        Assert.Equal("email,name,seniority_years\n", await (await client.GetAsync($"/api/programmes/{id}/export/members.csv")).Content.ReadAsStringAsync());
    }

    private static async Task<Guid> CreateAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/programmes", ValidProgramme());
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }
}
