using MentorFlow.Reporting.Charts;
using MentorFlow.Reporting.Metrics;
using SkiaSharp;

namespace MentorFlow.Reporting.Tests.Charts;

/// <summary>
/// The calibration chart's "n=" labels, found as the pixels that change when they are drawn: they never cover a
/// point's marker and never reach the edge of the data area (where they would be cut), wherever the points are.
/// </summary>
public sealed class CalibrationLabelTests
{
    public static TheoryData<string> Layouts => ["corners and edges", "typical model", "all at the top"];

    [Theory]
    [MemberData(nameof(Layouts))]
    public void MatchCalibration_CountLabels_NeverCoverAPointNorTouchTheEdgeOfTheDataArea(string layout)
    {
        var bins = Bins(layout);
        var (plain, area) = ProgrammeCharts.MatchCalibration(bins, 900, 480, showCounts: false);
        var (labelled, labelledArea) = ProgrammeCharts.MatchCalibration(bins, 900, 480, showCounts: true);
        Assert.Equal(area, labelledArea);
        using var without = SKBitmap.Decode(plain.Png);
        using var with = SKBitmap.Decode(labelled.Png);

        // Point centres in pixels (the axes run from -3 to 103 %); a marker is 9 px across, so 6 px holds it whole.
        var centres = bins.Where(b => b.Count > 0).Select(b => (
            X: area.Left + ((b.MeanPredicted * 100) + 3) / 106 * area.Width,
            Y: area.Bottom - ((b.ObservedRate * 100) + 3) / 106 * area.Height)).ToList();
        var changed = 0;
        for (var y = 0; y < with.Height; y++)
        {
            for (var x = 0; x < with.Width; x++)
            {
                if (with.GetPixel(x, y) == without.GetPixel(x, y))
                {
                    continue;
                }

                changed++;
                Assert.DoesNotContain(centres, c => Math.Pow(x - c.X, 2) + Math.Pow(y - c.Y, 2) <= 36);
                Assert.True(
                    x >= area.Left + 2 && x <= area.Right - 2 && y >= area.Top + 2 && y <= area.Bottom - 2,
                    $"{layout}: a label pixel at ({x}, {y}) touches the edge of the data area {area}");
            }
        }

        // Every label was drawn (about 150 changed pixels per "n=NN" at 11 px).
        Assert.True(changed > 80 * centres.Count, $"{layout}: only {changed} label pixels for {centres.Count} labels");
    }

    private static List<CalibrationBin> Bins(string layout) => layout switch
    {
        "corners and edges" =>
        [
            new(0, 0.2, 0.02, 0.0, 41), new(0.2, 0.4, 0.08, 0.97, 7), new(0.4, 0.6, 0.5, 1.0, 120), new(0.6, 0.8, 0.93, 0.02, 9), new(0.8, 1, 0.99, 1.0, 230),
        ],
        "typical model" =>
        [
            new(0, 0.2, 0.12, 0.15, 30), new(0.2, 0.4, 0.31, 0.28, 60), new(0.4, 0.6, 0.5, 0.55, 80), new(0.6, 0.8, 0.7, 0.66, 50), new(0.8, 1, 0.88, 0.9, 20),
        ],
        _ => [new(0, 0.2, 0.1, 1.0, 5), new(0.2, 0.4, 0.3, 1.0, 6), new(0.4, 0.6, 0.5, 1.0, 7), new(0.6, 0.8, 0.7, 1.0, 8), new(0.8, 1, 0.9, 1.0, 9)],
    };
}
