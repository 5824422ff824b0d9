using MentorFlow.Cli.Notebooks;
using Spectre.Console.Cli;
using static MentorFlow.Cli.Tests.Notebooks.NotebookFolder;

namespace MentorFlow.Cli.Tests.Notebooks;

[Collection(NotebookCollection.Name)]
public sealed class NotebookRunnerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    private static NotebookSuiteOptions Options(NotebookFolder folder, params string[] parameters) =>
        new([folder.Root], folder.Out, NotebookParameters.ParseOverrides(parameters), TimeSpan.FromMinutes(2));

    [Fact]
    public async Task Run_ExecutesCodeCellsInOrder_WritesOutputsAndExecutionCountsInTheNotebook()
    {
        using var folder = new NotebookFolder();
        folder.Write(
            "basic",
            Markdown("# Basic notebook\n\nIntro."),
            Code("var x = 20;\nConsole.WriteLine(\"twenty\");"),
            Markdown("## Result"),
            Code("x + 22"),
            Code("display(HTML(\"<b id='shown'>shown</b>\"));"));

        var result = await new NotebookSuite(new FixedClock(Now)).RunAsync(Options(folder), SilentNotebookProgress.Instance, CancellationToken.None);

        Assert.True(result.Succeeded);
        var cells = folder.ExecutedCells("basic");
        Assert.Equal([null, 1, null, 2, 3], cells.Select(c => c!["execution_count"]?.GetValue<int?>()));
        Assert.Equal("stream", cells[1]!.Outputs().Single().Kind());
        Assert.Contains("twenty", cells[1]!.AllText(), StringComparison.Ordinal);
        var returned = cells[3]!.Outputs().Single();
        Assert.Equal("execute_result", returned.Kind());
        Assert.Equal(2, returned["execution_count"]!.GetValue<int>());
        Assert.Contains("42", Text(returned["data"]!["text/plain"]), StringComparison.Ordinal);
        Assert.Equal("display_data", cells[4]!.Outputs().Single().Kind());
        Assert.Contains("id='shown'", cells[4]!.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhenACellThrows_StopsTheNotebookMarksItFailedAndKeepsTheError()
    {
        using var folder = new NotebookFolder();
        folder.Write(
            "broken",
            Markdown("# Broken notebook"),
            Code("Console.WriteLine(\"before\");"),
            Code("throw new InvalidOperationException(\"the data folder is empty\");"),
            Code("Console.WriteLine(\"after\");"));

        var result = await new NotebookSuite(new FixedClock(Now)).RunAsync(Options(folder), SilentNotebookProgress.Instance, CancellationToken.None);

        var run = Assert.Single(result.Runs);
        Assert.False(result.Succeeded);
        Assert.Equal(3, run.Failure!.CellNumber);
        Assert.Contains("the data folder is empty", run.Failure.Message, StringComparison.Ordinal);
        Assert.Equal([CellOutcome.Succeeded, CellOutcome.Failed, CellOutcome.NotRun], run.Cells.Select(c => c.Outcome));
        var cells = folder.ExecutedCells("broken");
        var error = cells[2]!.Outputs().Single();
        Assert.Equal("error", error.Kind());
        Assert.Equal("InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Empty(cells[3]!.Outputs());
        var report = await File.ReadAllTextAsync(result.ReportPath);
        Assert.Contains("data-status=\"failed\"", report, StringComparison.Ordinal);
        Assert.Contains("stopped at cell 3", report, StringComparison.Ordinal);
        Assert.Contains("the data folder is empty", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhenACellRunsLongerThanTheTimeout_FailsItAndStopsTheNotebook()
    {
        using var folder = new NotebookFolder();
        folder.Write("slow", Code("await Task.Delay(TimeSpan.FromSeconds(30));"), Code("1"));
        var options = Options(folder) with { CellTimeout = TimeSpan.FromSeconds(2) };

        var result = await new NotebookSuite(new FixedClock(Now)).RunAsync(options, SilentNotebookProgress.Instance, CancellationToken.None);

        var run = Assert.Single(result.Runs);
        Assert.Equal(1, run.Failure!.CellNumber);
        Assert.Contains("did not finish within 2 s", run.Failure.Message, StringComparison.Ordinal);
        Assert.Equal([CellOutcome.Failed, CellOutcome.NotRun], run.Cells.Select(c => c.Outcome));
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(25), $"took {run.Elapsed}");
    }

    [Fact]
    public async Task ExecutedNotebook_ReadsBackWithItsOutputs()
    {
        using var folder = new NotebookFolder();
        folder.Write("roundtrip", Markdown("# Round trip"), Code("Console.WriteLine(\"hello\");\n6 * 7"));

        await new NotebookSuite(new FixedClock(Now)).RunAsync(Options(folder), SilentNotebookProgress.Instance, CancellationToken.None);
        var executed = NotebookRunner.Load(Path.Combine(folder.Out, "roundtrip.ipynb"));

        var cell = executed.Elements[1];
        Assert.Equal("csharp", cell.KernelName);
        Assert.Equal(1, cell.ExecutionOrder);
        Assert.Equal(2, cell.Outputs.Count);
    }

    [Fact]
    public async Task Run_WhenACellDoesNotCompile_ReportsTheCompilerErrorWithItsPosition()
    {
        using var folder = new NotebookFolder();
        folder.Write("typo", Code("var y = undefinedThing + 1;"));

        var result = await new NotebookSuite(new FixedClock(Now)).RunAsync(Options(folder), SilentNotebookProgress.Instance, CancellationToken.None);

        var failure = Assert.Single(result.Runs).Failure!;
        Assert.Equal(1, failure.CellNumber);
        Assert.Contains("CS0103", failure.Message, StringComparison.Ordinal);
        Assert.Contains("(1,9)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithParameterOverride_RewritesTheParametersCellAndUsesTheValue()
    {
        using var folder = new NotebookFolder();
        folder.Write(
            "params",
            Code("// Parameters\nvar Greeting = \"hello\";\nvar Count = 2;\nvar Share = 0.5;\nvar Verbose = false;", parameters: true),
            Code("Console.WriteLine($\"{Greeting}|{Count * 2}|{Share * 2}|{Verbose}\");"));

        var result = await new NotebookSuite(new FixedClock(Now)).RunAsync(
            Options(folder, "Greeting=a \"quoted\" value", "Count=21", "Share=1.5", "Verbose=true"),
            SilentNotebookProgress.Instance,
            CancellationToken.None);

        Assert.True(result.Succeeded);
        var cells = folder.ExecutedCells("params");
        Assert.Contains("a \"quoted\" value|42|3|True", cells[1]!.AllText(), StringComparison.Ordinal);
        Assert.Contains("var Count = 21;  // overridden by mentorflow notebooks run", Text(cells[0]!["source"]), StringComparison.Ordinal);
        var parameters = Assert.Single(result.Runs).Parameters;
        Assert.Equal(["Greeting", "Count", "Share", "Verbose"], parameters.Select(p => p.Name));
        Assert.All(parameters, p => Assert.True(p.Overridden));
        Assert.Equal("a \"quoted\" value", parameters[0].DisplayValue);
    }

    [Fact]
    public async Task Run_WithParameterNoNotebookDeclares_FailsBeforeRunningAndNamesIt()
    {
        using var folder = new NotebookFolder();
        folder.Write("params", Code("// Parameters\nvar Count = 2;"));

        var error = await Assert.ThrowsAsync<NotebookInputException>(() =>
            new NotebookSuite(new FixedClock(Now)).RunAsync(Options(folder, "Cuont=3"), SilentNotebookProgress.Instance, CancellationToken.None));

        Assert.Equal("Cuont", error.Subject);
        Assert.Contains("declared: Count", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Out));
    }

    [Fact]
    public async Task Run_WithParameterValueOfTheWrongType_FailsNamingTheParameter()
    {
        using var folder = new NotebookFolder();
        folder.Write("params", Code("// Parameters\nvar Count = 2;"));

        var error = await Assert.ThrowsAsync<NotebookParameterException>(() =>
            new NotebookSuite(new FixedClock(Now)).RunAsync(Options(folder, "Count=many"), SilentNotebookProgress.Instance, CancellationToken.None));

        Assert.Equal("Count", error.Parameter);
        Assert.Contains("whole number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ResolvesRelativeAssemblyReferencesAgainstTheNotebookFolder()
    {
        using var folder = new NotebookFolder();
        var lib = Path.Combine(folder.Root, "lib");
        Directory.CreateDirectory(lib);
        File.Copy(typeof(Spectre.Console.AnsiConsole).Assembly.Location, Path.Combine(lib, "Spectre.Console.dll"));
        folder.Write("relative", Code("#r \"lib/Spectre.Console.dll\""), Code("typeof(Spectre.Console.Markup).Name"));

        var result = await new NotebookSuite(new FixedClock(Now)).RunAsync(Options(folder), SilentNotebookProgress.Instance, CancellationToken.None);

        Assert.True(result.Succeeded, result.Runs[0].Failure?.Message);
        Assert.Contains("Markup", folder.ExecutedCells("relative")[1]!.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithNugetDirective_RestoresThePackageAndItsChartLandsInTheReportAsAFile()
    {
        using var folder = new NotebookFolder();
        folder.Write(
            "nuget",
            Markdown("# Chart notebook\n\n## The chart"),
            Code("#r \"nuget: ScottPlot, 5.1.59\""),
            Code(
                "ScottPlot.Fonts.Default = \"DejaVu Sans\";\n" +
                "var plot = new ScottPlot.Plot();\nplot.Add.Scatter(new double[] { 1, 2, 3 }, new double[] { 1, 4, 9 });\nplot.Title(\"Squares\");\n" +
                "var png = Convert.ToBase64String(plot.GetImageBytes(400, 300, ScottPlot.ImageFormat.Png));\n" +
                "display(HTML($\"<img alt=\\\"squares\\\" src=\\\"data:image/png;base64,{png}\\\">\"));"));

        var result = await new NotebookSuite(new FixedClock(Now)).RunAsync(Options(folder), SilentNotebookProgress.Instance, CancellationToken.None);

        Assert.True(result.Succeeded, result.Runs[0].Failure?.Message);
        var installed = folder.ExecutedCells("nuget")[1]!;
        Assert.True(installed.AllText().Contains("ScottPlot, 5.1.59", StringComparison.Ordinal), installed.ToJsonString());
        var report = await File.ReadAllTextAsync(result.ReportPath);
        Assert.Contains("src=\"assets/nuget-01.png\"", report, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"data:image", report, StringComparison.Ordinal);
        var png = await File.ReadAllBytesAsync(Path.Combine(folder.Out, "assets", "nuget-01.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Fact]
    public async Task Run_WithUnknownNugetPackage_FailsTheCellWithTheRestoreError()
    {
        using var folder = new NotebookFolder();
        folder.Write("missing", Code("#r \"nuget: MentorFlow.No.Such.Package.Anywhere, 1.0.0\""));

        var result = await new NotebookSuite(new FixedClock(Now)).RunAsync(Options(folder), SilentNotebookProgress.Instance, CancellationToken.None);

        var failure = Assert.Single(result.Runs).Failure!;
        Assert.Contains("MentorFlow.No.Such.Package.Anywhere", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_HasTableOfContentsGenerationTimeDataSourceAndFoldedCode()
    {
        using var folder = new NotebookFolder();
        folder.Write(
            "01-first",
            Markdown("# First analysis\n\nWhy it matters."),
            Code("// Parameters\nvar Region = \"north\";", parameters: true),
            Code("var DataSource = \"synthetic programme (seed 7)\";"),
            Markdown("## Participation\n\nText."),
            Markdown("## Outcomes"));
        folder.Write("02-second", Markdown("# Second analysis\n\n## Participation"), Code("1"));

        var result = await new NotebookSuite(new FixedClock(Now)).RunAsync(Options(folder), SilentNotebookProgress.Instance, CancellationToken.None);

        var html = await File.ReadAllTextAsync(result.ReportPath);
        Assert.Contains("25 November 2026, 09:30 UTC", html, StringComparison.Ordinal);
        Assert.Contains("synthetic programme (seed 7)", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#nb-01-first\">First analysis</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#01-first-participation\">Participation</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#02-second-participation\">Participation</a>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"01-first-outcomes\"", html, StringComparison.Ordinal);
        Assert.Contains("<details class=\"code\">", html, StringComparison.Ordinal);
        Assert.Contains("Assumptions and parameters used", html, StringComparison.Ordinal);
        Assert.Contains("<td>Region</td><td>north</td>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"01-first.ipynb\"", html, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder.Out, "02-second.ipynb")));
    }

    [Fact]
    public async Task Command_ExitsZeroOnSuccessOneOnFailedNotebookAndTwoOnBadInput()
    {
        using var good = new NotebookFolder();
        good.Write("good", Code("// Parameters\nvar N = 1;"), Code("N"));
        using var bad = new NotebookFolder();
        bad.Write("bad", Code("throw new Exception(\"no\");"));

        Assert.Equal(0, await RunCommand("notebooks", "run", good.Root, "--out", good.Out, "--param", "N=5"));
        Assert.Equal(1, await RunCommand("notebooks", "run", bad.Root, "--out", bad.Out));
        Assert.True(File.Exists(Path.Combine(bad.Out, NotebookReport.FileName)));
        Assert.Equal(2, await RunCommand("notebooks", "run", Path.Combine(good.Root, "nope.ipynb"), "--out", good.Out));
        Assert.Equal(2, await RunCommand("notebooks", "run", good.Root, "--out", good.Out, "--param", "Unknown=1"));
        Assert.Equal(2, await RunCommand("notebooks", "run", good.Root, "--out", good.Out, "--param", "no-equals-sign"));
    }

    private static Task<int> RunCommand(params string[] args)
    {
        var app = new CommandApp();
        app.Configure(config => config.AddBranch("notebooks", notebooks => notebooks.AddCommand<NotebooksRunCommand>("run")));
        return app.RunAsync(args);
    }
}

/// <summary>
/// Notebook runs change the process's working directory (as VS Code runs a notebook in its folder), so they run
/// alone, after the parallel tests of this assembly.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookCollection
{
    public const string Name = "notebooks";
}
