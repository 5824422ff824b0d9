using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MentorFlow.Server.Tests.Infrastructure;

namespace MentorFlow.Server.Tests.Forms;

/// <summary>
/// The programme's pick-lists through the API and on the application form over HTTP: refused lists name each failing
/// term and change nothing; hostile terms and values come back as text; values outside the lists are accepted as the
/// participant's own; a form sent without the summary step (an older client, a script) is still recorded.
/// </summary>
public sealed class VocabularyFormTests : IClassFixture<ServerFactory>
{
    private readonly ServerFactory _server;

    public VocabularyFormTests(ServerFactory server) => _server = server;

    [Fact]
    public async Task PutVocabulary_WithBadTerms_Is400NamingEachTerm_AndKeepsTheSavedLists()
    {
        using var manager = _server.CreateManagerClient();
        var id = await ParticipantFormSetup.ProgrammeAsync(manager, "Vocabulary refused");

        var response = await manager.PutAsJsonAsync($"/api/programmes/{id}/vocabulary", new
        {
            interests = new[] { "Cloud", "CLOUD ", new string('x', 61) },
            careerPaths = Enumerable.Range(0, 201).Select(i => $"path {i}"),
            goals = new[] { "lead; manage", "" },
        });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["interests[1]", "interests[2]", "careerPaths", "goals[0]", "goals[1]"], errors.EnumerateObject().Select(e => e.Name));
        var saved = await manager.GetFromJsonAsync<JsonElement>($"/api/programmes/{id}/vocabulary");
        Assert.Equal(ParticipantFormSetup.Interests, saved.GetProperty("interests").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ApplyForm_ShowsHostileTermsAndSentValuesAsText()
    {
        using var manager = _server.CreateManagerClient();
        var id = await ParticipantFormSetup.ProgrammeAsync(manager, "Vocabulary hostile");
        (await manager.PutAsJsonAsync($"/api/programmes/{id}/vocabulary", new
        {
            interests = new[] { "<script>alert(1)</script>", "\"><img src=x onerror=alert(2)>" },
            careerPaths = new[] { "Research" },
            goals = new[] { "Lead a team" },
        })).EnsureSuccessStatusCode();
        var link = await ParticipantFormSetup.LinkAsync(manager, id, "Apply", "ana@contoso.test");
        using var participant = _server.CreateClient();

        var form = await (await participant.GetAsync(link)).Content.ReadAsStringAsync();
        var review = await participant.PostAsync(link, new FormUrlEncodedContent(
        [
            new("step", "review"), new("role", "mentee"), new("name", "<script>alert(3)</script>"), new("time_zone", "Europe/London"),
            new("interests", "<script>alert(1)</script>"), new("interests_other", "\"><svg onload=alert(4)>"), new("career_path", "research"),
            new("goals", "lead a team"), new("seniority_years", "3"), new("preferred_length", "3-6"),
        ]));
        var summary = await review.Content.ReadAsStringAsync();

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", form, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(2)&gt;", form, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", form, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        Assert.Contains("<dt>Interests</dt><dd>&lt;script&gt;alert(1)&lt;/script&gt;, &quot;&gt;&lt;svg onload=alert(4)&gt;</dd>", summary, StringComparison.Ordinal);
        Assert.Contains("name=\"interests_other\" value=\"&quot;&gt;&lt;svg onload=alert(4)&gt;\"", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", summary, StringComparison.Ordinal);
        Assert.Equal(0, (await manager.GetFromJsonAsync<JsonElement>($"/api/programmes/{id}/applications")).GetArrayLength());
    }

    [Fact]
    public async Task ApplyForm_ValuesOutsideTheLists_AreAccepted_AndOverLongOnesRefusedNamingTheField()
    {
        using var manager = _server.CreateManagerClient();
        var id = await ParticipantFormSetup.ProgrammeAsync(manager, "Vocabulary free values");
        var link = await ParticipantFormSetup.LinkAsync(manager, id, "Apply", "bo@contoso.test");
        using var participant = _server.CreateClient();
        List<KeyValuePair<string, string>> Answers(string other) =>
        [
            new("role", "mentor"), new("name", "Bo"), new("time_zone", "Europe/Lisbon"), new("interests", "quantum computing"),
            new("interests", "sql"), new("interests_other", other), new("career_path", "research"), new("career_path_other", "Astronomy"),
            new("goals", "lead a team"), new("seniority_years", "12"), new("preferred_length", "3-6"), new("capacity", "2"),
            new("languages", "es"), new("languages", "en, pt"),
        ];

        var refused = await participant.PostAsync(link, new FormUrlEncodedContent([.. Answers(new string('r', 61)), new("step", "review")]));
        var refusedPage = await refused.Content.ReadAsStringAsync();
        var unknownLanguage = await participant.PostAsync(link, new FormUrlEncodedContent([.. Answers("rust"), new("languages", "klingon"), new("step", "review")]));
        var sent = await participant.PostAsync(link, new FormUrlEncodedContent(Answers("Rust")));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("<a href=\"#f-interests\">Interests: Each answer can be at most 60 characters long.</a>", refusedPage, StringComparison.Ordinal);
        Assert.Contains($"value=\"{new string('r', 61)}, quantum computing\"", refusedPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknownLanguage.StatusCode);
        Assert.Contains("We do not know these languages: klingon. Choose your languages from the list.", await unknownLanguage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var application = (await manager.GetFromJsonAsync<JsonElement>($"/api/programmes/{id}/applications"))[0];
        Assert.Equal(["quantum computing", "sql", "rust"], application.GetProperty("interests").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("astronomy", application.GetProperty("careerPath").GetString());
        Assert.Equal(["es", "en", "pt"], application.GetProperty("languages").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ApplyForm_InASpanishProgramme_SentIncomplete_SaysWhatIsMissingInSpanishPlainWords_WhileTheApiKeepsTheColumnMessages()
    {
        using var manager = _server.CreateManagerClient();
        var id = await ParticipantFormSetup.ProgrammeAsync(manager, "Palabras del formulario", language: "es");
        var link = await ParticipantFormSetup.LinkAsync(manager, id, "Apply", "eva@contoso.test");
        using var participant = _server.CreateClient();

        var review = await participant.PostAsync(link, new FormUrlEncodedContent(
        [
            new("step", "review"), new("role", "mentor"), new("name", "Eva"), new("time_zone", "Mars/Olympus"),
            new("seniority_years", "ochenta"), new("hours_per_month", "500"), new("preferred_length", "9-12"), new("capacity", "40"),
        ]));
        var page = await review.Content.ReadAsStringAsync();
        var api = await manager.PostAsJsonAsync($"/api/programmes/{id}/applications", new
        {
            role = "mentor", name = "Eva", email = "eva@contoso.test", timeZone = "Mars/Olympus", seniorityYears = 3, preferredLength = "3-6", capacity = 2,
        });
        var problem = await api.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, review.StatusCode);
        foreach (var said in new[]
        {
            "Elige tu zona horaria de la lista.", "Elige al menos un interés.", "Elige tu trayectoria profesional.", "Elige al menos un objetivo.",
            "Escribe un número entero, por ejemplo 5.", "Las horas al mes deben ser más de 0 y como máximo 200.", "Este programa ofrece 3-6, 6-9 meses.",
            "Puedes acompañar entre 1 y 20 mentees.",
        })
        {
            Assert.Contains(said, page, StringComparison.Ordinal);
        }

        foreach (var technical in new[] { "tag", "IANA", "is required", "ISO 639", "ochenta" + "' is not" })
        {
            Assert.DoesNotContain(technical, page, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal("'Mars/Olympus' is not an IANA time zone id (e.g. Europe/London).", problem.GetProperty("errors").GetProperty("timeZone")[0].GetString());
        Assert.Equal("The career path is required (one tag, e.g. engineering-management).", problem.GetProperty("errors").GetProperty("careerPath")[0].GetString());
        Assert.Equal(0, (await manager.GetFromJsonAsync<JsonElement>($"/api/programmes/{id}/applications")).GetArrayLength());
    }
}
