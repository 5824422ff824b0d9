using MentorFlow.Cli.Matching;
using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Synthesis;

namespace MentorFlow.Cli.Tests.Matching;

public sealed class MatchCommandTests(SynthFolderFixture synth) : IClassFixture<SynthFolderFixture>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("mentorflow-match-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string Out => Path.Combine(_work, "pairs.csv");

    private Task<MentorflowProcess.Result> Match(params string[] extra) =>
        MentorflowProcess.RunAsync(
        [
            "match", "--history", synth.History, "--outcomes", synth.Outcomes, "--applications", synth.Cohort, "--out", Out, "--seed", "42",
            .. extra,
        ]);

    /// <summary>A copy of the cohort with one line changed, to feed a bad file.</summary>
    private string CohortWith(Func<string[], string[]> change, string name = "cohort.csv")
    {
        var path = Path.Combine(_work, name);
        File.WriteAllLines(path, change(File.ReadAllLines(synth.Cohort)));
        return path;
    }

    [Fact]
    public void Synth_WritesEveryFileOfTheDataContract()
    {
        Assert.Equal(0, synth.SynthExitCode);
        foreach (var file in new[] { "applications.csv", "history-applications.csv", "outcomes.csv", "platform.csv", "relationships.csv", "testimonials.csv" })
        {
            Assert.True(File.Exists(Path.Combine(synth.Folder, file)), file);
            Assert.Contains(file, synth.SynthStandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Synth_WithAWorld_WritesThatWorldsFilesAndSaysWhichWorld()
    {
        var folder = Path.Combine(_work, "thresholds");

        var result = await MentorflowProcess.RunAsync("synth", "--mentors", "8", "--mentees", "30", "--seed", "3", "--world", "thresholds", "--out", folder);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("world thresholds", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(38, ApplicationsCsv.Read(Path.Combine(folder, "applications.csv")).OrThrow().Count);
    }

    [Fact]
    public async Task Synth_WithAnUnknownWorld_ExitsTwoNamingTheWorlds()
    {
        var result = await MentorflowProcess.RunAsync("synth", "--world", "flat", "--out", Path.Combine(_work, "flat"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--world must be one of classic, additive, interactions, thresholds, noisy, drawn", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_work, "flat")));
    }

    [Fact]
    public async Task SynthHelp_NamesEveryWorld()
    {
        var result = await MentorflowProcess.RunAsync("synth", "--help");

        Assert.Equal(0, result.ExitCode);
        var help = string.Join(' ', result.StandardOutput.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        foreach (var world in GroundTruth.Names)
        {
            Assert.Contains(world, help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Match_OnValidInput_WritesPairsForEveryMenteeAndExitsZero()
    {
        var result = await Match();

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Empty(result.StandardOutput);
        var pairs = PairsCsv.Read(Out).OrThrow();
        var mentees = ApplicationsCsv.Read(synth.Cohort).OrThrow().Where(a => !a.IsMentor).Select(a => a.Id).ToList();
        Assert.Equal(mentees, pairs.Select(p => p.MenteeId));
        Assert.All(pairs.Where(p => p.IsMatched), p =>
        {
            Assert.InRange(p.Score!.Value, 0.35, 1);
            Assert.False(string.IsNullOrWhiteSpace(p.Reasons));
        });
        Assert.All(pairs.Where(p => !p.IsMatched), p => Assert.False(string.IsNullOrWhiteSpace(p.Reasons)));
        Assert.Contains("matched", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("train the model", result.StandardError, StringComparison.Ordinal);
        var report = File.ReadAllText(Path.Combine(_work, "pairs.report.md"));
        Assert.Contains("## Model", report, StringComparison.Ordinal);
        Assert.Contains("| candidate | assignment lift | AUC | Spearman | log-loss | calibration error |", report, StringComparison.Ordinal);
        Assert.Matches(@"\| RidgeGoals \(in Stack: \d+%\) \| \d\.\d{3} ± ", report); // the stack's part that is no candidate has its own row
        Assert.Contains("RidgeGoals (in Stack: ", result.StandardError, StringComparison.Ordinal);
        Assert.All(pairs.Where(p => p.IsMatched), p => Assert.Matches(@"success chance \d+% \(90% interval \d+–\d+%\)$", p.Reasons));
    }

    [Fact]
    public async Task Match_SameSeed_WritesTheSamePairs()
    {
        await Match();
        var first = File.ReadAllText(Out);

        await Match();

        Assert.Equal(first, File.ReadAllText(Out));
    }

    [Fact]
    public async Task Match_WhenCohortHasMentorWithCapacityZero_ExitsTwoNamingFileLineAndColumn()
    {
        var cohort = CohortWith(lines =>
        {
            var fields = lines[3].Split(',');
            Assert.Equal("mentor", fields[1]);
            var header = lines[0].Split(',');
            fields[Array.IndexOf(header, "capacity")] = "0";
            lines[3] = string.Join(',', fields);
            return lines;
        });

        var result = await MentorflowProcess.RunAsync("match", "--history", synth.History, "--outcomes", synth.Outcomes, "--applications", cohort, "--out", Out);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cohort.csv:4: column 'capacity': must be at least 1", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Out));
    }

    [Fact]
    public async Task Match_WhenCohortFileHasMoreRowsThanTheLimit_ExitsTwoSayingHowToSplitItAndWritesNothing()
    {
        var cohort = CohortWith(lines => [lines[0], .. Enumerable.Range(0, MatchCommand.MaxCohortRows + 1).Select(i => lines[1 + (i % (lines.Length - 1))])]);

        var result = await MentorflowProcess.RunAsync("match", "--history", synth.History, "--outcomes", synth.Outcomes, "--applications", cohort, "--out", Out);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(
            $"cohort.csv: the file has more than {MatchCommand.MaxCohortRows} rows: match the cohort in parts, e.g. one region or one intake at a time",
            result.StandardError,
            StringComparison.Ordinal);
        Assert.False(File.Exists(Out));
    }

    [Fact]
    public async Task Match_WhenRequiredColumnIsMissing_ExitsTwoNamingTheColumn()
    {
        var cohort = CohortWith(lines => [.. lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 4)))]);

        var result = await MentorflowProcess.RunAsync("match", "--history", synth.History, "--outcomes", synth.Outcomes, "--applications", cohort, "--out", Out);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cohort.csv:1: column 'time_zone': required column is missing from the header", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_WhenOutcomeNamesUnknownMentor_ExitsTwoNamingOutcomesLine()
    {
        var outcomes = Path.Combine(_work, "outcomes.csv");
        var lines = File.ReadAllLines(synth.Outcomes);
        lines[2] = "NOBODY" + lines[2][lines[2].IndexOf(',', StringComparison.Ordinal)..];
        File.WriteAllLines(outcomes, lines);

        var result = await MentorflowProcess.RunAsync("match", "--history", synth.History, "--outcomes", outcomes, "--applications", synth.Cohort, "--out", Out);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("outcomes.csv:3: column 'mentor_id': 'NOBODY' is not an id in the history applications", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--min-score", "1.5", "--min-score must be between 0 and 1")]
    [InlineData("--candidates", "0", "--candidates must be at least 1")]
    public async Task Match_WhenOptionIsOutOfRange_ExitsTwo(string option, string value, string message)
    {
        var result = await Match(option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_WithTooLittleHistory_UsesColdStartAndSaysSo()
    {
        var outcomes = Path.Combine(_work, "few-outcomes.csv");
        File.WriteAllLines(outcomes, File.ReadAllLines(synth.Outcomes).Take(11));

        var result = await MentorflowProcess.RunAsync("match", "--history", synth.History, "--outcomes", outcomes, "--applications", synth.Cohort, "--out", Out);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("cold start", result.StandardError, StringComparison.Ordinal);
        Assert.All(PairsCsv.Read(Out).OrThrow().Where(p => p.IsMatched), p => Assert.StartsWith("cold-start similarity", p.Reasons, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Match_HonoursPinnedAndForbiddenPairsAndSavesTheModel()
    {
        await Match();
        var first = PairsCsv.Read(Out).OrThrow().First(p => p.IsMatched);
        var unmatched = PairsCsv.Read(Out).OrThrow().First(p => !p.IsMatched);
        var pins = Path.Combine(_work, "pins.csv");
        var forbid = Path.Combine(_work, "forbid.csv");
        PairListCsv.Write(pins, [new PairListEntry(first.MentorId!, unmatched.MenteeId)]);
        PairListCsv.Write(forbid, [new PairListEntry(first.MentorId!, first.MenteeId)]);
        var model = Path.Combine(_work, "model.mfmodel");

        var result = await Match("--pins", pins, "--forbid", forbid, "--model-out", model);

        Assert.True(result.ExitCode == 0, result.StandardError);
        var pairs = PairsCsv.Read(Out).OrThrow();
        var pinned = pairs.Single(p => p.MenteeId == unmatched.MenteeId);
        Assert.Equal(first.MentorId, pinned.MentorId);
        Assert.StartsWith("pinned by the manager", pinned.Reasons, StringComparison.Ordinal);
        Assert.NotEqual(first.MentorId, pairs.Single(p => p.MenteeId == first.MenteeId).MentorId);
        Assert.True(File.Exists(model));
    }

    [Fact]
    public async Task Match_WhenPinNamesAMenteeAsMentor_ExitsTwoNamingThePinsFile()
    {
        var cohort = ApplicationsCsv.Read(synth.Cohort).OrThrow();
        var mentee = cohort.First(a => !a.IsMentor).Id;
        var pins = Path.Combine(_work, "pins.csv");
        PairListCsv.Write(pins, [new PairListEntry(mentee, mentee)]);

        var result = await Match("--pins", pins);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"pins.csv:2: column 'mentor_id': '{mentee}' is a mentee, not a mentor", result.StandardError, StringComparison.Ordinal);
    }
}
