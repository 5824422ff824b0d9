using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MentorFlow.Graph.Sandbox;

namespace MentorFlow.Testing.Server.Crash;

/// <summary>
/// The programme lifecycle the crash harness runs (the end-to-end lifecycle scenario's steps, at a size given by the
/// number of mentors): members imported, poll announced and answered, applications opened and sent through the
/// participants' links, matching run and approved, both sides confirm, kick-offs scheduled (a few left to the automatic
/// kick-off), check-in series and surveys, the closing survey and testimonials, a month past the end. Every call goes
/// over HTTP to a replica and survives kills (<see cref="CrashHarness.SendAsync"/>); a participant whose mail with the
/// link never arrived is skipped here and shows up as lost in <see cref="CrashResult"/>.
/// </summary>
public sealed partial class CrashScenario(CrashHarness harness, int mentors, Action<string> log)
{
    public const string Organizer = "mentoring@contoso.test";
    private const string ProgrammeName = "Crash-anywhere mentoring";
    private static readonly string[] Topics = ["data-science", "public-speaking", "leadership", "cloud", "product"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<string> Steps { get; } =
    [
        "create the programme, import members",
        "open the poll",
        "everyone answers the poll",
        "poll closes (14 days)",
        "open applications",
        "everyone applies by link",
        "applications close (21 days)",
        "matching run and approval",
        "both sides confirm every pair",
        "kick-off reminders (1.1 days)",
        "kick-offs scheduled (a few left to the automatic one)",
        "check-ins (33 days)",
        "mentees answer a check-in survey",
        "to the end of the partnership (160 days)",
        "closing surveys and testimonials",
        "a month after the end (30 days)",
    ];

    private string _api = string.Empty;

    /// <summary>Problems met while driving (an answer refused, a link missing), reported with the result.</summary>
    public List<string> Problems { get; } = [];

    public int MentorCount => mentors;

    public int MenteeCount => mentors * 3;

    public static string Mentor(int i) => $"mentor{i:00}@contoso.test";

    public static string Mentee(int i) => $"mentee{i:00}@contoso.test";

    public IEnumerable<string> Mentors => Enumerable.Range(1, mentors).Select(Mentor);

    public IEnumerable<string> Mentees => Enumerable.Range(1, MenteeCount).Select(Mentee);

    public IEnumerable<string> Everyone => Mentors.Concat(Mentees);

    public async Task RunStepAsync(int step, CancellationToken ct)
    {
        switch (step)
        {
            case 0:
                await CreateProgrammeAsync(ct);
                break;
            case 1:
                await ManagerAsync(HttpMethod.Post, $"{_api}/open", null, ct);
                await harness.SettleAsync(ct);
                break;
            case 2:
                foreach (var (email, i) in Everyone.Select((e, i) => (e, i)))
                {
                    await SubmitAsync(email, "would you like to mentor", 0, ct, ("choice", email.StartsWith("mentor", StringComparison.Ordinal) ? "Mentor" : "Mentee"), ("topics", Topics[i % 5]));
                }

                break;
            case 3:
                await harness.AdvanceAsync(TimeSpan.FromDays(14), ct);
                break;
            case 4:
                await ManagerAsync(HttpMethod.Post, $"{_api}/phase", JsonContent.Create(new { phase = "Applications" }), ct);
                await harness.SettleAsync(ct);
                break;
            case 5:
                foreach (var (email, i) in Everyone.Select((e, i) => (e, i)))
                {
                    var mentor = email.StartsWith("mentor", StringComparison.Ordinal);
                    await SubmitAsync(email, "Apply to", 0, ct,
                        ("role", mentor ? "mentor" : "mentee"), ("name", email.Split('@')[0]), ("time_zone", "Europe/London"),
                        ("interests", $"{Topics[i % 5]}, {Topics[(i + 1) % 5]}"), ("career_path", "data"), ("goals", Topics[i % 5]),
                        ("seniority_years", mentor ? "12" : "3"), ("preferred_length", "3-6"), ("capacity", mentor ? "3" : ""), ("communication", "video"));
                }

                break;
            case 6:
                await harness.AdvanceAsync(TimeSpan.FromDays(21), ct);
                break;
            case 7:
                await ManagerAsync(HttpMethod.Post, $"{_api}/matching/run", JsonContent.Create(new { minScore = 0.0 }), ct);
                await ManagerAsync(HttpMethod.Post, $"{_api}/matching/approve", null, ct);
                await harness.SettleAsync(ct);
                break;
            case 8:
                foreach (var email in Everyone)
                {
                    var subject = email.StartsWith("mentor", StringComparison.Ordinal) ? "meet your proposed mentee" : "meet your proposed mentor";
                    foreach (var mail in await MailsToAsync(email, subject, ct))
                    {
                        await SubmitLinkAsync(email, FormLinks(mail).FirstOrDefault(), ct, ("accept", "yes"));
                    }
                }

                await harness.SettleAsync(ct);
                break;
            case 9:
                await harness.AdvanceAsync(TimeSpan.FromDays(1.1), ct);
                break;
            case 10:
                var reminders = new List<(string Mentor, SandboxMessage Mail)>();
                foreach (var m in Mentors)
                {
                    reminders.AddRange((await MailsToAsync(m, "Please schedule your kick-off", ct)).Select(mail => (Mentor: m, Mail: mail)));
                }

                foreach (var (mentor, mail) in reminders.Skip(AutomaticKickOffs(reminders.Count)))
                {
                    await SubmitLinkAsync(mentor, FormLinks(mail).FirstOrDefault(), ct);
                }

                break;
            case 11:
                await harness.AdvanceAsync(TimeSpan.FromDays(33), ct);
                break;
            case 12:
                foreach (var mentee in Mentees)
                {
                    await SubmitAsync(mentee, "Check-in:", 0, ct, ("rating", "4"), ("met", "yes"));
                }

                break;
            case 13:
                await harness.AdvanceAsync(TimeSpan.FromDays(160), ct);
                break;
            case 14:
                foreach (var mentee in Mentees.Take(Math.Max(1, MenteeCount / 4)))
                {
                    await SubmitAsync(mentee, "closing survey and your testimonial", 0, ct, ("rating", "5"));
                    await SubmitAsync(mentee, "closing survey and your testimonial", 1, ct, ("text", $"Mentoring helped me a lot ({mentee})."), ("consent", "yes"));
                }

                break;
            case 15:
                await harness.AdvanceAsync(TimeSpan.FromDays(30), ct);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step, "no such step");
        }
    }

    /// <summary>Kick-off reminders left unanswered (their pairs get the automatic kick-off invite): a tenth, at least one.</summary>
    public static int AutomaticKickOffs(int reminders) => Math.Max(1, reminders / 10);

    private async Task CreateProgrammeAsync(CancellationToken ct)
    {
        var members = new StringBuilder("email,name,seniority_years\n");
        foreach (var email in Everyone)
        {
            members.Append(CultureInfo.InvariantCulture, $"{email},{email.Split('@')[0]},{(email.StartsWith("mentor", StringComparison.Ordinal) ? 12 : 3)}\n");
        }

        // Created once: a POST cut off by a kill may have been committed, so look for it before posting again.
        for (var attempt = 0; _api.Length == 0; attempt++)
        {
            var (status, body, _) = await harness.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "/api/programmes"), manager: true, retry: true, ct);
            Expect(status == HttpStatusCode.OK, $"GET /api/programmes gave {(int)status}: {body}");
            var existing = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().FirstOrDefault(p => p.GetProperty("name").GetString() == ProgrammeName);
            if (existing.ValueKind == JsonValueKind.Object)
            {
                _api = $"/api/programmes/{existing.GetProperty("id").GetGuid()}";
                break;
            }

            Expect(attempt < 20, "the programme could not be created in 20 attempts");
            var start = harness.Now;
            (status, body, _) = await harness.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "/api/programmes")
            {
                Content = JsonContent.Create(new
                {
                    name = ProgrammeName,
                    organizerMailbox = Organizer,
                    timeZone = "Europe/London",
                    resources = new[] { new { title = "Mentoring guide", url = "https://contoso.test/guide" } },
                    lengthOptions = new[] { "3-6" },
                    targetMenteesPerMentor = 2,
                    pollClosesAt = start.AddDays(14),
                    applicationsCloseAt = start.AddDays(35),
                    confirmationDays = 5,
                    kickOffDays = 7,
                }, options: Json),
            }, manager: true, retry: false, ct);
            Expect(status is HttpStatusCode.Created or HttpStatusCode.OK or 0, $"POST /api/programmes gave {(int)status}: {body}");
        }

        await ManagerAsync(HttpMethod.Post, $"{_api}/members", new StringContent(members.ToString(), Encoding.UTF8, "text/csv"), ct);
    }

    /// <summary>A manager call; when an earlier attempt may have been committed, a 409 (already done) counts as done.</summary>
    private async Task ManagerAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        var payload = content is null ? null : await content.ReadAsByteArrayAsync(ct);
        var type = content?.Headers.ContentType;
        var (status, body, ambiguous) = await harness.SendAsync(() =>
        {
            var request = new HttpRequestMessage(method, path);
            if (payload is not null)
            {
                request.Content = new ByteArrayContent(payload);
                request.Content.Headers.ContentType = type;
            }

            return request;
        }, manager: true, retry: true, ct);
        if ((int)status is >= 200 and < 300 || (ambiguous && status == HttpStatusCode.Conflict))
        {
            return;
        }

        throw new InvalidOperationException($"{method} {path} gave {(int)status}: {body}");
    }

    private async Task SubmitAsync(string email, string subject, int link, CancellationToken ct, params (string Name, string Value)[] fields)
    {
        var mail = (await MailsToAsync(email, subject, ct)).LastOrDefault();
        if (mail is null)
        {
            Problems.Add($"{email} has no mail about '{subject}' to answer");
            return;
        }

        await SubmitLinkAsync(email, FormLinks(mail).ElementAtOrDefault(link), ct, fields);
    }

    /// <summary>A participant's form post; after a cut-off attempt, "already used" (410) or "already applied" (409) counts as done.</summary>
    private async Task SubmitLinkAsync(string email, string? link, CancellationToken ct, params (string Name, string Value)[] fields)
    {
        if (link is null)
        {
            Problems.Add($"a mail to {email} has no form link");
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            var (status, body, ambiguous) = await harness.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, link)
            {
                Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
            }, manager: false, retry: true, ct);
            if (status == HttpStatusCode.OK || (ambiguous && status is HttpStatusCode.Gone or HttpStatusCode.Conflict))
            {
                return;
            }

            // 409 "your answer crossed another one": open the link again, as the page says.
            if (status == HttpStatusCode.Conflict && attempt < 5)
            {
                continue;
            }

            Problems.Add($"{email}: POST {link.Split('?')[0]} gave {(int)status}");
            log($"{email}: POST {link} gave {(int)status}: {Regex.Replace(body, "<[^>]+>", " ")[..Math.Min(400, body.Length)]}");
            return;
        }
    }

    private async Task<IReadOnlyList<SandboxMessage>> MailsToAsync(string email, string subject, CancellationToken ct) =>
        (await harness.Sandbox.Store.MessagesAsync(person: email, cancellationToken: ct)).Where(m => m.To.Any(t => string.Equals(t.Address, email, StringComparison.OrdinalIgnoreCase))
            && m.Subject.Contains(subject, StringComparison.Ordinal)).OrderBy(m => m.SentAt).ToList();

    private static IEnumerable<string> FormLinks(SandboxMessage mail) =>
        FormLink().Matches(mail.BodyContent).Select(m => new Uri(WebUtility.HtmlDecode(m.Value)).PathAndQuery);

    private static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    /// <summary>The kind of a mail, from its subject (the default flows' wording).</summary>
    public static string Kind(string subject) => subject switch
    {
        _ when subject.Contains("would you like to mentor", StringComparison.Ordinal) => "poll",
        _ when subject.Contains("poll closes soon", StringComparison.Ordinal) => "poll-reminder",
        _ when subject.StartsWith("Apply to", StringComparison.Ordinal) => "apply",
        _ when subject.StartsWith("Could you mentor", StringComparison.Ordinal) => "recruitment",
        _ when subject.Contains("meet your proposed", StringComparison.Ordinal) => "proposed",
        _ when subject.Contains("are matched", StringComparison.Ordinal) => "matched",
        _ when subject.StartsWith("Welcome to", StringComparison.Ordinal) => "welcome",
        _ when subject.StartsWith("Please schedule your kick-off", StringComparison.Ordinal) => "kickoff",
        _ when subject.StartsWith("Check-in:", StringComparison.Ordinal) => "checkin",
        _ when subject.StartsWith("Half-way", StringComparison.Ordinal) => "midpoint",
        _ when subject.StartsWith("Goal met!", StringComparison.Ordinal) => "goal",
        _ when subject.Contains("closing survey", StringComparison.Ordinal) => "closing",
        _ when subject.StartsWith("Thank you", StringComparison.Ordinal) => "thanks",
        _ => subject,
    };

    /// <summary>The mails each participant must get exactly once per kind (mentors: the pair mails once per pair).</summary>
    public static IReadOnlyDictionary<string, int> ExpectedKinds(bool mentor, int pairs)
    {
        var perPair = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["proposed"] = 1,
            ["matched"] = 1,
            ["checkin"] = 6,
            ["midpoint"] = 1,
            ["closing"] = 1,
            ["thanks"] = 1,
        };
        if (mentor)
        {
            perPair["kickoff"] = 1;
        }

        var expected = perPair.ToDictionary(k => k.Key, k => k.Value * pairs, StringComparer.Ordinal);
        expected["poll"] = 1;
        expected["apply"] = 1;
        expected["welcome"] = 1;
        return expected;
    }

    [GeneratedRegex("https?://localhost/forms/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex FormLink();
}
