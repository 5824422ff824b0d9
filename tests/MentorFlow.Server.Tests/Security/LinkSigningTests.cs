using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using MentorFlow.Server.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace MentorFlow.Server.Tests.Security;

/// <summary>Participant links: a public base URL is required in Production, keys rotate by id, weak keys are refused.</summary>
public sealed class LinkSigningTests
{
    private const string KeyA = "a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuV-server-keyA";
    private const string KeyB = "Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe-server-keyB";
    private const string KeyC = "Qw3Er4Ty5Ui6Op7As8Df9Gh0Jk1Lz2Xc-server-keyC";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Start_InProductionWithoutPublicBaseUrl_ExitsWithOneLineNamingIt()
    {
        var result = await ServerProcess.RunAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__mentorflow"] = "Data Source=data/test.db",
            ["Security__ManagerApiKeys__0"] = ServerFactory.ManagerKey,
            ["Mentoring__Links__SigningKey"] = KeyA,
        }, ["--urls", "http://127.0.0.1:0"], Timeout);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("mentorflow-server: configuration error: Mentoring:Links:PublicBaseUrl is required", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithShortPassphraseAsSigningKey_ExitsWithOneLineNamingTheSetting()
    {
        var result = await ServerProcess.RunAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__mentorflow"] = "Data Source=data/test.db",
            ["Security__ManagerApiKeys__0"] = ServerFactory.ManagerKey,
            ["Mentoring__Links__PublicBaseUrl"] = "https://mentoring.example.org",
            ["Mentoring__Links__SigningKey"] = "correct horse battery",
        }, ["--urls", "http://127.0.0.1:0"], Timeout);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Mentoring:Links:SigningKey must be at least 32 characters", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Form_SignedWithKeyA_StillOpensAfterKeyBBecomesActive_AndNewLinksUseKeyB()
    {
        await using var server = Rotated();
        var (client, programmeId) = await PollProgrammeAsync(server);
        var oldLink = Links(server, ("a", KeyA)).Issue(LinkPurpose.Poll, programmeId, "member@c.test");

        var response = await client.GetAsync(new Uri("/forms/" + oldLink, UriKind.Relative));
        var issued = await client.PostAsJsonAsync(new Uri($"/api/programmes/{programmeId}/links", UriKind.Relative),
            new { purpose = "Poll", participant = "other@c.test" });
        var url = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("https://mentoring.example.org/forms/b.", url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Form_SignedWithARemovedKey_ShowsTheFriendlyInvalidLinkPage()
    {
        await using var server = Rotated();
        var (client, programmeId) = await PollProgrammeAsync(server);
        var removed = Links(server, ("c", KeyC)).Issue(LinkPurpose.Poll, programmeId, "member@c.test");

        var response = await client.GetAsync(new Uri("/forms/" + removed, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("This link is not valid", html, StringComparison.Ordinal);
    }

    /// <summary>A server that verifies keys a and b and signs with b.</summary>
    private static ServerFactory Rotated() => new()
    {
        Settings =
        {
            ["Mentoring:Links:PublicBaseUrl"] = "https://mentoring.example.org/",
            ["Mentoring:Links:SigningKeys:0:Id"] = "a",
            ["Mentoring:Links:SigningKeys:0:Key"] = KeyA,
            ["Mentoring:Links:SigningKeys:1:Id"] = "b",
            ["Mentoring:Links:SigningKeys:1:Key"] = KeyB,
            ["Mentoring:Links:ActiveKeyId"] = "b",
        },
    };

    private static ParticipantLinks Links(ServerFactory server, (string Id, string Key) key)
    {
        var options = new LinkOptions { PublicBaseUrl = "https://mentoring.example.org" };
        options.SigningKeys.Add(new LinkSigningKey { Id = key.Id, Key = key.Key });
        return new ParticipantLinks(Options.Create(options), server.Clock);
    }

    private static async Task<(HttpClient Client, Guid ProgrammeId)> PollProgrammeAsync(ServerFactory server)
    {
        var client = server.CreateManagerClient();
        var created = await client.PostAsJsonAsync(new Uri("/api/programmes", UriKind.Relative), new
        {
            name = "Rotation",
            description = "Links keep working while keys rotate.",
            organizerMailbox = "mentoring@contoso.test",
            timeZone = "Europe/London",
            lengthOptions = new[] { "3-6" },
            targetMenteesPerMentor = 2,
            pollClosesAt = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero),
            applicationsCloseAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero),
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await client.PostAsync(new Uri($"/api/programmes/{id}/open", UriKind.Relative), null)).EnsureSuccessStatusCode();
        return (client, id);
    }
}
