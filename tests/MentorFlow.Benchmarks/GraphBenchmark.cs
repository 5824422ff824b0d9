using System.Globalization;
using MentorFlow.Testing.Server.Graph;

namespace MentorFlow.Benchmarks;

/// <summary>
/// The Graph outbox's figures (<see cref="GraphMeasures"/>): invites and mails to one mailbox whose sandbox allows R
/// requests per W seconds, sent by the dispatcher paced at the same limit (achieved rate / allowed rate, target ≥ 0.9),
/// then by a dispatcher allowed twice that (Graph's 429 and Retry-After), over real HTTP with the real SDK.
/// Options: <c>--invites N</c> (1000), <c>--mails N</c> (250), <c>--limit R</c> (100), <c>--window W</c> seconds (2),
/// <c>--part paced|throttled</c> (the throttled part sends 400 invites and 100 mails; smoke 160 and 40), <c>--smoke</c>. Exit code 1 when an outcome is wrong (an item lost or sent twice, a
/// 429 while paced, none while over-eager).
/// </summary>
public static class GraphBenchmark
{
    /// <summary>The options <see cref="RunAsync"/> reads; the runner refuses any other.</summary>
    public static IReadOnlyList<string> Options { get; } = ["--smoke", "--invites", "--mails", "--limit", "--window", "--part"];

    public static async Task RunAsync(string[] args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int? IntArg(string name) => Arg(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;
        var options = args.Contains("--smoke") ? GraphRunOptions.Smoke : GraphRunOptions.Full;
        options = options with
        {
            Invites = IntArg("--invites") ?? options.Invites,
            Mails = IntArg("--mails") ?? options.Mails,
            Limit = IntArg("--limit") ?? options.Limit,
            Window = IntArg("--window") is { } window ? TimeSpan.FromSeconds(window) : options.Window,
            Parts = Arg("--part") is { } part ? [Enum.Parse<GraphPart>(part, ignoreCase: true)] : options.Parts,
        };

        var result = await GraphMeasures.RunAsync(options, TimeProvider.System);
        Console.WriteLine();
        Console.WriteLine($"| {"measure",-70} | {"value",-22} | {"target",-14} |");
        Console.WriteLine($"|{new string('-', 72)}|{new string('-', 24)}|{new string('-', 16)}|");
        foreach (var (measure, value, target) in result.Parts.SelectMany(Rows))
        {
            Console.WriteLine($"| {measure,-70} | {value,-22} | {target,-14} |");
        }

        BenchmarkOutcomes.Report(result.Failures);
    }

    private static IEnumerable<(string Measure, string Value, string Target)> Rows(GraphPartFigures p)
    {
        var paced = p.Part == GraphPart.Paced;
        var what = paced ? "paced" : $"over-eager (dispatcher {F(p.DispatcherLimit)})";
        yield return ($"{what}: invites + mails to one mailbox", $"{F(p.Invites)} + {F(p.Mails)}", "");
        yield return ($"{what}: sandbox limit", $"{F(p.SandboxLimit)} per {F(p.Window.TotalSeconds, "0.#")} s", "");
        yield return ($"{what}: elapsed", $"{F(p.Elapsed.TotalSeconds, "0.0")} s", "");
        yield return ($"{what}: allowed rate (requests/s)", F(p.AllowedPerSecond, "0.0"), "");
        yield return ($"{what}: achieved rate (items/s)", F(p.AchievedPerSecond, "0.0"), "");
        yield return ($"{what}: achieved / allowed", F(p.AchievedPerSecond / p.AllowedPerSecond, "0.00"), paced ? "≥ 0.90" : "");
        yield return ($"{what}: events / mails in the sandbox", $"{F(p.Events)} / {F(p.Messages)}", $"{F(p.Invites)} / {F(p.Mails)}");
        yield return ($"{what}: duplicate events / mails / transactionIds", $"{F(p.DuplicateEvents)} / {F(p.DuplicateMessages)} / {F(p.DuplicateTransactions)}", "0 / 0 / 0");
        yield return ($"{what}: outbox sent / pending / failed", $"{F(p.OutboxSent)} / {F(p.OutboxPending)} / {F(p.OutboxFailed)}", "all sent");
        yield return ($"{what}: most attempts of a message", F(p.MaxAttempts), "1");
        yield return ($"{what}: 429 answers", F(p.Throttled), paced ? "0 (paced)" : "> 0");
        yield return ($"{what}: $batch requests", F(p.Batches), "");
        yield return ($"{what}: peak concurrent requests", F(p.PeakConcurrency), "≤ 4");
    }

    private static string F(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);
}
