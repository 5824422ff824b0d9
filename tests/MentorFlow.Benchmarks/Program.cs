// MentorFlow benchmarks: Stopwatch harnesses that print a table. They run apart from the tests:
//   dotnet run -c Release --project tests/MentorFlow.Benchmarks -- <area> [area options]
//   dotnet run -c Release --project tests/MentorFlow.Benchmarks -- all --smoke      (seconds-long check of each)
using MentorFlow.Benchmarks;

var areas = new (string Name, string Description, IReadOnlyList<string> Options, Func<string[], Task> Run)[]
{
    ("workflows", "workflow engine: throughput (in memory, SQLite), 10,000 timers fire lag, start latency with history", WorkflowBenchmark.Options, WorkflowBenchmark.RunAsync),
    ("graph", "Graph dispatcher: 1,000 invites + 250 mails to one throttled mailbox, paced (achieved / allowed rate) and over-eager (429s); lost, duplicates", GraphBenchmark.Options, GraphBenchmark.RunAsync),
    ("matching", "match quality vs oracle; score + assign 1k x 250 and 10k x 2.5k", MatchingBenchmark.Options, MatchingBenchmark.RunAsync),
    ("lifecycle", "programme lifecycle: 2,000 pairs from CSV import to active, one check-in series each within the Graph pacing", LifecycleBenchmark.Options, LifecycleBenchmark.RunAsync),
    ("peers", "beside the peers in one run: 10-step flow vs WorkflowCore (1,000 and 10,000 instances), 10,000 delayed items vs Hangfire", PeersBenchmark.Options, PeersBenchmark.RunAsync),
    ("crash", "crash anywhere: the programme lifecycle killed with SIGKILL at random points (SQLite, PostgreSQL with two replicas); lost / duplicated / stuck", CrashBenchmark.Options, CrashBenchmark.RunAsync),
    ("poison", "hostile flows against the real server in a child process: outcome, incident, peak RSS < 1.5 GiB, /alive < 1 s", PoisonBenchmark.Options, PoisonBenchmark.RunAsync),
    ("notebooks", "notebook suite: whole suite cold < 60 s, per-notebook times", NotebookBenchmark.Options, NotebookBenchmark.RunAsync),
};

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: MentorFlow.Benchmarks <area>|all [--smoke] [area options]");
    foreach (var area in areas)
    {
        Console.WriteLine($"  {area.Name,-12} {area.Description}");
    }

    return 0;
}

var selected = args[0] == "all" ? areas : areas.Where(area => area.Name == args[0]).ToArray();
if (selected.Length == 0)
{
    await Console.Error.WriteLineAsync($"unknown benchmark area '{args[0]}'; see --help");
    return 2;
}

if (args[1..].Any(arg => arg is "-h" or "--help"))
{
    foreach (var area in selected)
    {
        Console.WriteLine($"usage: MentorFlow.Benchmarks {area.Name} [{string.Join("] [", area.Options)}]");
        Console.WriteLine($"  {area.Description}; the options are described in tests/MentorFlow.Benchmarks/README.md");
    }

    return 0;
}

// An option no selected area reads (a typo such as --seed for --seeds) would otherwise run minutes with the defaults.
var unknown = args[1..].Where(arg => arg.StartsWith("--", StringComparison.Ordinal) && !selected.Any(area => area.Options.Contains(arg))).ToList();
if (unknown.Count > 0)
{
    await Console.Error.WriteLineAsync(
        $"unknown option {string.Join(", ", unknown.Select(option => $"'{option}'"))} for {args[0]}; it takes {string.Join(" ", selected.SelectMany(area => area.Options).Distinct())} (see {args[0]} --help)");
    return 2;
}

foreach (var area in selected)
{
    Console.WriteLine($"== {area.Name}: {area.Description}");
    try
    {
        await area.Run(args[1..]);
    }
    catch (Exception e) when (e is ArgumentException or FormatException)
    {
        // A bad option (an unknown world, a scale out of range, a number that is not one): say which, no stack trace.
        await Console.Error.WriteLineAsync($"{area.Name}: {e.Message}");
        return 2;
    }
}

// An area that finds a failure sets Environment.ExitCode.
return Environment.ExitCode;
