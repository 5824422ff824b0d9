using System.Net.Http.Json;
using System.Text.Json;
using MentorFlow.Cli.Demo;
using MentorFlow.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace MentorFlow.EndToEnd;

/// <summary><c>mentorflow demo</c>'s work (<see cref="DemoProgramme"/>) against the real server over its public API.</summary>
public sealed class DemoCommandTests(ITestOutputHelper output) : IDisposable
{
    private const string Organizer = "programmes@sandbox.mentorflow.local";
    private readonly MentorFlowApp _app = new(Scenario.Settings());

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Demo_OnAFreshServer_MakesAProgrammeWhosePollIsAnsweredAndWhosePairsGetTheirMatchMail()
    {
        var s = new Scenario(_app);

        var result = await new DemoProgramme(s.Manager, output.WriteLine).RunAsync(new DemoOptions(6, 12, 7, Organizer), CancellationToken.None);
        await s.DispatchAsync();

        var api = $"/api/programmes/{result.ProgrammeId}";
        var programme = await (await s.Manager.GetAsync(api)).JsonAsync();
        Assert.Equal("Running", programme.GetProperty("phase").GetString());
        Assert.Equal(["3-6", "6-9"], programme.GetProperty("lengthOptions").EnumerateArray().Select(l => l.GetString()));
        var poll = await (await s.Manager.GetAsync($"{api}/poll")).JsonAsync();
        Assert.Equal(18, poll.GetProperty("results").GetProperty("responses").GetInt32());
        var applications = await s.Manager.GetFromJsonAsync<JsonElement>($"{api}/applications");
        Assert.Equal(18, applications.GetArrayLength());
        Assert.Equal(12, result.Pairs + result.Unmatched);
        Assert.True(result.Pairs >= 6, $"only {result.Pairs} of 12 mentees were matched");

        var matches = (await (await s.Manager.GetAsync($"{api}/dashboard")).JsonAsync()).GetProperty("matches");
        Assert.Equal(result.Pairs, matches.GetProperty("approved").GetInt32());
        foreach (var email in applications.EnumerateArray().Select(a => a.GetProperty("email").GetString()!))
        {
            Assert.Single(s.MailTo(email), m => m.Subject.Contains("would you like to mentor", StringComparison.OrdinalIgnoreCase));
        }

        var proposals = applications.EnumerateArray()
            .Where(a => a.GetProperty("role").GetString() is "Mentee" or "mentee")
            .Count(a => s.MailTo(a.GetProperty("email").GetString()!).Any(m => m.Subject.Contains("meet your proposed mentor", StringComparison.Ordinal)));
        Assert.Equal(result.Pairs, proposals);
        Assert.Contains(result.Links, link => link.Url == $"http://localhost/programmes/programme.html?id={result.ProgrammeId}");
    }

    [Fact]
    public async Task Demo_WithAKeyTheServerDoesNotKnow_SaysToPassAKnownKeyAndCreatesNothing()
    {
        using var client = _app.Participant();
        client.DefaultRequestHeaders.Authorization = new("ApiKey", "not-a-key-the-server-knows-0123456789");

        var refused = await Assert.ThrowsAsync<DemoException>(() =>
            new DemoProgramme(client, output.WriteLine).RunAsync(new DemoOptions(2, 2, 7, Organizer), CancellationToken.None));

        Assert.True(refused.BadInput);
        Assert.Contains("refused the manager key: pass --key", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await _app.Manager().GetFromJsonAsync<JsonElement>("/api/programmes")).GetProperty("items").GetArrayLength());
    }
}
