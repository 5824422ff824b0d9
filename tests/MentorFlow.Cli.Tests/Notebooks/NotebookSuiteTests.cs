using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Cli.Notebooks;
using MentorFlow.Reporting.Metrics;
using MentorFlow.Reporting.Roi;
using MentorFlow.Reporting.Synthesis;
using Microsoft.Playwright;

namespace MentorFlow.Cli.Tests.Notebooks;

/// <summary>
/// Runs the repository's notebooks/ through the runner on a synthetic programme (as <c>mentorflow synth</c> makes it)
/// once for the class, then checks the executed notebooks and the report against the library's own numbers.
/// </summary>
[Collection(NotebookCollection.Name)]
public sealed partial class NotebookSuiteTests(NotebookSuiteTests.SuiteRun suite) : IClassFixture<NotebookSuiteTests.SuiteRun>
{
    private static readonly string[] Expected = ["01-programme-health", "02-match-quality", "03-roi-leadership-review"];

    [GeneratedRegex("data-key=\"(?<key>[a-z_]+)\" data-value=\"(?<value>[^\"]*)\"")]
    private static partial Regex KeyFigurePattern();

    [GeneratedRegex("data-chart=\"(?<name>[a-z-]+)\"")]
    private static partial Regex ChartPattern();

    [GeneratedRegex("<img[^>]+src=\"(?<src>[^\"]+)\"")]
    private static partial Regex ImagePattern();

    [Fact]
    public void AllNotebooks_RunWithoutAFailedCell()
    {
        Assert.Equal(Expected, suite.Result.Runs.Select(r => r.Name));
        Assert.All(suite.Result.Runs, run =>
        {
            Assert.True(run.Succeeded, $"{run.Name} failed at cell {run.Failure?.CellNumber}: {run.Failure?.Message}");
            Assert.All(run.Cells, c => Assert.Equal(CellOutcome.Succeeded, c.Outcome));
            Assert.All(suite.Cells(run.Name).SelectMany(c => c!.Outputs()), o => Assert.NotEqual("error", o.Kind()));
        });
    }

    [Theory]
    [InlineData("01-programme-health", new[] { "participation-over-time", "active-relationships", "funnel", "visitors-vs-new-members" })]
    [InlineData("02-match-quality", new[] { "match-calibration", "score-distribution" })]
    [InlineData("03-roi-leadership-review", new[] { "roi-sensitivity" })]
    public void EachNotebook_ShowsItsChartsInlineAndSavesThemAsPngAndSvg(string notebook, string[] charts)
    {
        var shown = suite.Cells(notebook).SelectMany(c => ChartPattern().Matches(c!.AllText())).Select(m => m.Groups["name"].Value).ToList();

        Assert.All(charts, chart =>
        {
            Assert.Contains(chart, shown);
            Assert.True(File.Exists(Path.Combine(suite.Out, "charts", notebook, chart + ".png")), $"{chart}.png missing");
            Assert.True(File.Exists(Path.Combine(suite.Out, "charts", notebook, chart + ".svg")), $"{chart}.svg missing");
        });
    }

    [Fact]
    public void ProgrammeHealth_KeyFigures_EqualTheLibrarysNumbers()
    {
        var data = ProgrammeData.Load(suite.DataFolder);
        var options = new MetricsOptions { AsOf = data.LatestDate!.Value, ActiveWindowDays = 30, BaselineDays = 90 };
        var expected = ReportHtml.SummaryFigures(ProgrammeMetrics.Summarise(data, options));

        var shown = KeyFigures("01-programme-health");

        Assert.Equal(expected.Select(f => f.Key), shown.Keys);
        Assert.All(expected, f => Assert.Equal(f.Value, shown[f.Key]));
        Assert.True(expected.Single(f => f.Key == "active_relationships").Value > 0);
    }

    [Fact]
    public void RoiReview_KeyFigures_EqualTheLibrarysNumbers()
    {
        var data = ProgrammeData.Load(suite.DataFolder);
        var programme = RoiProgramme.From(data.Relationships, data.LatestDate!.Value);
        var expected = ReportHtml.RoiFigures(RoiModel.Evaluate(programme, new RoiAssumptions()));

        var shown = KeyFigures("03-roi-leadership-review");

        Assert.Equal(expected.Select(f => f.Key), shown.Keys);
        Assert.All(expected, f => Assert.Equal(f.Value, shown[f.Key]));
    }

    [Fact]
    public void MatchQuality_KeyFigures_EqualTheLibrarysNumbers()
    {
        var expected = MatchQualityFigures.Figures(MatchQualityFigures.Evaluate(suite.DataFolder, seed: 42, minScore: 0.35, truthSeed: SuiteRun.Seed));

        var shown = KeyFigures("02-match-quality");

        Assert.Equal(expected.Select(f => f.Key), shown.Keys);
        Assert.All(expected, f => Assert.Equal(f.Value, shown[f.Key]));
        Assert.Contains("mean_true", shown.Keys);
    }

    [Fact]
    public void Report_ExistsLinksEveryChartAsAFileAndNamesTheDataSource()
    {
        var html = File.ReadAllText(suite.Result.ReportPath);
        var images = ImagePattern().Matches(html).Select(m => m.Groups["src"].Value).ToList();

        Assert.True(images.Count >= 7, $"only {images.Count} images in the report");
        Assert.All(images, src =>
        {
            Assert.StartsWith(NotebookReport.AssetsFolder + "/", src, StringComparison.Ordinal);
            Assert.True(new FileInfo(Path.Combine(suite.Out, src)).Length > 1000, $"{src} missing or empty");
        });
        Assert.Contains("CSV exports in " + suite.DataFolder, html, StringComparison.Ordinal);
        Assert.Contains("all completed", html, StringComparison.Ordinal);
        Assert.All(Expected, name => Assert.Contains($"id=\"nb-{name}\"", html, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_OpensInHeadlessChromiumWithAllChartsLoaded()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });

        await page.GotoAsync(new Uri(suite.Result.ReportPath).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        Assert.Equal("MentorFlow programme review", await page.TitleAsync());
        Assert.Equal("Mentorship programme review", (await page.Locator("header.cover h1").InnerTextAsync()).Trim());
        var broken = await page.EvaluateAsync<int>("() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).length");
        var loaded = await page.EvaluateAsync<int>("() => [...document.images].filter(i => i.naturalWidth >= 600).length");
        Assert.Equal(0, broken);
        Assert.True(loaded >= 7, $"{loaded} charts loaded");
        Assert.Equal(3, await page.Locator("nav.toc > ol > li").CountAsync());
        Assert.False(await page.Locator("details.code pre").First.IsVisibleAsync(), "code should be folded away");

        var screenshots = Path.Combine(SuiteRun.RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(screenshots);
        var shot = Path.Combine(screenshots, "notebook-report.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        Assert.True(new FileInfo(shot).Length > 50_000);
    }

    private Dictionary<string, double?> KeyFigures(string notebook) =>
        suite.Cells(notebook)
            .SelectMany(c => c!.Outputs())
            .SelectMany(o => KeyFigurePattern().Matches(NotebookFolder.Text(o["data"]?["text/html"])))
            .ToDictionary(
                m => m.Groups["key"].Value,
                m => m.Groups["value"].Value.Length == 0 ? (double?)null : double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    /// <summary>Generates the synthetic programme and runs the whole suite once.</summary>
    public sealed class SuiteRun : IAsyncLifetime
    {
        public const int Seed = 11;

        public string Root { get; } = Path.Combine(Path.GetTempPath(), "mf-suite-" + Guid.NewGuid().ToString("N"));

        public string DataFolder => Path.Combine(Root, "data");

        public string Out => Path.Combine(Root, "out");

        public NotebookSuiteResult Result { get; private set; } = null!;

        public static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MentorFlow.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("MentorFlow.sln not found above " + AppContext.BaseDirectory);
        }

        public JsonArray Cells(string notebook) =>
            JsonNode.Parse(File.ReadAllText(Path.Combine(Out, notebook + ".ipynb")))!["cells"]!.AsArray();

        public async Task InitializeAsync()
        {
            SyntheticData.Generate(new SynthOptions { Mentors = 60, Mentees = 240, Seed = Seed }).WriteTo(DataFolder);
            var options = new NotebookSuiteOptions(
                [Path.Combine(RepositoryRoot(), "notebooks")],
                Out,
                new Dictionary<string, string>
                {
                    ["DataFolder"] = DataFolder,
                    ["TruthSeed"] = Seed.ToString(CultureInfo.InvariantCulture),

                    // Small worlds keep the suite quick; the default (~720 outcomes per world) is for the review itself.
                    ["WorldMentors"] = "60",
                    ["WorldMentees"] = "240",
                    ["WorldHistoryMentors"] = "100",
                    ["WorldHistoryMentees"] = "250",
                },
                TimeSpan.FromMinutes(5));
            Result = await new NotebookSuite(TimeProvider.System).RunAsync(options, SilentNotebookProgress.Instance, CancellationToken.None);
        }

        public Task DisposeAsync()
        {
            Directory.Delete(Root, recursive: true);
            return Task.CompletedTask;
        }
    }
}
