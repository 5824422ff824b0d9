using System.Net;
using System.Net.Sockets;
using MentorFlow.Cli.Tests.Matching;
using MentorFlow.Reporting.Data;

namespace MentorFlow.Cli.Tests.Demo;

/// <summary>The commands a newcomer runs first: <c>synth</c> for a programme's lengths, <c>demo</c>, and the help that lists them.</summary>
public sealed class FirstProgrammeCommandTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("mentorflow-first-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Synth_WithTheProgrammesLengths_WritesOnlyPreferredLengthsTheProgrammeOffers()
    {
        var folder = Path.Combine(_work, "short");

        var result = await MentorflowProcess.RunAsync("synth", "--mentors", "20", "--mentees", "60", "--seed", "5", "--lengths", "3-6,6-9", "--out", folder);

        Assert.True(result.ExitCode == 0, result.StandardError);
        var lengths = ApplicationsCsv.Read(Path.Combine(folder, "applications.csv")).OrThrow().Select(a => a.PreferredLength).ToHashSet();
        Assert.Equal([ProgrammeLength.ThreeToSix, ProgrammeLength.SixToNine], lengths.Order());
    }

    [Theory]
    [InlineData("12-18")]
    [InlineData(",")]
    public async Task Synth_WithALengthThatIsNotOffered_ExitsTwoNamingTheLengths(string lengths)
    {
        var result = await MentorflowProcess.RunAsync("synth", "--lengths", lengths, "--out", Path.Combine(_work, "bad"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--lengths must be a comma-separated list of 3-6, 6-9 and 9-12", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_work, "bad")));
    }

    [Fact]
    public async Task Demo_WhenNoServerAnswers_ExitsTwoSayingHowToStartIt()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await MentorflowProcess.RunAsync("demo", "--server", $"http://127.0.0.1:{port}", "--key", "any-key-0123456789abcdef");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"Cannot reach the server at http://127.0.0.1:{port}/: start it first (`dotnet run --project apphost/MentorFlow.AppHost`)", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task Demo_WithoutAKey_ExitsTwoNamingTheWaysToGiveOne()
    {
        var result = await MentorflowProcess.RunAsync("demo", "--key-file", Path.Combine(_work, "missing-key"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no manager key: pass --key, set MENTORFLOW_API_KEY", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_DescribesEveryCommand()
    {
        var result = await MentorflowProcess.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var line in new[] { "match ", "synth ", "demo ", "notebooks " })
        {
            var row = result.StandardOutput.Split('\n').Single(l => l.TrimStart().StartsWith(line, StringComparison.Ordinal));
            Assert.True(row.Trim().Length > line.Length + 20, $"'{row.Trim()}' has no description");
        }
    }
}
