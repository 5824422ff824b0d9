using System.Diagnostics;

namespace MentorFlow.Server.Tests.Infrastructure;

/// <summary>Runs the built server as a real process (as an operator would) and captures what it prints.</summary>
public static class ServerProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Result> RunAsync(IDictionary<string, string> environment, string[] args, TimeSpan timeout)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "MentorFlow.Server.dll");
        Assert.True(File.Exists(dll), $"built server not found at {dll}");
        var workDirectory = Directory.CreateTempSubdirectory("mentorflow-process-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the server did not exit within {timeout}; stdout: {await stdout}");
        }

        try
        {
            Directory.Delete(workDirectory, recursive: true);
        }
        catch (IOException)
        {
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
