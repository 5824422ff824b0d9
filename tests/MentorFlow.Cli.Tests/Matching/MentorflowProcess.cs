using System.Diagnostics;

namespace MentorFlow.Cli.Tests.Matching;

/// <summary>Runs the real <c>mentorflow</c> executable (built next to the tests) and captures its exit code and output.</summary>
internal static class MentorflowProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Result> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mentorflow.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}

/// <summary>One synthetic data set written by <c>mentorflow synth</c>, shared by the match tests (read only).</summary>
public sealed class SynthFolderFixture : IAsyncLifetime
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("mentorflow-cli-").FullName;

    public string SynthStandardError { get; private set; } = string.Empty;

    public int SynthExitCode { get; private set; }

    public string History => Path.Combine(Folder, "history-applications.csv");

    public string Outcomes => Path.Combine(Folder, "outcomes.csv");

    public string Cohort => Path.Combine(Folder, "applications.csv");

    public async Task InitializeAsync()
    {
        var result = await MentorflowProcess.RunAsync(
            "synth", "--mentors", "30", "--mentees", "120", "--history-mentors", "120", "--history-mentees", "480", "--seed", "7", "--out", Folder);
        SynthExitCode = result.ExitCode;
        SynthStandardError = result.StandardError;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}
