using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.DotNet.Interactive.Documents;

namespace MentorFlow.Cli.Notebooks;

/// <summary>
/// Writes one HTML report for leadership from executed notebooks: a cover with generation time and data sources, a
/// table of contents, the markdown narrative (Markdig), outputs with charts saved beside it under <c>assets/</c>,
/// code folded away, and failed notebooks marked with their error.
/// </summary>
public static partial class NotebookReport
{
    public const string FileName = "report.html";
    public const string AssetsFolder = "assets";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    [GeneratedRegex(@"src=(?<q>[""'])data:image/(?<type>png|svg\+xml);base64,(?<data>[A-Za-z0-9+/=\s]+)\k<q>")]
    private static partial Regex DataUriPattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex SlugPattern();

    /// <summary>Writes <c>report.html</c> (and its images) into <paramref name="folder"/> and returns its path.</summary>
    public static string Write(string folder, IReadOnlyList<NotebookRun> runs, DateTimeOffset generatedAt)
    {
        var assets = Path.Combine(folder, AssetsFolder);
        Directory.CreateDirectory(assets);
        var toc = new StringBuilder();
        var body = new StringBuilder();
        foreach (var run in runs)
        {
            RenderNotebook(run, assets, toc, body);
        }

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>MentorFlow programme review</title>\n<style>").Append(Styles).Append("</style>\n</head>\n<body>\n");
        RenderCover(runs, generatedAt, html);
        html.Append("<nav class=\"toc\" aria-label=\"Contents\"><h2>Contents</h2>\n<ol>\n").Append(toc).Append("</ol>\n</nav>\n");
        html.Append("<main>\n").Append(body).Append("</main>\n");
        html.Append("<footer>Produced by <code>mentorflow notebooks run</code> with the .NET Interactive C# kernel. ")
            .Append("The executed notebooks (with code and outputs) are beside this report: ")
            .AppendJoin(", ", runs.Select(r => $"<a href=\"{Enc(r.Name)}.ipynb\">{Enc(r.Name)}.ipynb</a>"))
            .Append(".</footer>\n</body>\n</html>\n");

        var path = Path.Combine(folder, FileName);
        File.WriteAllText(path, html.ToString(), new UTF8Encoding(false));
        return path;
    }

    private static void RenderCover(IReadOnlyList<NotebookRun> runs, DateTimeOffset generatedAt, StringBuilder html)
    {
        var failed = runs.Where(r => !r.Succeeded).ToList();
        var sources = runs.Select(r => r.DataSource).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        html.Append("<header class=\"cover\">\n<p class=\"eyebrow\">MentorFlow · Leadership review</p>\n")
            .Append("<h1>Mentorship programme review</h1>\n<dl class=\"meta\">\n")
            .Append("<dt>Generated</dt><dd>")
            .Append(Enc(generatedAt.UtcDateTime.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture)))
            .Append("</dd>\n<dt>Data source</dt><dd>")
            .Append(sources.Count == 0 ? "not stated by the notebooks" : string.Join("<br>", sources.Select(Enc)))
            .Append("</dd>\n<dt>Analyses</dt><dd>")
            .Append(CultureInfo.InvariantCulture, $"{runs.Count} notebook{(runs.Count == 1 ? "" : "s")}, ")
            .Append(failed.Count == 0 ? "all completed" : $"<strong class=\"bad\">{failed.Count} failed</strong>")
            .Append("</dd>\n</dl>\n");
        foreach (var run in failed)
        {
            html.Append("<p class=\"banner failed\">")
                .Append(CultureInfo.InvariantCulture, $"<strong>{Enc(run.Title)}</strong> did not complete: cell {run.Failure!.CellNumber} failed. ")
                .Append("Its figures below stop at that point.</p>\n");
        }

        html.Append("</header>\n");
    }

    private static void RenderNotebook(NotebookRun run, string assets, StringBuilder toc, StringBuilder body)
    {
        var slug = Slug(run.Name);
        var sectionId = "nb-" + slug;
        var status = run.Succeeded ? "completed" : "failed";
        toc.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#{sectionId}\">{Enc(run.Title)}</a>")
            .Append(run.Succeeded ? string.Empty : " <span class=\"tag failed\">failed</span>")
            .Append("\n<ol>\n");
        body.Append(CultureInfo.InvariantCulture, $"<section class=\"notebook {status}\" id=\"{sectionId}\" data-notebook=\"{Enc(run.Name)}\" data-status=\"{status}\">\n");

        var parametersCell = NotebookParameters.FindCell(run.Executed);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var images = 0;
        var titleSeen = false;
        for (var i = 0; i < run.Executed.Elements.Count; i++)
        {
            var element = run.Executed.Elements[i];
            if (element.KernelName == "markdown")
            {
                body.Append("<div class=\"narrative\">\n")
                    .Append(RenderMarkdown(element.Contents, slug, ids, toc, ref titleSeen))
                    .Append("</div>\n");
                if (titleSeen && i == 0)
                {
                    AppendRunFacts(run, body);
                }

                continue;
            }

            if (ReferenceEquals(element, parametersCell))
            {
                AppendParameters(run, body);
            }
            else if (!string.IsNullOrWhiteSpace(element.Contents) && !element.Contents.TrimStart().StartsWith("// Setup", StringComparison.OrdinalIgnoreCase))
            {
                // Setup cells (loading the library and data) stay in the executed notebook; the report shows only analyses.
                body.Append("<details class=\"code\"><summary>Show the calculation</summary><pre><code>")
                    .Append(Enc(element.Contents)).Append("</code></pre></details>\n");
            }

            if (IsDirectivesOnly(element.Contents) && element.Outputs.All(o => o is not ErrorElement))
            {
                // "#r" cells only report installed packages: kept in the executed notebook, left out of the report.
                continue;
            }

            foreach (var output in element.Outputs)
            {
                body.Append(RenderOutput(output, i + 1, slug, assets, ref images));
            }
        }

        if (!titleSeen)
        {
            AppendRunFacts(run, body);
        }

        toc.Append("</ol>\n</li>\n");
        body.Append("</section>\n");
    }

    private static bool IsDirectivesOnly(string code) =>
        code.Split('\n').Select(l => l.Trim()).All(l => l.Length == 0 || l.StartsWith('#') || l.StartsWith("//", StringComparison.Ordinal));

    private static void AppendRunFacts(NotebookRun run, StringBuilder body)
    {
        body.Append("<p class=\"runfacts\">")
            .Append(CultureInfo.InvariantCulture, $"Ran in {run.Elapsed.TotalSeconds:0.0} s")
            .Append(run.DataSource is null ? string.Empty : " · Data: " + Enc(run.DataSource))
            .Append("</p>\n");
        if (run.Failure is { } failure)
        {
            body.Append("<div class=\"banner failed\" role=\"alert\">")
                .Append(CultureInfo.InvariantCulture, $"<strong>This analysis stopped at cell {failure.CellNumber}.</strong> ")
                .Append("The error was:<pre>").Append(Enc(failure.Message)).Append("</pre></div>\n");
        }
    }

    private static void AppendParameters(NotebookRun run, StringBuilder body)
    {
        if (run.Parameters.Count == 0)
        {
            return;
        }

        body.Append("<details class=\"parameters\"><summary>Assumptions and parameters used</summary><table class=\"mf-table\">")
            .Append("<thead><tr><th>Parameter</th><th>Value</th></tr></thead><tbody>");
        foreach (var parameter in run.Parameters)
        {
            var value = parameter.DisplayValue.Length == 0 ? "(default)" : parameter.DisplayValue;
            body.Append("<tr><td>").Append(Enc(parameter.Name)).Append("</td><td>").Append(Enc(value))
                .Append(parameter.Overridden ? " <span class=\"tag\">set for this run</span>" : string.Empty)
                .Append("</td></tr>");
        }

        body.Append("</tbody></table></details>\n");
    }

    private static string RenderMarkdown(string markdown, string slug, HashSet<string> ids, StringBuilder toc, ref bool titleSeen)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            var text = InlineText(heading.Inline);
            if (heading.Level == 1 && !titleSeen)
            {
                titleSeen = true;
                heading.GetAttributes().Id = "title-" + slug;
                continue;
            }

            var id = $"{slug}-{Slug(text)}";
            for (var n = 2; !ids.Add(id); n++)
            {
                id = $"{slug}-{Slug(text)}-{n}";
            }

            heading.GetAttributes().Id = id;
            if (heading.Level == 2)
            {
                toc.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#{id}\">{Enc(text)}</a></li>\n");
            }
        }

        return Markdown.ToHtml(document, Pipeline);
    }

    private static string InlineText(ContainerInline? inline)
    {
        if (inline is null)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var item in inline.Descendants<LeafInline>())
        {
            text.Append(item switch
            {
                LiteralInline literal => literal.Content.ToString(),
                CodeInline code => code.Content,
                _ => string.Empty,
            });
        }

        return text.ToString().Trim();
    }

    private static string RenderOutput(InteractiveDocumentOutputElement output, int cellNumber, string slug, string assets, ref int images)
    {
        switch (output)
        {
            case TextElement text when string.IsNullOrWhiteSpace(text.Text):
                return string.Empty;
            case TextElement text:
                return $"<pre class=\"{(text.Name == "stderr" ? "stderr" : "stdout")}\">{Enc(text.Text.TrimEnd())}</pre>\n";
            case ErrorElement error:
                return $"<div class=\"banner failed\" role=\"alert\"><strong>Cell {cellNumber} failed</strong> ({Enc(error.ErrorName)})<pre>{Enc(error.ErrorValue)}</pre></div>\n";
            case ReturnValueElement value:
                return RenderData(value.Data, slug, assets, ref images);
            case DisplayElement display:
                return RenderData(display.Data, slug, assets, ref images);
            default:
                return string.Empty;
        }
    }

    private static string RenderData(IDictionary<string, object> data, string slug, string assets, ref int images)
    {
        if (data.TryGetValue("text/html", out var html) && html?.ToString() is { } markup)
        {
            return "<div class=\"output\">" + ExtractImages(markup, slug, assets, ref images) + "</div>\n";
        }

        if (data.TryGetValue("image/png", out var png) && png?.ToString() is { } base64)
        {
            var file = SaveImage(base64, "png", slug, assets, ref images);
            return $"<figure class=\"output\"><img src=\"{AssetsFolder}/{file}\" alt=\"chart\"></figure>\n";
        }

        if (data.TryGetValue("text/plain", out var plain) && plain?.ToString() is { Length: > 0 } textValue)
        {
            return $"<pre class=\"value\">{Enc(textValue)}</pre>\n";
        }

        return string.Empty;
    }

    private static string ExtractImages(string markup, string slug, string assets, ref int images)
    {
        var count = images;
        var result = DataUriPattern().Replace(markup, match =>
        {
            var type = match.Groups["type"].Value == "png" ? "png" : "svg";
            var file = SaveImage(match.Groups["data"].Value, type, slug, assets, ref count);
            return $"src=\"{AssetsFolder}/{file}\"";
        });
        images = count;
        return result;
    }

    private static string SaveImage(string base64, string extension, string slug, string assets, ref int images)
    {
        images++;
        var file = $"{slug}-{images:00}.{extension}";
        File.WriteAllBytes(Path.Combine(assets, file), Convert.FromBase64String(base64.Trim()));
        return file;
    }

    private static string Slug(string text) => SlugPattern().Replace(text.ToLowerInvariant(), "-").Trim('-');

    private static string Enc(string text) => WebUtility.HtmlEncode(text);

    private const string Styles = """

        :root { --ink:#1d2433; --muted:#5b6577; --line:#d9dee7; --accent:#0072b2; --bad:#b3261e; --good:#1b7f4b; --paper:#ffffff; --wash:#f4f6f9; }
        * { box-sizing: border-box; }
        body { margin:0; background:var(--wash); color:var(--ink); font:16px/1.55 "DejaVu Sans","Segoe UI",Helvetica,Arial,sans-serif; }
        header.cover, nav.toc, main, footer { max-width:980px; margin:0 auto; padding:0 32px; }
        header.cover { background:var(--paper); border-bottom:4px solid var(--accent); padding-top:36px; padding-bottom:24px; }
        .eyebrow { text-transform:uppercase; letter-spacing:.12em; font-size:12px; color:var(--accent); margin:0 0 6px; font-weight:bold; }
        header.cover h1 { font-size:34px; margin:0 0 18px; }
        dl.meta { display:grid; grid-template-columns:max-content 1fr; gap:4px 18px; margin:0; font-size:14px; }
        dl.meta dt { color:var(--muted); } dl.meta dd { margin:0; }
        nav.toc { background:var(--paper); padding-top:8px; padding-bottom:20px; border-bottom:1px solid var(--line); }
        nav.toc h2 { font-size:15px; text-transform:uppercase; letter-spacing:.08em; color:var(--muted); }
        nav.toc ol { margin:0; padding-left:22px; } nav.toc > ol > li { font-weight:bold; margin-top:6px; }
        nav.toc ol ol { font-weight:normal; font-size:14px; columns:2; }
        nav.toc a { color:var(--ink); text-decoration:none; } nav.toc a:hover { color:var(--accent); text-decoration:underline; }
        main { background:var(--paper); padding-bottom:24px; }
        section.notebook { padding:28px 0 12px; border-top:1px solid var(--line); }
        section.notebook h1 { font-size:28px; margin:0 0 8px; color:var(--accent); }
        section.notebook h2 { font-size:21px; margin:30px 0 8px; border-bottom:1px solid var(--line); padding-bottom:4px; }
        section.notebook h3 { font-size:17px; margin:20px 0 6px; }
        .narrative p, .narrative li { max-width:72ch; }
        .runfacts { color:var(--muted); font-size:13px; margin-top:0; }
        details.code, details.parameters { margin:8px 0; font-size:13px; color:var(--muted); }
        details.code summary, details.parameters summary { cursor:pointer; }
        details.code pre { background:#f6f8fa; border:1px solid var(--line); padding:10px; overflow:auto; color:var(--ink); }
        .output { margin:12px 0; overflow-x:auto; }
        .output img, figure.output img { max-width:100%; height:auto; border:1px solid var(--line); border-radius:4px; }
        pre.stdout, pre.value { font-size:12.5px; color:var(--muted); background:transparent; border-left:3px solid var(--line); padding:4px 10px; white-space:pre-wrap; }
        pre.stderr { font-size:12.5px; color:var(--bad); white-space:pre-wrap; }
        .banner.failed { background:#fdecea; border:1px solid #f3b8b2; color:var(--bad); padding:10px 14px; border-radius:4px; }
        .banner.failed pre { white-space:pre-wrap; color:var(--ink); font-size:13px; }
        .tag { display:inline-block; font-size:11px; padding:1px 6px; border-radius:8px; background:var(--wash); color:var(--muted); font-weight:normal; }
        .tag.failed, strong.bad { color:var(--bad); }
        table.mf-table, .output table { border-collapse:collapse; font-size:14px; margin:8px 0; }
        table.mf-table th, table.mf-table td, .output table th, .output table td { border-bottom:1px solid var(--line); padding:5px 12px 5px 0; text-align:left; vertical-align:top; }
        table.mf-table td.num, table.mf-table th.num { text-align:right; font-variant-numeric:tabular-nums; }
        .mf-kpis { display:grid; grid-template-columns:repeat(auto-fill,minmax(200px,1fr)); gap:12px; margin:14px 0; }
        .mf-kpi { border:1px solid var(--line); border-radius:6px; padding:12px 14px; background:var(--paper); }
        .mf-kpi .value { font-size:28px; font-weight:bold; color:var(--ink); display:block; }
        .mf-kpi .label { font-size:13px; color:var(--muted); display:block; }
        .mf-kpi .note { font-size:12px; color:var(--muted); display:block; margin-top:4px; }
        .mf-kpi .up { color:var(--good); } .mf-kpi .down { color:var(--bad); }
        blockquote, .mf-quote { border-left:4px solid var(--accent); margin:12px 0; padding:4px 14px; color:#34405a; font-style:italic; }
        footer { color:var(--muted); font-size:12px; padding-top:16px; padding-bottom:40px; }
        @media print { body { background:#fff; } details.code { display:none; } section.notebook { break-before:page; } }

        """;
}
