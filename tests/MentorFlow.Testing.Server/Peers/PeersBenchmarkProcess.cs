using System.Diagnostics;
using System.Text;

namespace MentorFlow.Testing.Server.Peers;

/// <summary>
/// Runs the built <c>peers</c> benchmark (tests/MentorFlow.Benchmarks) in a child process and reads its
/// <see cref="PeersRunResult"/> back. A child process because the peers (WorkflowCore, Hangfire on sqlite-net) need the
/// benchmark's own SQLite set-up (SQLitePCLRaw 3.0.3, one native SQLite), which no test project takes.
/// </summary>
public static class PeersBenchmarkProcess
{
    /// <summary>What the child printed, its exit code and the result it wrote (null when it wrote none).</summary>
    public sealed record Run(int ExitCode, string Output, PeersRunResult? Result, TimeSpan Elapsed);

    /// <summary>
    /// <c>dotnet MentorFlow.Benchmarks.dll peers <paramref name="arguments"/> --json FILE</c>; killed after
    /// <paramref name="timeout"/>.
    /// </summary>
    public static async Task<Run> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var dll = FindBenchmarkDll();
        var json = Path.Combine(Path.GetTempPath(), "mf-peers-" + Guid.NewGuid().ToString("N") + ".json");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])[dll, "peers", .. arguments, "--json", json])
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Append(output, $"killed after {timeout.TotalSeconds:0} s");
        }

        try
        {
            var result = File.Exists(json) ? PeersRunResult.Read(json) : null;
            lock (output)
            {
                return new Run(process.ExitCode, output.ToString(), result, watch.Elapsed);
            }
        }
        finally
        {
            File.Delete(json);
        }
    }

    /// <summary>
    /// The benchmark's own build output (<c>tests/MentorFlow.Benchmarks/bin/&lt;configuration&gt;/&lt;framework&gt;</c>,
    /// in the configuration and framework of this assembly's folder), found above this assembly, and built with this
    /// assembly's build of the shared code.
    /// </summary>
    public static string FindBenchmarkDll()
    {
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = baseDirectory.Name;
        var configuration = baseDirectory.Parent?.Name ?? "Debug";
        for (var directory = baseDirectory; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MentorFlow.sln")))
            {
                var dll = Path.Combine(directory.FullName, "tests", "MentorFlow.Benchmarks", "bin", configuration, framework, "MentorFlow.Benchmarks.dll");
                if (!File.Exists(dll))
                {
                    throw new FileNotFoundException($"the built benchmark is not at {dll}: build tests/MentorFlow.Benchmarks ({configuration}) first (the solution's build does)", dll);
                }

                // No project may reference the benchmark, so nothing builds it with this assembly: a benchmark built
                // before the shared code changed would run old code. Its copy of this library must be this one.
                var shared = Path.GetFileName(typeof(PeersBenchmarkProcess).Assembly.Location);
                if (!File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(dll)!, shared)).AsSpan().SequenceEqual(File.ReadAllBytes(typeof(PeersBenchmarkProcess).Assembly.Location)))
                {
                    throw new InvalidOperationException($"the benchmark at {dll} was built with another {shared} than this test: build tests/MentorFlow.Benchmarks ({configuration}) again");
                }

                return dll;
            }
        }

        throw new InvalidOperationException("MentorFlow.sln not found above " + AppContext.BaseDirectory);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
