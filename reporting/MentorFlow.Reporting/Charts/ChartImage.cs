using System.Globalization;
using System.Net;
using System.Text;

namespace MentorFlow.Reporting.Charts;

/// <summary>A rendered chart: PNG bytes and SVG text of the same plot, at a known pixel size.</summary>
/// <param name="Name">File-name stem, e.g. <c>participation-over-time</c>.</param>
/// <param name="Title">The chart's title (also its alt text).</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Png">The PNG image.</param>
/// <param name="Svg">The same chart as SVG markup.</param>
public sealed record ChartImage(string Name, string Title, int Width, int Height, byte[] Png, string Svg)
{
    /// <summary>An HTML figure with the PNG inline (notebooks display this; the report runner saves it as a file).</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<figure class=\"mf-chart\" data-chart=\"{WebUtility.HtmlEncode(Name)}\" style=\"margin:12px 0\">")
            .Append(CultureInfo.InvariantCulture, $"<img alt=\"{WebUtility.HtmlEncode(Title)}\" width=\"{Width}\" height=\"{Height}\" style=\"max-width:100%;height:auto\" ")
            .Append("src=\"data:image/png;base64,").Append(Convert.ToBase64String(Png)).Append("\"></figure>");
        return html.ToString();
    }

    /// <summary>Writes <c>{Name}.png</c> and <c>{Name}.svg</c> into <paramref name="folder"/> (created if missing).</summary>
    public ChartFiles Save(string folder)
    {
        Directory.CreateDirectory(folder);
        var png = Path.Combine(folder, Name + ".png");
        var svg = Path.Combine(folder, Name + ".svg");
        File.WriteAllBytes(png, Png);
        File.WriteAllText(svg, Svg, new UTF8Encoding(false));
        return new ChartFiles(png, svg);
    }

    public override string ToString() => $"{Title} ({Width}×{Height} chart)";
}

/// <summary>Where a chart was saved.</summary>
public sealed record ChartFiles(string Png, string Svg);
