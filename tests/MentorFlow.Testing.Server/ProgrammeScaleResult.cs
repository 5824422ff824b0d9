using System.Globalization;
using System.Text;

namespace MentorFlow.Testing.Server;

/// <summary>The figures of one <see cref="ProgrammeScale"/> run, what is wrong with them, and the table printed.</summary>
public sealed class ProgrammeScaleResult
{
    public required int Pairs { get; init; }
    public required int ActivePairs { get; init; }
    public required int ActiveAfterConfirmations { get; init; }
    public required IReadOnlyList<(string Name, TimeSpan Elapsed)> Phases { get; init; }

    /// <summary>From the approval until every pair is active with its flows started (proposals dispatched, links followed).</summary>
    public required TimeSpan Activation { get; init; }

    /// <summary>Wall time spent in dispatcher rounds (all of them).</summary>
    public required TimeSpan Dispatch { get; init; }

    public required TimeSpan Total { get; init; }

    /// <summary>Requests the sandbox handled (inner <c>$batch</c> requests counted one by one).</summary>
    public required long GraphRequests { get; init; }

    public required long BatchRequests { get; init; }
    public required long Throttled { get; init; }
    public required int PeakConcurrency { get; init; }
    public required int MaxConcurrentPerMailbox { get; init; }
    public required int RequestsPerWindow { get; init; }
    public required TimeSpan Window { get; init; }

    /// <summary>The most creates and sends to the organizer mailbox in any sliding pacing window of Graph time.</summary>
    public required int PeakInWindow { get; init; }

    /// <summary>Graph (fake clock) time from the first to the last create or send.</summary>
    public required TimeSpan GraphTime { get; init; }

    /// <summary>How often the driver moved Graph time on while the dispatcher waited on the pacer.</summary>
    public required int ClockSteps { get; init; }

    public required int SeriesMasters { get; init; }
    public required int PairsWithOneSeries { get; init; }
    public required int PairsWithoutSeries { get; init; }
    public required int DuplicateSeries { get; init; }
    public required int DuplicateTransactionIds { get; init; }
    public required int DuplicateMails { get; init; }
    public required IReadOnlyList<(string Kind, int Count)> MailsPerKind { get; init; }
    public required IReadOnlyList<(string Type, int Count)> EventsPerKind { get; init; }
    public required int OutboxPending { get; init; }
    public required int OutboxFailed { get; init; }
    public required int OutboxSent { get; init; }

    public double RequestsPerSecond => Dispatch > TimeSpan.Zero ? GraphRequests / Dispatch.TotalSeconds : 0;

    /// <summary>Everything that makes the run a failure (empty: every pair has its series exactly once, within the pacing).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Expect(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }

        Expect(ActivePairs == Pairs, $"{ActivePairs:N0} of {Pairs:N0} pairs are active");
        Expect(SeriesMasters == Pairs && PairsWithOneSeries == Pairs, $"{PairsWithOneSeries:N0} of {Pairs:N0} pairs have exactly one series ({SeriesMasters:N0} masters)");
        Expect(PairsWithoutSeries == 0, $"{PairsWithoutSeries:N0} pairs have no series");
        Expect(DuplicateSeries == 0, $"{DuplicateSeries:N0} duplicate or unexpected series");
        Expect(DuplicateTransactionIds == 0, $"{DuplicateTransactionIds:N0} events share a transactionId");
        Expect(DuplicateMails == 0, $"{DuplicateMails:N0} mails sent more than once");
        Expect(PeakInWindow <= RequestsPerWindow, $"{PeakInWindow:N0} requests in one pacing window (limit {RequestsPerWindow:N0})");
        Expect(PeakConcurrency <= MaxConcurrentPerMailbox, $"{PeakConcurrency} concurrent requests (limit {MaxConcurrentPerMailbox})");
        Expect(OutboxPending == 0 && OutboxFailed == 0, $"outbox not drained: {OutboxPending:N0} pending, {OutboxFailed:N0} failed");
        return problems;
    }

    public string Table()
    {
        var rows = new List<(string Measure, string Value, string Target)>
        {
            ("pairs", F(Pairs), string.Empty),
            ("pairs active (flows started)", F(ActivePairs), F(Pairs)),
        };
        rows.AddRange(Phases.Select(p => ($"  {p.Name}", S(p.Elapsed), string.Empty)));
        rows.AddRange(
        [
            ("time to activate all pairs (approve → active)", S(Activation), string.Empty),
            ("time to dispatch (all dispatcher rounds)", S(Dispatch), string.Empty),
            ("total wall time", S(Total), "≤ 10 min"),
            ("Graph requests sent (inner $batch requests)", F(GraphRequests), string.Empty),
            ("$batch envelopes", F(BatchRequests), string.Empty),
            ("requests/s (wall, while dispatching)", F(RequestsPerSecond, "0.0"), string.Empty),
            ($"peak per mailbox in any {Window.TotalMinutes:0.#} min (Graph time)", F(PeakInWindow), $"≤ {F(RequestsPerWindow)}"),
            ("Graph time from first to last request", S(GraphTime), string.Empty),
            ("requests/s of Graph time (first to last)", GraphTime > TimeSpan.Zero ? F(GraphRequests / GraphTime.TotalSeconds, "0.0") : "one burst", string.Empty),
            ("peak concurrent requests per mailbox", F(PeakConcurrency), $"≤ {MaxConcurrentPerMailbox}"),
            ("429 answers from the sandbox", F(Throttled), "0 (paced)"),
            ("series masters in the sandbox", F(SeriesMasters), F(Pairs)),
            ("pairs with exactly one series", F(PairsWithOneSeries), F(Pairs)),
            ("pairs without a series", F(PairsWithoutSeries), "0"),
            ("duplicate series", F(DuplicateSeries), "0"),
            ("duplicate transactionIds", F(DuplicateTransactionIds), "0"),
            ("duplicate mails (same to, subject, body)", F(DuplicateMails), "0"),
        ]);
        rows.AddRange(MailsPerKind.Select(k => ($"mails: {k.Kind}", F(k.Count), string.Empty)));
        rows.AddRange(EventsPerKind.Select(k => ($"events: {k.Type}", F(k.Count), string.Empty)));
        rows.Add(("outbox sent / pending / failed", $"{F(OutboxSent)} / {F(OutboxPending)} / {F(OutboxFailed)}", "all sent"));

        var width = Math.Max(46, rows.Max(r => r.Measure.Length));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| {"measure".PadRight(width)} | {"value",-14} | {"target",-10} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"|{new string('-', width + 2)}|{new string('-', 16)}|{new string('-', 12)}|");
        foreach (var (measure, value, target) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {measure.PadRight(width)} | {value,-14} | {target,-10} |");
        }

        return text.ToString();
    }

    private static string F(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string S(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
