using MentorFlow.Reporting.Charts;
using MentorFlow.Reporting.Metrics;
using MentorFlow.Reporting.Roi;
using SkiaSharp;

namespace MentorFlow.Reporting.Tests.Charts;

public sealed class ChartImageTests
{
    private static readonly DateOnly Start = new(2026, 1, 5);

    public static TheoryData<string> ChartNames =>
    [
        "participation-over-time", "active-relationships", "funnel", "visitors-vs-new-members", "roi-sensitivity", "match-calibration", "score-distribution",
    ];

    [Theory]
    [MemberData(nameof(ChartNames))]
    public void Render_EveryChart_HasRequestedSizeIsNotBlankAndDrawsItsTitle(string name)
    {
        var chart = Render(name, 800, 450);

        Assert.Equal(name, chart.Name);
        using var bitmap = SKBitmap.Decode(chart.Png);
        Assert.Equal(800, bitmap.Width);
        Assert.Equal(450, bitmap.Height);

        // Not blank: many pixels differ from the white background, in several colours.
        var colours = new HashSet<SKColor>();
        var inked = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                colours.Add(c);
                if (c.Red < 200 || c.Green < 200 || c.Blue < 200)
                {
                    inked++;
                }
            }
        }

        Assert.True(inked > 1500, $"{name}: only {inked} inked pixels");
        Assert.True(colours.Count > 8, $"{name}: only {colours.Count} colours");

        // Text is drawn: the title band (above the data area) holds dark glyph pixels, and the SVG carries the text.
        var titleInk = 0;
        for (var y = 0; y < 40; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red < 120 && c.Green < 120 && c.Blue < 120)
                {
                    titleInk++;
                }
            }
        }

        Assert.True(titleInk > 150, $"{name}: title band has {titleInk} dark pixels (font missing?)");
        Assert.Contains("<svg", chart.Svg, StringComparison.Ordinal);
        Assert.Contains(ChartStyle.FontFamily, chart.Svg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("participation-over-time", "Week (starting Monday)")]
    [InlineData("active-relationships", "Week (starting Monday)")]
    [InlineData("visitors-vs-new-members", "New members per day")]
    [InlineData("roi-sensitivity", "ROI (%)")]
    [InlineData("match-calibration", "Observed success rate (%)")]
    public void Render_LabelsTheAxesWithUnits(string name, string label)
    {
        Assert.Contains(label, Render(name, 800, 450).Svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_WritesPngAndSvgNamedAfterTheChart()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mf-charts-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = Render("funnel", 640, 360).Save(folder);

            Assert.Equal(Path.Combine(folder, "funnel.png"), files.Png);
            Assert.Equal(Path.Combine(folder, "funnel.svg"), files.Svg);
            using var bitmap = SKBitmap.Decode(files.Png);
            Assert.Equal((640, 360), (bitmap.Width, bitmap.Height));
            Assert.Contains("<svg", File.ReadAllText(files.Svg), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ToHtml_EmbedsThePngWithTheTitleAsAltText()
    {
        var chart = Render("funnel", 640, 360);

        var html = chart.ToHtml();

        Assert.Contains("data-chart=\"funnel\"", html, StringComparison.Ordinal);
        Assert.Contains("alt=\"Programme funnel\"", html, StringComparison.Ordinal);
        Assert.Contains("data:image/png;base64," + Convert.ToBase64String(chart.Png), html, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureFont_WhenFontIsNotInstalled_ThrowsNamingTheFont()
    {
        var error = Assert.Throws<ChartFontMissingException>(() => ChartStyle.EnsureFont("MentorFlow Missing Sans"));

        Assert.Equal("MentorFlow Missing Sans", error.Family);
        Assert.Contains("MentorFlow Missing Sans", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Charts_WithNoData_RenderAnExplanationInsteadOfFailing()
    {
        var chart = ProgrammeCharts.ParticipationOverTime([], 30);

        using var bitmap = SKBitmap.Decode(chart.Png);
        Assert.Equal((ChartStyle.DefaultWidth, ChartStyle.DefaultHeight), (bitmap.Width, bitmap.Height));
        Assert.Contains("No data", chart.Svg, StringComparison.Ordinal);
    }

    [Fact]
    public void ScoreDistribution_WhenOutcomesDoNotMatchScores_ThrowsNamingTheArgument()
    {
        var error = Assert.Throws<ArgumentException>(() => ProgrammeCharts.ScoreDistribution([0.2, 0.4], [true]));

        Assert.Equal("succeeded", error.ParamName);
    }

    [Fact]
    public void Render_IsDeterministic()
    {
        Assert.Equal(Render("roi-sensitivity", 700, 400).Png, Render("roi-sensitivity", 700, 400).Png);
    }

    private static ChartImage Render(string name, int width, int height)
    {
        var weeks = Enumerable.Range(0, 12).Select(i => Start.AddDays(7 * i)).ToList();
        var programme = new RoiProgramme(40, 120, 0.6, 9);
        return name switch
        {
            "participation-over-time" => ProgrammeCharts.ParticipationOverTime([.. weeks.Select((w, i) => new ParticipationPoint(w, w.AddDays(6), 10 + i, 25 + (2 * i)))], 30, width, height),
            "active-relationships" => ProgrammeCharts.ActiveRelationships([.. weeks.Select((w, i) => new RelationshipPoint(w, 20 + (3 * i), 3, i % 2, i % 3))], Granularity.Weekly, width, height),
            "funnel" => ProgrammeCharts.Funnel([new("Answered the poll", 400), new("Applied", 310), new("Matched", 240), new("Completed", 150)], width, height),
            "visitors-vs-new-members" => ProgrammeCharts.VisitorsVsNewMembers([.. weeks.Select((w, i) => new PlatformPoint(w, 700 + (40 * i), 20 + i, 7))], weeks[4], Granularity.Weekly, width, height),
            "roi-sensitivity" => ProgrammeCharts.RoiTornado(RoiModel.Sensitivity(programme, new RoiAssumptions()), width, height),
            "match-calibration" => ProgrammeCharts.MatchCalibration([new(0, 0.2, 0.12, 0.15, 30), new(0.2, 0.4, 0.31, 0.28, 60), new(0.4, 0.6, 0.5, 0.55, 80), new(0.6, 0.8, 0.7, 0.66, 50), new(0.8, 1, 0.88, 0.9, 20)], width, height),
            "score-distribution" => ProgrammeCharts.ScoreDistribution([.. Enumerable.Range(0, 200).Select(i => (i % 97) / 100.0)], [.. Enumerable.Range(0, 200).Select(i => i % 3 == 0)], 20, width, height),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }
}
