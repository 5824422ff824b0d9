using MentorFlow.Cli.Notebooks;
using MentorFlow.Reporting.Synthesis;

namespace MentorFlow.Cli.Tests.Notebooks;

/// <summary>
/// Notebook 02 on the files a live programme's export gives (applications, pairs, relationships, testimonials — no
/// outcomes of past pairs, no history, no platform analytics): every cell completes, and each section that needs
/// outcomes says in a sentence why it is left out, with no exception in any output.
/// </summary>
[Collection(NotebookCollection.Name)]
public sealed class NotebookMissingInputsTests
{
    [Fact]
    public async Task MatchQuality_WithoutOutcomesHistory_SkipsItsSectionsWithASentenceAndNoStackTrace()
    {
        using var folder = new NotebookFolder();
        var data = Path.Combine(folder.Root, "export");
        SyntheticData.Generate(new SynthOptions { Mentors = 20, Mentees = 60, HistoryMentors = 40, HistoryMentees = 100, Seed = 5 }).WriteTo(data);
        foreach (var notExported in new[] { SyntheticData.OutcomesFile, SyntheticData.HistoryFile, "platform.csv" })
        {
            File.Delete(Path.Combine(data, notExported));
        }

        var notebook = Path.Combine(NotebookSuiteTests.SuiteRun.RepositoryRoot(), "notebooks", "02-match-quality.ipynb");
        var options = new NotebookSuiteOptions(
            [notebook], folder.Out, new Dictionary<string, string> { ["DataFolder"] = data, ["WorldSeed"] = "-1" }, TimeSpan.FromMinutes(3));

        var result = await new NotebookSuite(TimeProvider.System).RunAsync(options, SilentNotebookProgress.Instance, CancellationToken.None);

        var run = Assert.Single(result.Runs);
        Assert.True(run.Succeeded, $"failed at cell {run.Failure?.CellNumber}: {run.Failure?.Message}");
        var cells = folder.ExecutedCells("02-match-quality");
        var outputs = cells.Select(c => c!.AllText()).ToList();
        Assert.All(cells.SelectMany(c => c!.Outputs()), o => Assert.NotEqual("error", o.Kind()));
        Assert.DoesNotContain(outputs, o => o.Contains("Exception", StringComparison.Ordinal) || o.Contains("   at ", StringComparison.Ordinal));
        var notes = outputs.Count(o => o.Contains("Match quality is left out: this data has no outcomes of past pairs (outcomes.csv)", StringComparison.Ordinal));
        Assert.Equal(6, notes);
        Assert.DoesNotContain(outputs, o => o.Contains("data-chart=\"match-calibration\"", StringComparison.Ordinal));
        Assert.Contains("Match quality is left out", File.ReadAllText(result.ReportPath), StringComparison.Ordinal);
    }
}
