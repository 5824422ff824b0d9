using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace MentorFlow.Server.Tests.Forms;

/// <summary>A programme taking applications, with its pick-lists and a community list, and the links mails would carry.</summary>
internal static class ParticipantFormSetup
{
    public static readonly string[] Interests = ["Data science", "Machine learning", "Public speaking", "Cloud", "Leadership", "SQL", "Python", "Statistics", "Visualisation"];
    public static readonly string[] CareerPaths = ["Data engineering", "Engineering management", "Research"];
    public static readonly string[] Goals = ["Get promoted", "Change career", "Lead a team"];

    /// <summary>Creates the programme (in <paramref name="language"/>), its terms and community list, and moves it to <paramref name="phase"/>.</summary>
    public static async Task<Guid> ProgrammeAsync(HttpClient manager, string name, string phase = "Applications", string language = "en")
    {
        var created = await manager.PostAsJsonAsync("/api/programmes", new
        {
            name,
            description = "Mentoring for the data community.",
            organizerMailbox = "mentoring@contoso.test",
            timeZone = "Europe/London",
            language,
            lengthOptions = new[] { "3-6", "6-9" },
            targetMenteesPerMentor = 2,
            pollClosesAt = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero),
            applicationsCloseAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero),
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var terms = await manager.PutAsJsonAsync($"/api/programmes/{id}/vocabulary", new { interests = Interests, careerPaths = CareerPaths, goals = Goals });
        Assert.True(terms.IsSuccessStatusCode, await terms.Content.ReadAsStringAsync());
        var members = await manager.PostAsync($"/api/programmes/{id}/members",
            new StringContent("email,name,seniority_years\nana@contoso.test,Ana Lima,4\nbo@contoso.test,Bo Sand,12\n", Encoding.UTF8, "text/csv"));
        Assert.True(members.IsSuccessStatusCode, await members.Content.ReadAsStringAsync());
        var moved = await manager.PostAsJsonAsync($"/api/programmes/{id}/phase", new { phase });
        Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());
        return id;
    }

    /// <summary>The path of a signed link, as the participant's mail would carry it.</summary>
    public static async Task<string> LinkAsync(HttpClient manager, Guid programmeId, string purpose, string participant, string? subject = null)
    {
        var response = await manager.PostAsJsonAsync($"/api/programmes/{programmeId}/links", new { purpose, participant, subject });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var link = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Uri(link.GetProperty("url").GetString()!).PathAndQuery;
    }
}
