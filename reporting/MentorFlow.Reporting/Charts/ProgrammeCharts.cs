using System.Globalization;
using MentorFlow.Reporting.Metrics;
using MentorFlow.Reporting.Roi;
using ScottPlot;

namespace MentorFlow.Reporting.Charts;

/// <summary>
/// One function per chart of the leadership review. Each returns the same plot as PNG and SVG at the requested size
/// (default 900×480), titled, with axis labels that carry units and a colour-blind-safe palette.
/// </summary>
public static class ProgrammeCharts
{
    /// <summary>Active mentors and mentees per period (a meeting within the active window).</summary>
    public static ChartImage ParticipationOverTime(IReadOnlyList<ParticipationPoint> points, int activeWindowDays, int width = ChartStyle.DefaultWidth, int height = ChartStyle.DefaultHeight)
    {
        const string Title = "Active participants by role";
        var plot = ChartStyle.NewPlot(Title, "Period", $"People with a meeting in the last {activeWindowDays} days");
        if (!HasData(plot, points.Count))
        {
            return ChartStyle.Render(plot, "participation-over-time", Title, width, height);
        }

        var xs = points.Select(p => X(p.Period)).ToArray();
        AddLine(plot, xs, [.. points.Select(p => (double)p.ActiveMentees)], "Mentees", ChartStyle.Blue, MarkerShape.FilledCircle);
        AddLine(plot, xs, [.. points.Select(p => (double)p.ActiveMentors)], "Mentors", ChartStyle.Orange, MarkerShape.FilledSquare);
        var weekly = points.Count > 1 && points[1].Period.DayNumber - points[0].Period.DayNumber <= 7;
        DateAxis(plot, weekly ? "Week (starting Monday)" : "Month");
        plot.Axes.SetLimitsY(0, Math.Max(1, points.Max(p => Math.Max(p.ActiveMentors, p.ActiveMentees))) * 1.15);
        plot.ShowLegend(Alignment.UpperLeft);
        return ChartStyle.Render(plot, "participation-over-time", Title, width, height);
    }

    /// <summary>Relationships running at the end of each period (line) and relationships started in it (bars).</summary>
    public static ChartImage ActiveRelationships(IReadOnlyList<RelationshipPoint> points, Granularity granularity, int width = ChartStyle.DefaultWidth, int height = ChartStyle.DefaultHeight)
    {
        const string Title = "Mentoring relationships";
        var plot = ChartStyle.NewPlot(Title, "Period", "Relationships (count)");
        if (!HasData(plot, points.Count))
        {
            return ChartStyle.Render(plot, "active-relationships", Title, width, height);
        }

        var xs = points.Select(p => X(p.Period)).ToArray();
        var barWidth = granularity == Granularity.Weekly ? 5 : 20;
        var bars = plot.Add.Bars(points.Select((p, i) => new Bar { Position = xs[i], Value = p.Started, Size = barWidth, FillColor = ChartStyle.Sky, LineWidth = 0 }).ToArray());
        bars.LegendText = granularity == Granularity.Weekly ? "Started that week" : "Started that month";
        AddLine(plot, xs, [.. points.Select(p => (double)p.Active)], "Running at period end", ChartStyle.Blue, MarkerShape.FilledCircle);
        DateAxis(plot, granularity == Granularity.Weekly ? "Week (starting Monday)" : "Month");
        plot.Axes.SetLimitsY(0, Math.Max(1, points.Max(p => Math.Max(p.Active, p.Started))) * 1.15);
        plot.ShowLegend(Alignment.UpperLeft);
        return ChartStyle.Render(plot, "active-relationships", Title, width, height);
    }

    /// <summary>The programme funnel as horizontal bars, each labelled with its count and share of the first stage.</summary>
    public static ChartImage Funnel(IReadOnlyList<FunnelStage> stages, int width = ChartStyle.DefaultWidth, int height = ChartStyle.DefaultHeight)
    {
        const string Title = "Programme funnel";
        var plot = ChartStyle.NewPlot(Title, "People (count)", string.Empty);
        if (!HasData(plot, stages.Count))
        {
            return ChartStyle.Render(plot, "funnel", Title, width, height);
        }

        var first = Math.Max(1, stages[0].Count);
        var list = new List<Bar>();
        for (var i = 0; i < stages.Count; i++)
        {
            var stage = stages[i];
            var share = i == 0 ? string.Empty : $" ({100.0 * stage.Count / first:0}%)";
            list.Add(new Bar
            {
                Position = stages.Count - 1 - i,
                Value = stage.Count,
                FillColor = ChartStyle.Palette[i % ChartStyle.Palette.Count],
                Label = stage.Count.ToString("N0", CultureInfo.InvariantCulture) + share,
                LineWidth = 0,
                Size = 0.7,
            });
        }

        var bars = plot.Add.Bars(list);
        bars.Horizontal = true;
        bars.ValueLabelStyle.FontSize = 14;
        bars.ValueLabelStyle.FontName = ChartStyle.FontFamily;
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, stages.Count).Select(i => (double)(stages.Count - 1 - i))], [.. stages.Select(s => s.Label)]);
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Grid.YAxisStyle.IsVisible = false;
        plot.Axes.SetLimitsX(0, stages.Max(s => s.Count) * 1.25 + 1);
        return ChartStyle.Render(plot, "funnel", Title, width, height);
    }

    /// <summary>
    /// Visitors (left axis) and new members (right axis) as daily averages per period (so a partial period compares
    /// fairly), with the programme start marked.
    /// </summary>
    public static ChartImage VisitorsVsNewMembers(IReadOnlyList<PlatformPoint> points, DateOnly programmeStart, Granularity granularity, int width = ChartStyle.DefaultWidth, int height = ChartStyle.DefaultHeight)
    {
        const string Title = "Platform visitors and new members";
        var per = granularity == Granularity.Weekly ? "week" : "month";
        var plot = ChartStyle.NewPlot(Title, "Period", $"Visitors per day (average over the {per})");
        var used = points.Where(p => p.Days > 0).ToList();
        if (!HasData(plot, used.Count))
        {
            return ChartStyle.Render(plot, "visitors-vs-new-members", Title, width, height);
        }

        var xs = used.Select(p => X(p.Period)).ToArray();
        AddLine(plot, xs, [.. used.Select(p => p.VisitorsPerDay!.Value)], "Visitors (left axis)", ChartStyle.Blue, MarkerShape.FilledCircle);
        var members = AddLine(plot, xs, [.. used.Select(p => p.NewMembersPerDay!.Value)], "New members (right axis)", ChartStyle.Vermillion, MarkerShape.FilledTriangleUp);
        members.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.Label.Text = "New members per day";
        plot.Axes.Right.Label.FontSize = 15;
        plot.Axes.Right.Label.FontName = ChartStyle.FontFamily;
        var start = plot.Add.VerticalLine(X(programmeStart), 2, ChartStyle.Grey);
        start.LegendText = "Programme start, " + programmeStart.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
        DateAxis(plot, granularity == Granularity.Weekly ? "Week (starting Monday)" : "Month");
        plot.Axes.SetLimitsY(0, used.Max(p => p.VisitorsPerDay!.Value) * 1.3 + 1, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, used.Max(p => p.NewMembersPerDay!.Value) * 1.3 + 1, plot.Axes.Right);
        plot.ShowLegend(Alignment.UpperLeft);
        return ChartStyle.Render(plot, "visitors-vs-new-members", Title, width, height);
    }

    /// <summary>A tornado chart: ROI at each assumption's low and high value, largest swing on top, base ROI marked.</summary>
    public static ChartImage RoiTornado(SensitivityAnalysis analysis, int width = ChartStyle.DefaultWidth, int height = ChartStyle.DefaultHeight)
    {
        const string Title = "What moves the return on investment";
        var plot = ChartStyle.NewPlot(Title, "ROI (%) with the assumption at its low / high value", string.Empty);
        if (!HasData(plot, analysis.Bars.Count))
        {
            return ChartStyle.Render(plot, "roi-sensitivity", Title, width, height);
        }

        var baseRoi = analysis.BaseRoi * 100;
        var bars = new List<Bar>();
        var n = analysis.Bars.Count;
        for (var i = 0; i < n; i++)
        {
            var bar = analysis.Bars[i];
            var position = n - 1 - i;
            bars.Add(new Bar { Position = position, ValueBase = baseRoi, Value = bar.RoiAtLow * 100, FillColor = ChartStyle.Vermillion, LineWidth = 0, Size = 0.65 });
            bars.Add(new Bar { Position = position, ValueBase = baseRoi, Value = bar.RoiAtHigh * 100, FillColor = ChartStyle.Blue, LineWidth = 0, Size = 0.65 });
        }

        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        var line = plot.Add.VerticalLine(baseRoi, 2, Colors.Black);
        line.LegendText = $"Base case: ROI {baseRoi:0}%";
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, n).Select(i => (double)(n - 1 - i))], [.. analysis.Bars.Select(b => b.Label)]);
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Grid.YAxisStyle.IsVisible = false;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Assumption at its low value", FillColor = ChartStyle.Vermillion });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Assumption at its high value", FillColor = ChartStyle.Blue });
        plot.ShowLegend(Alignment.LowerRight);
        var min = Math.Min(baseRoi, analysis.Bars.Min(b => Math.Min(b.RoiAtLow, b.RoiAtHigh)) * 100);
        var max = Math.Max(baseRoi, analysis.Bars.Max(b => Math.Max(b.RoiAtLow, b.RoiAtHigh)) * 100);
        var pad = Math.Max(5, (max - min) * 0.1);
        plot.Axes.SetLimits(min - pad, max + pad, -0.6, n - 0.4);
        return ChartStyle.Render(plot, "roi-sensitivity", Title, width, height);
    }

    /// <summary>Predicted against observed success per score bin, with the perfect-calibration diagonal.</summary>
    public static ChartImage MatchCalibration(IReadOnlyList<CalibrationBin> bins, int width = ChartStyle.DefaultWidth, int height = ChartStyle.DefaultHeight) =>
        MatchCalibration(bins, width, height, showCounts: true).Image;

    /// <summary>
    /// The calibration chart, with or without the "n=" count labels, and the data area in pixels (for the image test
    /// that checks the labels never cover a point and are never cut at the edge).
    /// </summary>
    /// <remarks>
    /// Each label sits just above its point (below it near the top, where there is no room above), right-aligned near
    /// the right edge and left-aligned near the left one, on a white box; the axes reach a little past 0–100% so points
    /// at the ends are whole; the legend sits below the chart, where it cannot cover a point.
    /// </remarks>
    internal static (ChartImage Image, PixelRect DataArea) MatchCalibration(IReadOnlyList<CalibrationBin> bins, int width, int height, bool showCounts)
    {
        const string Title = "Are match scores honest? (calibration)";
        const float MarkerSize = 9;
        var plot = ChartStyle.NewPlot(Title, "Predicted chance of success (%)", "Observed success rate (%)");
        var diagonal = plot.Add.Line(0, 0, 100, 100);
        diagonal.LineColor = ChartStyle.Grey;
        diagonal.LegendText = "Perfect calibration";
        var used = bins.Where(b => b.Count > 0).ToList();
        if (used.Count > 0)
        {
            var line = AddLine(plot, [.. used.Select(b => b.MeanPredicted * 100)], [.. used.Select(b => b.ObservedRate * 100)], "Model", ChartStyle.Blue, MarkerShape.FilledCircle);
            line.MarkerSize = MarkerSize;
            foreach (var bin in used.Where(_ => showCounts))
            {
                var (x, y) = (bin.MeanPredicted * 100, bin.ObservedRate * 100);
                var below = y > 85;
                var label = plot.Add.Text($"n={bin.Count}", x, y);
                label.LabelFontSize = 11;
                label.LabelFontName = ChartStyle.FontFamily;
                label.LabelFontColor = ChartStyle.Grey;
                label.LabelBackgroundColor = Colors.White;
                label.LabelPadding = 1;
                label.LabelAlignment = (below, x > 88, x < 12) switch
                {
                    (true, true, _) => Alignment.UpperRight,
                    (true, _, true) => Alignment.UpperLeft,
                    (true, _, _) => Alignment.UpperCenter,
                    (false, true, _) => Alignment.LowerRight,
                    (false, _, true) => Alignment.LowerLeft,
                    _ => Alignment.LowerCenter,
                };
                label.OffsetY = below ? (MarkerSize / 2) + 4 : -((MarkerSize / 2) + 4);
            }
        }
        else
        {
            HasData(plot, 0);
        }

        plot.Axes.SetLimits(-3, 103, -3, 103);
        plot.ShowLegend(Edge.Bottom);
        var image = ChartStyle.Render(plot, "match-calibration", Title, width, height);
        return (image, plot.LastRender.DataRect);
    }

    /// <summary>How predicted scores are spread, split by whether the pair went on to succeed (when known).</summary>
    public static ChartImage ScoreDistribution(IReadOnlyList<double> scores, IReadOnlyList<bool>? succeeded = null, int binCount = 20, int width = ChartStyle.DefaultWidth, int height = ChartStyle.DefaultHeight)
    {
        const string Title = "Distribution of match scores";
        var plot = ChartStyle.NewPlot(Title, "Predicted chance of success (%)", "Pairs (count)");
        if (succeeded is not null && succeeded.Count != scores.Count)
        {
            throw new ArgumentException($"succeeded has {succeeded.Count} values but scores has {scores.Count}", nameof(succeeded));
        }

        if (!HasData(plot, scores.Count))
        {
            return ChartStyle.Render(plot, "score-distribution", Title, width, height);
        }

        var binWidth = 100.0 / binCount;
        int Bin(double score) => Math.Clamp((int)(score * 100 / binWidth), 0, binCount - 1);
        var groups = succeeded is null
            ? [(Label: "Pairs", Color: ChartStyle.Blue, Values: scores.ToArray())]
            : new[]
            {
                (Label: "Did not succeed", Color: ChartStyle.Orange, Values: scores.Where((_, i) => !succeeded[i]).ToArray()),
                (Label: "Succeeded", Color: ChartStyle.Blue, Values: scores.Where((_, i) => succeeded[i]).ToArray()),
            };
        var stackBase = new double[binCount];
        var top = 0.0;
        foreach (var group in groups)
        {
            var counts = new double[binCount];
            foreach (var score in group.Values)
            {
                counts[Bin(score)]++;
            }

            var bars = plot.Add.Bars(Enumerable.Range(0, binCount).Select(b => new Bar
            {
                Position = (b + 0.5) * binWidth,
                ValueBase = stackBase[b],
                Value = stackBase[b] + counts[b],
                Size = binWidth * 0.92,
                FillColor = group.Color,
                LineWidth = 0,
            }).ToArray());
            bars.LegendText = group.Label;
            for (var b = 0; b < binCount; b++)
            {
                stackBase[b] += counts[b];
                top = Math.Max(top, stackBase[b]);
            }
        }

        plot.Axes.SetLimits(0, 100, 0, Math.Max(1, top) * 1.15);
        plot.ShowLegend(Alignment.UpperLeft);
        return ChartStyle.Render(plot, "score-distribution", Title, width, height);
    }

    private static double X(DateOnly day) => day.ToDateTime(TimeOnly.MinValue).ToOADate();

    private static void DateAxis(Plot plot, string label)
    {
        var axis = plot.Axes.DateTimeTicksBottom();
        axis.LabelText = label;
        axis.LabelFontSize = 15;
        axis.LabelFontName = ChartStyle.FontFamily;
        if (axis.TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic ticks)
        {
            ticks.LabelFormatter = d => d.ToString(d.Day == 1 ? "MMM yyyy" : "d MMM yyyy", CultureInfo.InvariantCulture);
        }

        plot.Axes.Bottom.TickLabelStyle.FontName = ChartStyle.FontFamily;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
    }

    private static ScottPlot.Plottables.Scatter AddLine(Plot plot, double[] xs, double[] ys, string label, Color color, MarkerShape marker)
    {
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = label;
        line.Color = color;
        line.LineWidth = 2.5f;
        line.MarkerSize = 6;
        line.MarkerShape = marker;
        return line;
    }

    private static bool HasData(Plot plot, int count)
    {
        if (count > 0)
        {
            return true;
        }

        var text = plot.Add.Annotation("No data for this period yet", Alignment.MiddleCenter);
        text.LabelFontSize = 18;
        text.LabelFontName = ChartStyle.FontFamily;
        text.LabelFontColor = ChartStyle.Grey;
        text.LabelBackgroundColor = Colors.White;
        text.LabelBorderColor = Colors.White;
        text.LabelShadowColor = Colors.Transparent;
        return false;
    }
}
