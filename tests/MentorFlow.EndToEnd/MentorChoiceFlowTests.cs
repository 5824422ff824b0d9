using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using MentorFlow.EndToEnd.Infrastructure;

namespace MentorFlow.EndToEnd;

/// <summary>
/// Programmes where mentees choose among their top 3 mentors, through the API, the mail in the Graph sandbox and the
/// choice form: the pick goes to the mentor to confirm, a mentor filled meanwhile is refused with the remaining
/// candidates, a mentee who does not choose gets their best candidate with room, links are single-use and expire.
/// </summary>
public sealed partial class MentorChoiceFlowTests : IDisposable
{
    private readonly MentorFlowApp _app = new(Scenario.Settings());

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task MenteesChoose_PickGoesToTheMentor_FullMentorIsRefused_SilentMenteeFallsBackToTheBestCandidate()
    {
        var s = new Scenario(_app);
        var api = await ProgrammeAsync(s, choose: true);
        await s.PostAsync($"{api}/matching/run", new { minScore = 0.0 });
        await s.PostAsync($"{api}/matching/approve");
        await s.DispatchAsync();

        // Each mentee is offered three mentors, with the reasons in plain words; nobody is asked to confirm yet.
        var review = await (await s.Manager.GetAsync($"{api}/matching")).JsonAsync();
        Assert.Equal(0, review.GetProperty("pairs").GetArrayLength());
        Assert.Equal(3, review.GetProperty("choices").GetArrayLength());
        var first = s.Links("mentee1@c.test", "choose your mentor")[0];
        var second = s.Links("mentee2@c.test", "choose your mentor")[0];
        var form = await s.Participant.GetAsync(first);
        var html = await form.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("Choose your mentor", html, StringComparison.Ordinal);
        var offered = Candidates(html);
        Assert.Equal(3, offered.Count);
        Assert.Equal(3, Regex.Count(html, "Why we matched you"));
        // Participants read plain reasons; the score and the matcher's terms stay on the manager pages.
        Assert.DoesNotMatch(@"\d+ ?%", html);
        Assert.DoesNotContain("cold-start", html, StringComparison.Ordinal);
        Assert.DoesNotContain("similarity", html, StringComparison.Ordinal);
        Assert.Matches("Please choose by [A-Z][a-z]+day \\d{1,2} [A-Z][a-z]+ \\d{4}, \\d{2}:\\d{2}", html);
        Assert.DoesNotContain(Everyone(), email => s.MailTo(email).Any(m => m.Subject.Contains("meet your proposed", StringComparison.Ordinal)));

        // Mentee 1 takes a mentor that mentee 2 was also offered: the mentor is asked to confirm, the mentee is not.
        var shared = offered.First(Candidates(await (await s.Participant.GetAsync(second)).Content.ReadAsStringAsync()).Contains);
        var chosen = await s.Participant.PostAsync(first, Form(("mentor", shared)));
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        Assert.Contains("We have asked them to confirm", await chosen.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await s.DispatchAsync();
        var mentor = MentorEmail(s, "Mentee 1");
        var ask = Assert.Single(s.MailTo(mentor), m => m.Subject.Contains("meet your proposed mentee", StringComparison.Ordinal));
        Assert.Contains("chose you as their mentor", ask.BodyContent, StringComparison.Ordinal);
        Assert.DoesNotContain(s.MailTo("mentee1@c.test"), m => m.Subject.Contains("meet your proposed mentor", StringComparison.Ordinal));

        // The link is used up.
        var reused = await s.Participant.PostAsync(first, Form(("mentor", offered.First(o => o != shared))));
        Assert.Equal(HttpStatusCode.Gone, reused.StatusCode);
        Assert.Contains("This link was already used", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Mentee 2 picks the same mentor (capacity 1, now full): a friendly page with the remaining candidates.
        var full = await s.Participant.PostAsync(second, Form(("mentor", shared)));
        var fullHtml = await full.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, full.StatusCode);
        Assert.Contains("is now full. Please choose again", fullHtml, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", fullHtml, StringComparison.Ordinal);
        var remaining = Candidates(fullHtml);
        Assert.Equal(2, remaining.Count);
        Assert.DoesNotContain(shared, remaining);
        var again = await s.Participant.PostAsync(second, Form(("mentor", remaining[0])));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        // The mentor of mentee 1 accepts: the partnership starts as usual.
        await s.DispatchAsync();
        await s.SubmitAsync(s.Links(mentor, "meet your proposed mentee")[0], ("accept", "yes"));
        await s.DispatchAsync();
        Assert.Single(s.MailTo("mentee1@c.test"), m => m.Subject.Contains("are matched", StringComparison.Ordinal));

        // Mentee 3 does not choose: after the confirmation days their best candidate with room is proposed to both.
        var silent = s.Links("mentee3@c.test", "choose your mentor")[0];
        await s.AdvanceAsync(TimeSpan.FromDays(5.5));
        var expired = await s.Participant.GetAsync(silent);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("This link has expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(s.MailTo("mentee3@c.test"), m => m.Subject.Contains("meet your proposed mentor", StringComparison.Ordinal));
        var fallback = MentorEmail(s, "Mentee 3");
        var proposal = Assert.Single(s.MailTo(fallback), m => m.Subject.Contains("meet your proposed mentee", StringComparison.Ordinal) && m.BodyContent.Contains("Mentee 3", StringComparison.Ordinal));
        Assert.Contains("We propose that you mentor", proposal.BodyContent, StringComparison.Ordinal);
        var after = await (await s.Manager.GetAsync($"{api}/matching")).JsonAsync();
        var statuses = after.GetProperty("choices").EnumerateArray().ToDictionary(c => c.GetProperty("menteeId").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal("Chosen", statuses["mentee1"]);
        Assert.Equal("Chosen", statuses["mentee2"]);
        Assert.Equal("Defaulted", statuses["mentee3"]);
        var mentee3Choice = after.GetProperty("choices").EnumerateArray().Single(c => c.GetProperty("menteeId").GetString() == "mentee3");
        var best = mentee3Choice.GetProperty("candidates").EnumerateArray()
            .Where(c => !c.GetProperty("mentorId").GetString()!.Equals(MentorId(after, "mentee1"), StringComparison.Ordinal)
                && !c.GetProperty("mentorId").GetString()!.Equals(MentorId(after, "mentee2"), StringComparison.Ordinal))
            .First().GetProperty("mentorId").GetString();
        Assert.Equal(best, mentee3Choice.GetProperty("chosenMentorId").GetString());
        Assert.All(after.GetProperty("pairs").EnumerateArray().GroupBy(p => p.GetProperty("mentorId").GetString()), g => Assert.Single(g));
    }

    [Fact]
    public async Task ChoiceForm_WithTamperedLink_GetsFriendlyInvalidPageAndNothingIsRecorded()
    {
        var s = new Scenario(_app);
        var api = await ProgrammeAsync(s, choose: true);
        await s.PostAsync($"{api}/matching/run", new { minScore = 0.0 });
        await s.PostAsync($"{api}/matching/approve");
        await s.DispatchAsync();
        var url = s.Links("mentee1@c.test", "choose your mentor")[0];
        var offered = Candidates(await (await s.Participant.GetAsync(url)).Content.ReadAsStringAsync());
        var token = url[(url.LastIndexOf('/') + 1)..];
        var tampered = url[..(url.LastIndexOf('/') + 1)] + (token[0] == 'A' ? 'B' : 'A') + token[1..];

        var get = await s.Participant.GetAsync(tampered);
        var post = await s.Participant.PostAsync(tampered, Form(("mentor", offered[0])));
        var empty = await s.Participant.PostAsync(url, Form());

        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        Assert.Contains("This link is not valid", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("href=\"#f-mentor\"", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var review = await (await s.Manager.GetAsync($"{api}/matching")).JsonAsync();
        Assert.All(review.GetProperty("choices").EnumerateArray(), c => Assert.Equal("Open", c.GetProperty("status").GetString()));
        Assert.Equal(0, review.GetProperty("pairs").GetArrayLength());
    }

    [Fact]
    public async Task Setting_IsEditableThroughTheApiAndOffByDefault_OffKeepsTheOneMentorProposal()
    {
        var s = new Scenario(_app);
        var api = await ProgrammeAsync(s, choose: false);
        var programme = await (await s.Manager.GetAsync(api)).JsonAsync();
        Assert.False(programme.GetProperty("menteeChoosesFromTopThree").GetBoolean());
        var body = System.Text.Json.JsonSerializer.SerializeToNode(ProgrammeApiTests.ValidProgramme(), MentorFlowApp.Json)!;
        body["menteeChoosesFromTopThree"] = "yes";
        var bad = await s.Manager.PutAsJsonAsync(api, body);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("menteeChoosesFromTopThree", (await bad.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        await s.PostAsync($"{api}/matching/run", new { minScore = 0.0 });
        await s.PostAsync($"{api}/matching/approve");
        await s.DispatchAsync();

        Assert.DoesNotContain(Everyone(), email => s.MailTo(email).Any(m => m.Subject.Contains("choose your mentor", StringComparison.Ordinal)));
        Assert.All(new[] { "mentee1@c.test", "mentee2@c.test", "mentee3@c.test" },
            email => Assert.Single(s.MailTo(email), m => m.Subject.Contains("meet your proposed mentor", StringComparison.Ordinal)));
        Assert.Equal(0, (await (await s.Manager.GetAsync($"{api}/matching")).JsonAsync()).GetProperty("choices").GetArrayLength());

        body["menteeChoosesFromTopThree"] = true;
        var on = await s.Manager.PutAsJsonAsync(api, body);
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.True((await on.JsonAsync()).GetProperty("menteeChoosesFromTopThree").GetBoolean());
    }

    private static IEnumerable<string> Everyone() =>
        Enumerable.Range(1, 4).Select(i => $"mentor{i}@c.test").Concat(Enumerable.Range(1, 3).Select(i => $"mentee{i}@c.test"));

    private static List<string> Candidates(string html) => CandidateValue().Matches(html).Select(m => m.Groups[1].Value).ToList();

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private static string MentorEmail(Scenario s, string mentee) =>
        Enumerable.Range(1, 4).Select(i => $"mentor{i}@c.test")
            .Single(m => s.MailTo(m).Any(x => x.Subject.Contains("meet your proposed mentee", StringComparison.Ordinal) && x.BodyContent.Contains(mentee, StringComparison.Ordinal)));

    private static string? MentorId(System.Text.Json.JsonElement review, string mentee) =>
        review.GetProperty("choices").EnumerateArray().Single(c => c.GetProperty("menteeId").GetString() == mentee).GetProperty("chosenMentorId").GetString();

    private static async Task<string> ProgrammeAsync(Scenario s, bool choose)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToNode(ProgrammeApiTests.ValidProgramme(), MentorFlowApp.Json)!;
        if (choose)
        {
            body["menteeChoosesFromTopThree"] = true;
        }

        var created = await (await s.PostAsync("/api/programmes", body)).JsonAsync();
        var api = $"/api/programmes/{created.GetProperty("id").GetGuid()}";
        await s.PostAsync($"{api}/phase", new { phase = "Applications" });
        string[] topics = ["sql", "python", "leadership", "cloud"];
        var csv = new StringBuilder("id,role,name,email,time_zone,interests,career_path,goals,seniority_years,preferred_length,capacity\n");
        for (var i = 1; i <= 4; i++)
        {
            csv.Append($"mentor{i},mentor,Mentor {i},mentor{i}@c.test,Europe/London,{topics[i - 1]};{topics[i % 4]},data,{topics[i - 1]},12,3-6,1\n");
        }

        for (var i = 1; i <= 3; i++)
        {
            csv.Append($"mentee{i},mentee,Mentee {i},mentee{i}@c.test,Europe/London,{topics[i - 1]},data,{topics[i - 1]},2,3-6,\n");
        }

        (await s.Manager.PostAsync($"{api}/applications/import", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        return api;
    }

    [GeneratedRegex("name=\"mentor\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex CandidateValue();
}
