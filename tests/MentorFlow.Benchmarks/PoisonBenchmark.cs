using System.Globalization;
using MentorFlow.Testing.Server.Poison;

namespace MentorFlow.Benchmarks;

/// <summary>
/// The hostile flows against the real server in a child process (<see cref="PoisonFlows"/>): each case's outcome and
/// incident, the peak resident memory and the slowest <c>/alive</c> answer while it ran; exit code 1 when a case ends
/// otherwise than expected or the server goes over 1.5 GiB or takes 1 s or more to answer <c>/alive</c>.
/// </summary>
public static class PoisonBenchmark
{
    /// <summary>The options <see cref="RunAsync"/> reads; the runner refuses any other.</summary>
    public static IReadOnlyList<string> Options { get; } = ["--smoke", "--instances", "--retry-watch", "--server"];

    public static async Task RunAsync(string[] args)
    {
        var smoke = args.Contains("--smoke");
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var instances = Arg("--instances") is { } count ? int.Parse(count, CultureInfo.InvariantCulture) : smoke ? 1 : 5;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        TimeSpan retryWatch;
        if (smoke)
        {
            // Sweep every second, so three seconds are enough to see a faulted instance is not run again.
            settings["Workflows:SweepInterval"] = "00:00:01";
            retryWatch = TimeSpan.FromSeconds(3);
        }
        else
        {
            retryWatch = TimeSpan.FromSeconds(Arg("--retry-watch") is { } seconds ? int.Parse(seconds, CultureInfo.InvariantCulture) : 25);
        }

        var options = new PoisonOptions
        {
            ServerDll = Arg("--server") ?? ChildServer.FindServerDll(),
            InstancesPerCase = instances,
            RetryWatch = retryWatch,
            Settings = settings,
        };
        Console.WriteLine($"server {options.ServerDll} (Development, own SQLite file{(settings.Count > 0 ? ", " + string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}")) : ", default settings")}); {instances} instance(s) per case; memory and /alive sampled every {options.SampleInterval.TotalMilliseconds:N0} ms");
        var result = await PoisonFlows.RunAsync(options, Console.Out, CancellationToken.None);

        Console.WriteLine();
        Console.WriteLine($"| {"case",-44} | {"outcome",-70} | {"incident shown",-110} | {"peak RSS",-9} | {"max /alive",-10} |");
        Console.WriteLine($"|{new string('-', 46)}|{new string('-', 72)}|{new string('-', 112)}|{new string('-', 11)}|{new string('-', 12)}|");
        foreach (var row in result.Cases)
        {
            Console.WriteLine($"| {row.Case,-44} | {row.Outcome,-70} | {Cell(row.Incident, 110),-110} | {PoisonFlows.MiB(row.PeakResidentBytes),-9} | {Ms(row.MaxAliveLatency),-10} |");
        }

        Console.WriteLine();
        Console.WriteLine($"server ready in {result.StartUp.TotalSeconds:N1} s; RSS at start {PoisonFlows.MiB(result.StartResidentBytes)}, peak {PoisonFlows.MiB(result.PeakResidentBytes)} (target < {PoisonFlows.MiB(PoisonFlows.ResidentTarget)}), 2 s after the last case {PoisonFlows.MiB(result.EndResidentBytes)}");
        Console.WriteLine($"/alive: {result.AliveProbes:N0} probes, max {Ms(result.MaxAliveLatency)} (target < {Ms(PoisonFlows.AliveTarget)}), {result.AliveFailures} failed; run took {result.Duration.TotalSeconds:N1} s");
        BenchmarkOutcomes.Report(result.Failures, "targets missed:", "all targets met");
    }

    private static string Ms(TimeSpan span) => $"{span.TotalMilliseconds:N0} ms";

    private static string Cell(string text, int width)
    {
        var line = text.Replace('\n', ' ').Replace('|', '/');
        return line.Length <= width ? line : line[..(width - 1)] + "…";
    }
}
