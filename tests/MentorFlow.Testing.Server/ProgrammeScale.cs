using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using MentorFlow.Graph;
using MentorFlow.Graph.Outbox;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MentorFlow.Testing.Server;

/// <summary>What to run: the number of pairs and, optionally, a pacing limit other than the server's default.</summary>
/// <param name="Pairs">Pairs to activate (mentees; mentors take two each).</param>
/// <param name="RequestsPerWindow">Graph:Dispatcher:RequestsPerWindow (null: the server's default, 9,000).</param>
/// <param name="SandboxRequestsPerWindow">The sandbox's throttling per mailbox per window (Graph: 10,000 per 10 min).</param>
public sealed record ProgrammeScaleOptions(int Pairs, int? RequestsPerWindow = null, int SandboxRequestsPerWindow = 10_000);

/// <summary>
/// The programme lifecycle at scale, as a real programme gets its pairs: the real server in process on SQLite with a
/// fake clock (Graph time) and the embedded Graph sandbox over HTTP. Applications are imported as CSV through the API,
/// matching is run and approved through the API (one introductions flow per pair), the proposals are dispatched, both
/// sides confirm through the signed links in their mail (form posts), which activates each pair and starts its
/// partnership flows (welcome, kick-off, check-ins, surveys, closing), and the outbox is dispatched by the server's
/// <see cref="GraphOutboxDispatcher{TContext}"/> with its <see cref="MailboxPacer"/> until it is empty. Whenever the
/// dispatcher waits (for the pacing window or a Retry-After) and nothing reaches the sandbox, the fake clock moves on
/// by a fraction of the window, so the pacing is kept in Graph time while the wall time measures our own code.
/// Used by the <c>lifecycle</c> benchmark and by the end-to-end scale test.
/// </summary>
public static partial class ProgrammeScale
{
    public const string Organizer = "mentoring@contoso.test";
    private static readonly string[] Topics = ["data-science", "public-speaking", "leadership", "cloud", "product", "security", "design"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static async Task<ProgrammeScaleResult> RunAsync(ProgrammeScaleOptions options, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        log ??= _ => { };
        var settings = new Dictionary<string, string?>
        {
            ["Graph:Dispatcher:Enabled"] = "false",
            ["Workflows:EnableBackgroundServices"] = "false",
            ["GraphSandbox:Port"] = "0",
            ["GraphSandbox:ThrottleRequests"] = options.SandboxRequestsPerWindow.ToString(CultureInfo.InvariantCulture),
        };
        if (options.RequestsPerWindow is { } limit)
        {
            settings["Graph:Dispatcher:RequestsPerWindow"] = limit.ToString(CultureInfo.InvariantCulture);
        }

        using var host = new InProcessServer(settings);
        var run = new Run(host, options.Pairs, log, cancellationToken);
        return await run.ExecuteAsync();
    }

    /// <summary>The kind of a mail, from its subject (the default flows' wording).</summary>
    public static string Kind(string subject) => subject switch
    {
        _ when subject.Contains("meet your proposed", StringComparison.Ordinal) => "proposed",
        _ when subject.Contains("are matched", StringComparison.Ordinal) => "matched",
        _ when subject.StartsWith("Welcome to", StringComparison.Ordinal) => "welcome",
        _ when subject.StartsWith("Please schedule your kick-off", StringComparison.Ordinal) => "kickoff",
        _ when subject.StartsWith("Check-in:", StringComparison.Ordinal) => "checkin",
        _ => subject,
    };

    [GeneratedRegex("https?://localhost/forms/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex FormLink();

    private sealed class Run(InProcessServer host, int pairs, Action<string> log, CancellationToken cancellationToken)
    {
        private readonly HttpClient _manager = host.Manager();
        private readonly HttpClient _participant = host.Participant();
        private readonly Stopwatch _dispatchTime = new();
        private int _clockSteps;

        private GraphSandbox Sandbox => host.Services.GetRequiredService<GraphSandbox>();

        public async Task<ProgrammeScaleResult> ExecuteAsync()
        {
            var total = Stopwatch.StartNew();
            var phases = new List<(string Name, TimeSpan Elapsed)>();
            var phase = Stopwatch.StartNew();
            void Phase(string name)
            {
                phases.Add((name, phase.Elapsed));
                log($"{name}: {phase.Elapsed.TotalSeconds:0.0} s (total {total.Elapsed.TotalSeconds:0.0} s)");
                phase.Restart();
            }

            var api = await CreateProgrammeAsync();
            await ImportApplicationsAsync(api);
            Phase("start server, programme, CSV import of applications");

            var review = await PostJsonAsync($"{api}/matching/run", new { minScore = 0.0 });
            var proposed = review.GetProperty("pairs").GetArrayLength();
            Phase($"matching run ({proposed:N0} pairs proposed)");

            await PostJsonAsync($"{api}/matching/approve", null);
            Phase("approve (introductions started)");
            var activation = Stopwatch.StartNew();

            await DispatchAsync();
            Phase("dispatch proposals");

            var confirmations = await ConfirmAllAsync();
            var activeAfterConfirm = await ActivePairsAsync();
            activation.Stop();
            Phase($"confirm by link ({confirmations:N0} form posts, pairs active)");

            await DispatchAsync();
            Phase("dispatch after activation (welcome, intros, series)");
            total.Stop();

            return await ResultAsync(phases, activation.Elapsed, total.Elapsed, activeAfterConfirm.Count);
        }

        private async Task<string> CreateProgrammeAsync()
        {
            var created = await PostJsonAsync("/api/programmes", new
            {
                name = "Community mentoring at scale",
                description = "Scale test of the programme lifecycle.",
                organizerMailbox = Organizer,
                timeZone = "Europe/London",
                language = "en",
                resources = new[] { new { title = "Mentoring guide", url = "https://contoso.test/guide" } },
                lengthOptions = new[] { "3-6" },
                targetMenteesPerMentor = 2,
                pollClosesAt = InProcessServer.Start.AddDays(14),
                applicationsCloseAt = InProcessServer.Start.AddDays(35),
                defaultMeetingFrequency = "every-2-weeks",
                defaultCommunication = "video",
                confirmationDays = 5,
                kickOffDays = 7,
            });
            var api = $"/api/programmes/{created.GetProperty("id").GetGuid()}";
            await PostJsonAsync($"{api}/phase", new { phase = "Applications" });
            return api;
        }

        /// <summary>
        /// applications.csv: one mentee per pair and enough mentors of capacity 2 (5 % spare) for all of them. Interests
        /// are varied like a real community's: each mentor has a topic of their own (plus a broad one), which two mentees
        /// share, so every mentee has a clearly best mentor instead of all competing for the same few.
        /// </summary>
        private async Task ImportApplicationsAsync(string api)
        {
            var mentors = MentorCount(pairs);
            var csv = new StringBuilder("id,role,name,email,time_zone,interests,career_path,goals,seniority_years,preferred_length,capacity\n");
            for (var i = 0; i < mentors; i++)
            {
                csv.Append(CultureInfo.InvariantCulture,
                    $"mentor{i},mentor,Mentor {i},mentor{i}@contoso.test,Europe/London,topic-{i};{Topics[i % 7]},data,topic-{i},12,3-6,2\n");
            }

            for (var i = 0; i < pairs; i++)
            {
                csv.Append(CultureInfo.InvariantCulture,
                    $"mentee{i},mentee,Mentee {i},mentee{i}@contoso.test,Europe/London,topic-{i / 2};{Topics[i / 2 % 7]},data,topic-{i / 2},3,3-6,\n");
            }

            var response = await _manager.PostAsync($"{api}/applications/import", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"), cancellationToken);
            await EnsureAsync(response, "applications/import");
        }

        /// <summary>Both sides of every proposed pair follow the confirmation link in their mail and accept.</summary>
        private async Task<int> ConfirmAllAsync()
        {
            var links = (await Sandbox.MessagesAsync(Organizer))
                .Where(m => Kind(m.Subject) == "proposed")
                .Select(m => new Uri(WebUtility.HtmlDecode(FormLink().Match(m.BodyContent).Value)).PathAndQuery)
                .ToList();
            var form = new FormUrlEncodedContent([new("accept", "yes")]);
            foreach (var link in links)
            {
                var response = await _participant.PostAsync(link, form, cancellationToken);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"POST {link} gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
            }

            return links.Count;
        }

        /// <summary>
        /// Rounds of the server's dispatcher until no row is pending. While a round waits on the pacer (window full or
        /// Retry-After) and nothing reaches the sandbox, Graph time moves on; between rounds it jumps to the next retry.
        /// </summary>
        private async Task DispatchAsync()
        {
            _dispatchTime.Start();
            var dispatcher = host.Services.GetRequiredService<GraphOutboxDispatcher<MentorFlowDbContext>>();
            var step = host.Services.GetRequiredService<IOptions<GraphOptions>>().Value.Dispatcher.Window / 20;
            while (true)
            {
                var round = dispatcher.DispatchOnceAsync(cancellationToken);
                var seen = Sandbox.RequestCount;
                var quiet = Stopwatch.StartNew();
                while (!round.IsCompleted)
                {
                    await Task.WhenAny(round, Task.Delay(50, cancellationToken));
                    if (Sandbox.RequestCount != seen)
                    {
                        seen = Sandbox.RequestCount;
                        quiet.Restart();
                    }
                    else if (quiet.Elapsed > TimeSpan.FromMilliseconds(150))
                    {
                        host.Clock.Advance(step);
                        _clockSteps++;
                        quiet.Restart();
                    }
                }

                if (await round > 0)
                {
                    continue;
                }

                await using var db = await Database().CreateDbContextAsync(cancellationToken);
                var pending = await db.Set<GraphOutboxMessage>().Where(m => m.Status == GraphMessageStatus.Pending)
                    .Select(m => (DateTimeOffset?)m.NextAttemptAt).ToListAsync(cancellationToken);
                if (pending.Count == 0)
                {
                    break;
                }

                var next = pending.Min()!.Value;
                host.Clock.Advance(next > host.Clock.GetUtcNow() ? next - host.Clock.GetUtcNow() : TimeSpan.FromSeconds(1));
            }

            _dispatchTime.Stop();
        }

        private IDbContextFactory<MentorFlowDbContext> Database() => host.Services.GetRequiredService<IDbContextFactory<MentorFlowDbContext>>();

        /// <summary>The active pairs as (mentor email, mentee email).</summary>
        private async Task<List<(string Mentor, string Mentee)>> ActivePairsAsync()
        {
            await using var db = await Database().CreateDbContextAsync(cancellationToken);
            var emails = await db.Set<Application>().AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Email, cancellationToken);
            var active = await db.Set<Pair>().AsNoTracking().Where(p => p.Status == PairStatus.Active)
                .Select(p => new { p.MentorId, p.MenteeId }).ToListAsync(cancellationToken);
            return active.Select(p => (emails[p.MentorId], emails[p.MenteeId])).ToList();
        }

        private async Task<ProgrammeScaleResult> ResultAsync(List<(string, TimeSpan)> phases, TimeSpan activation, TimeSpan total, int activeAfterConfirm)
        {
            var graph = host.Services.GetRequiredService<IOptions<GraphOptions>>().Value.Dispatcher;
            var active = await ActivePairsAsync();
            await using var db = await Database().CreateDbContextAsync(cancellationToken);
            var outbox = await db.Set<GraphOutboxMessage>().AsNoTracking()
                .GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);

            var events = (await Sandbox.EventsAsync(Organizer));
            var masters = events.Where(e => e.Type == "seriesMaster" && !e.IsCancelled).ToList();
            var mastersPerPair = masters.GroupBy(e => PairKey(e.Attendees.Select(a => a.Address)), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var expected = active.Select(p => PairKey([p.Mentor, p.Mentee])).ToHashSet(StringComparer.Ordinal);
            var mails = (await Sandbox.MessagesAsync(Organizer));

            // Graph time: every create and send carries the sandbox's (fake) clock; the pacing window slides over it.
            var stamps = events.Select(e => e.CreatedAt).Concat(mails.Select(m => m.SentAt)).Order().ToList();
            var peak = 0;
            for (int first = 0, last = 0; last < stamps.Count; last++)
            {
                while (stamps[last] - stamps[first] >= graph.Window)
                {
                    first++;
                }

                peak = Math.Max(peak, last - first + 1);
            }

            return new ProgrammeScaleResult
            {
                Pairs = pairs,
                ActivePairs = active.Count,
                ActiveAfterConfirmations = activeAfterConfirm,
                Phases = phases,
                Activation = activation,
                Dispatch = _dispatchTime.Elapsed,
                Total = total,
                GraphRequests = Sandbox.RequestCount,
                BatchRequests = Sandbox.BatchCount,
                Throttled = Sandbox.ThrottledCount,
                PeakConcurrency = Sandbox.PeakConcurrency(Organizer),
                MaxConcurrentPerMailbox = graph.MaxConcurrentPerMailbox,
                RequestsPerWindow = graph.RequestsPerWindow,
                Window = graph.Window,
                PeakInWindow = peak,
                GraphTime = stamps.Count > 1 ? stamps[^1] - stamps[0] : TimeSpan.Zero,
                ClockSteps = _clockSteps,
                SeriesMasters = masters.Count,
                PairsWithOneSeries = expected.Count(k => mastersPerPair.GetValueOrDefault(k) == 1),
                PairsWithoutSeries = expected.Count(k => !mastersPerPair.ContainsKey(k)),
                DuplicateSeries = mastersPerPair.Where(p => p.Value > 1).Sum(p => p.Value - 1) + mastersPerPair.Count(p => !expected.Contains(p.Key)),
                DuplicateTransactionIds = events.Count(e => e.TransactionId is not null) - events.Where(e => e.TransactionId is not null).Select(e => e.TransactionId).Distinct(StringComparer.Ordinal).Count(),
                DuplicateMails = mails.GroupBy(m => (To: string.Join(",", m.Recipients), m.Subject, m.BodyContent)).Sum(g => g.Count() - 1),
                MailsPerKind = mails.GroupBy(m => Kind(m.Subject)).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count())).ToList(),
                EventsPerKind = events.GroupBy(e => e.Type).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count())).ToList(),
                OutboxPending = outbox.Where(o => o.Key == GraphMessageStatus.Pending).Sum(o => o.Count),
                OutboxFailed = outbox.Where(o => o.Key == GraphMessageStatus.Failed).Sum(o => o.Count),
                OutboxSent = outbox.Where(o => o.Key == GraphMessageStatus.Sent).Sum(o => o.Count),
            };
        }

        private static string PairKey(IEnumerable<string> addresses) =>
            string.Join("|", addresses.Select(a => a.ToLowerInvariant()).Order(StringComparer.Ordinal));

        private async Task<JsonElement> PostJsonAsync(string path, object? body)
        {
            var response = body is null
                ? await _manager.PostAsync(path, null, cancellationToken)
                : await _manager.PostAsJsonAsync(path, body, Json, cancellationToken);
            await EnsureAsync(response, path);
            return await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
        }

        private async Task EnsureAsync(HttpResponseMessage response, string what)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{what} gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }
    }

    /// <summary>Mentors of capacity 2 for every mentee, with 5 % to spare (so the matcher has a choice).</summary>
    internal static int MentorCount(int pairs) => ((pairs + 1) / 2) + Math.Max(1, pairs / 20);
}
