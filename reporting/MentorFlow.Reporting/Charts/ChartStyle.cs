using ScottPlot;

namespace MentorFlow.Reporting.Charts;

/// <summary>
/// The house chart style: DejaVu Sans (Debian fonts-dejavu-core), the Okabe–Ito colour-blind-safe palette, titles and
/// axis labels with units. A missing font is an error: without it ScottPlot would draw charts with no text.
/// </summary>
public static class ChartStyle
{
    public const string FontFamily = "DejaVu Sans";
    public const int DefaultWidth = 900;
    public const int DefaultHeight = 480;

    private static readonly Lock FontLock = new();
    private static bool fontChecked;

    /// <summary>Okabe–Ito: blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, black.</summary>
    public static IReadOnlyList<Color> Palette { get; } =
    [
        Color.FromHex("#0072B2"), Color.FromHex("#E69F00"), Color.FromHex("#009E73"), Color.FromHex("#D55E00"),
        Color.FromHex("#CC79A7"), Color.FromHex("#56B4E9"), Color.FromHex("#F0E442"), Color.FromHex("#000000"),
    ];

    public static Color Blue => Palette[0];
    public static Color Orange => Palette[1];
    public static Color Green => Palette[2];
    public static Color Vermillion => Palette[3];
    public static Color Purple => Palette[4];
    public static Color Sky => Palette[5];
    public static Color Grey => Color.FromHex("#6B7280");

    /// <summary>Checks that <see cref="FontFamily"/> is installed and makes it ScottPlot's default.</summary>
    /// <exception cref="ChartFontMissingException">The font is not installed.</exception>
    public static void EnsureFonts() => EnsureFont(FontFamily);

    /// <summary>Checks that <paramref name="family"/> is installed (the font system would otherwise substitute another).</summary>
    /// <exception cref="ChartFontMissingException">The font is not installed.</exception>
    public static void EnsureFont(string family)
    {
        lock (FontLock)
        {
            if (fontChecked && family == FontFamily)
            {
                return;
            }

            var typeface = Fonts.GetTypeface(family, bold: false, italic: false);
            if (typeface is null || !string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase))
            {
                throw new ChartFontMissingException(family);
            }

            if (family == FontFamily)
            {
                Fonts.Default = FontFamily;
                Fonts.Sans = FontFamily;
                fontChecked = true;
            }
        }
    }

    internal static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        EnsureFonts();
        var plot = new Plot();
        plot.Font.Set(FontFamily);
        plot.Title(title, size: 20);
        plot.XLabel(xLabel, size: 15);
        plot.YLabel(yLabel, size: 15);
        plot.Axes.Title.Label.FontName = FontFamily;
        plot.Axes.Title.Label.Bold = true;
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Grid.MajorLineColor = Color.FromHex("#E5E7EB");
        plot.Axes.Color(Color.FromHex("#374151"));
        plot.Legend.FontName = FontFamily;
        plot.Legend.FontSize = 13;
        return plot;
    }

    internal static ChartImage Render(Plot plot, string name, string title, int width, int height)
    {
        if (width < 200 || height < 150)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"a chart needs at least 200×150 pixels, got {width}×{height}");
        }

        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        var svg = plot.GetSvgXml(width, height);
        return new ChartImage(name, title, width, height, png, svg);
    }
}

/// <summary>A chart font is not installed (on Debian: <c>apt-get install fonts-dejavu-core</c>).</summary>
public sealed class ChartFontMissingException : Exception
{
    public ChartFontMissingException(string family)
        : base($"The chart font '{family}' is not installed, so chart text cannot be drawn. On Debian/Ubuntu: apt-get install -y fonts-dejavu-core") =>
        Family = family;

    public ChartFontMissingException()
        : this(ChartStyle.FontFamily)
    {
    }

    public ChartFontMissingException(string message, Exception innerException)
        : base(message, innerException) => Family = ChartStyle.FontFamily;

    public string Family { get; }
}
