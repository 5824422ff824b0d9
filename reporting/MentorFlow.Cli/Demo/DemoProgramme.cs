using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Synthesis;

namespace MentorFlow.Cli.Demo;

/// <summary>Sizes and names of the sample programme.</summary>
public sealed record DemoOptions(int Mentors, int Mentees, int Seed, string Organizer);

/// <summary>What the demo made: the programme and the pages to open, in the order a newcomer opens them.</summary>
public sealed record DemoResult(Guid ProgrammeId, int PollAnswers, int Applications, int Pairs, int Unmatched, IReadOnlyList<(string Label, string Url)> Links);

/// <summary>A demo step the server refused, said in words the user can act on (bad input when the user can fix it).</summary>
public sealed class DemoException(string message, bool badInput = false) : Exception(message)
{
    public bool BadInput { get; } = badInput;
}

/// <summary>
/// Builds a sample programme through the server's public API, as a manager and its members would: the programme with
/// the manager form's defaults (3–6 and 6–9 months), synthetic members whose preferred lengths fit it, the poll
/// opened and answered through each member's signed poll link, applications imported, matching run and approved.
/// Only against a server whose Graph is the sandbox: the synthetic addresses must never receive real mail.
/// </summary>
public sealed class DemoProgramme(HttpClient http, Action<string> progress)
{
    /// <summary>At most this many mentors and as many mentees: every member posts one poll answer, and the server allows 60 form requests a minute per address.</summary>
    public const int MaxPeople = 25;

    private static readonly ProgrammeLength[] Lengths = [ProgrammeLength.ThreeToSix, ProgrammeLength.SixToNine];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<DemoResult> RunAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Mentors, MaxPeople);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Mentees, MaxPeople);
        var system = await SendAsync(HttpMethod.Get, "api/system", null, "check the server", cancellationToken).ConfigureAwait(false);
        if (!string.Equals((string?)system["graphMode"], "Sandbox", StringComparison.OrdinalIgnoreCase))
        {
            throw new DemoException(
                $"The server at {http.BaseAddress} sends mail through a real Microsoft 365 tenant (Graph:Mode {(string?)system["graphMode"] ?? "unknown"}); the demo invents people and runs only against the Graph sandbox.",
                badInput: true);
        }

        var now = system["serverTime"]!.GetValue<DateTimeOffset>();
        var programme = await SendAsync(HttpMethod.Post, "api/programmes", JsonContent.Create(new
        {
            name = string.Create(CultureInfo.InvariantCulture, $"Sample programme {now:yyyy-MM-dd HH:mm}"),
            description = "A sample programme made by `mentorflow demo`: synthetic members, their poll answers and applications.",
            organizerMailbox = options.Organizer,
            timeZone = "Europe/London",
            language = "en",
            lengthOptions = Lengths.Select(length => length.ToCsv()).ToArray(),
            targetMenteesPerMentor = 2,
            pollClosesAt = now.AddDays(14),
            applicationsCloseAt = now.AddDays(35),
            recruitmentEndsAt = now.AddDays(28),
            confirmationDays = 7,
            kickOffDays = 7,
        }, options: Json), "create the programme", cancellationToken).ConfigureAwait(false);
        var id = programme["id"]!.GetValue<Guid>();
        var api = $"api/programmes/{id}";
        progress($"created programme {id}");

        var people = SyntheticData.Generate(new SynthOptions
        {
            Mentors = options.Mentors,
            Mentees = options.Mentees,
            HistoryMentors = 0,
            HistoryMentees = 0,
            Seed = options.Seed,
            Lengths = Lengths,
        }).Cohort;

        await SendAsync(HttpMethod.Post, $"{api}/members", Csv(writer => CsvTable.Write(writer, ["email", "name", "seniority_years"], people,
            person => [person.Email, person.Name, person.SeniorityYears.ToString(CultureInfo.InvariantCulture)])), "import the members", cancellationToken)
            .ConfigureAwait(false);
        await SendAsync(HttpMethod.Post, $"{api}/open", null, "open the poll", cancellationToken).ConfigureAwait(false);
        progress($"poll opened for {people.Count} members");

        foreach (var person in people)
        {
            var link = await SendAsync(HttpMethod.Post, $"{api}/links", JsonContent.Create(new { purpose = "Poll", participant = person.Email }, options: Json),
                "issue a poll link", cancellationToken).ConfigureAwait(false);
            await SubmitFormAsync((string)link["token"]!, new Dictionary<string, string>
            {
                ["name"] = person.Name,
                ["choice"] = person.IsMentor ? "Mentor" : "Mentee",
                ["topics"] = string.Join(", ", person.Interests),
            }, cancellationToken).ConfigureAwait(false);
        }

        progress($"{people.Count} poll answers sent through the members' links");

        await SendAsync(HttpMethod.Post, $"{api}/phase", JsonContent.Create(new { phase = "Applications" }, options: Json), "close the poll and open applications",
            cancellationToken).ConfigureAwait(false);
        var imported = await SendAsync(HttpMethod.Post, $"{api}/applications/import", Csv(writer => ApplicationsCsv.Write(writer, people)),
            "import the applications", cancellationToken).ConfigureAwait(false);
        progress($"{(int?)imported["imported"] ?? 0} applications imported");

        var review = await SendAsync(HttpMethod.Post, $"{api}/matching/run", JsonContent.Create(new { }, options: Json), "run the matching", cancellationToken)
            .ConfigureAwait(false);
        var pairs = review["pairs"]?.AsArray().Count ?? 0;
        var unmatched = review["unmatched"]?.AsArray().Count ?? 0;
        progress($"matching proposed {pairs} pairs ({unmatched} mentees unmatched)");
        await SendAsync(HttpMethod.Post, $"{api}/matching/approve", null, "approve the matching", cancellationToken).ConfigureAwait(false);
        progress("matching approved: the pairs' welcome mails and invites are on their way to the sandbox mailbox");

        var root = http.BaseAddress!.ToString().TrimEnd('/');
        return new DemoResult(id, people.Count, people.Count, pairs, unmatched,
        [
            ("Programme", $"{root}/programmes/programme.html?id={id}"),
            ("Mailbox (sandbox)", $"{root}/graph/sandbox"),
            ("Flows (Studio)", $"{root}/studio/workflows/definitions"),
            ("Sign in with", "the manager key you passed (the AppHost prints it)"),
        ]);
    }

    private async Task SubmitFormAsync(string token, Dictionary<string, string> fields, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"forms/{Uri.EscapeDataString(token)}") { Content = new FormUrlEncodedContent(fields) };
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode >= 400)
        {
            throw new DemoException($"The poll form refused a member's answer ({(int)response.StatusCode}); the programme was created and stays as it is: open it to see its state.");
        }
    }

    private static StringContent Csv(Action<TextWriter> write)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        write(writer);
        return new StringContent(writer.ToString(), Encoding.UTF8, "text/csv");
    }

    /// <summary>Sends one API call; a refusal becomes a <see cref="DemoException"/> naming the step and the server's own words (its problem title and field errors).</summary>
    private async Task<JsonObject> SendAsync(HttpMethod method, string path, HttpContent? content, string step, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            throw new DemoException(
                $"Cannot reach the server at {http.BaseAddress}: start it first (`dotnet run --project apphost/MentorFlow.AppHost`) or pass --server with its address.",
                badInput: true);
        }

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new DemoException(
                    $"The server at {http.BaseAddress} refused the manager key: pass --key with a key it knows (the AppHost prints it at start, in data/dev-manager-key).",
                    badInput: true);
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new DemoException($"Could not {step}: the server answered {(int)response.StatusCode} {Problem(text)}");
            }

            return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
        }
    }

    /// <summary>The title and field errors of a problem-details body, on one line (other bodies: nothing of them).</summary>
    private static string Problem(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is not JsonObject problem)
            {
                return "";
            }

            var errors = problem["errors"] is JsonObject fields
                ? string.Join("; ", fields.Select(field => $"{field.Key}: {string.Join(" ", field.Value?.AsArray().Select(m => (string?)m) ?? [])}"))
                : (string?)problem["detail"];
            return $"({(string?)problem["title"]}{(string.IsNullOrEmpty(errors) ? "" : ": " + errors)})";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
