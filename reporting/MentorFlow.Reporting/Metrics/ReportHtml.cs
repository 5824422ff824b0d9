using System.Globalization;
using System.Net;
using System.Text;
using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Roi;

namespace MentorFlow.Reporting.Metrics;

/// <summary>
/// One headline number. <see cref="Key"/> and the raw <see cref="Value"/> are written as <c>data-key</c> and
/// <c>data-value</c> attributes so a reader (or a test) can check a report's numbers against the library's.
/// </summary>
public sealed record KeyFigure(string Key, string Label, double? Value, string Display, string? Note = null, bool? Good = null);

/// <summary>Small, self-styled HTML fragments for notebook outputs and the leadership report (KPI cards, tables, quotes).</summary>
public static partial class ReportHtml
{
    private const string Style =
        "<style>.mf-kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px;margin:14px 0;font-family:'DejaVu Sans',sans-serif}" +
        ".mf-kpi{border:1px solid #d9dee7;border-radius:6px;padding:12px 14px;background:#fff;color:#1d2433}" +
        ".mf-kpi .value{font-size:28px;font-weight:bold;display:block}.mf-kpi .label{font-size:13px;color:#5b6577;display:block}" +
        ".mf-kpi .note{font-size:12px;color:#5b6577;display:block;margin-top:4px}.mf-kpi .up{color:#1b7f4b}.mf-kpi .down{color:#b3261e}" +
        "table.mf-table{border-collapse:collapse;font-size:14px;margin:8px 0}table.mf-table th,table.mf-table td{border-bottom:1px solid #d9dee7;padding:5px 12px 5px 0;text-align:left;vertical-align:top}" +
        "table.mf-table td.num,table.mf-table th.num{text-align:right;font-variant-numeric:tabular-nums}" +
        ".mf-quote{border-left:4px solid #0072b2;margin:12px 0;padding:4px 14px;color:#34405a;font-style:italic}.mf-quote cite{display:block;font-style:normal;font-size:12px;color:#5b6577}</style>";

    public static string Percent(double? share, int decimals = 0) =>
        share is { } s ? (s * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%" : "n/a";

    public static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Money(double value, string currency = "") =>
        (value < 0 ? "−" : string.Empty) + currency + Math.Abs(value).ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A grid of KPI cards.</summary>
    public static string KeyFigures(IEnumerable<KeyFigure> figures)
    {
        var html = new StringBuilder(Style).Append("<div class=\"mf-kpis\">");
        foreach (var f in figures)
        {
            var raw = f.Value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty;
            var tone = f.Good switch { true => " up", false => " down", _ => string.Empty };
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"mf-kpi\" data-key=\"{Enc(f.Key)}\" data-value=\"{raw}\">")
                .Append(CultureInfo.InvariantCulture, $"<span class=\"value{tone}\">{Enc(f.Display)}</span><span class=\"label\">{Enc(f.Label)}</span>");
            if (f.Note is { Length: > 0 } note)
            {
                html.Append(CultureInfo.InvariantCulture, $"<span class=\"note\">{Enc(note)}</span>");
            }

            html.Append("</div>");
        }

        return html.Append("</div>").ToString();
    }

    /// <summary>A table; cells that parse as numbers are right-aligned.</summary>
    public static string Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var html = new StringBuilder(Style).Append("<table class=\"mf-table\"><thead><tr>");
        foreach (var h in headers)
        {
            html.Append("<th>").Append(Enc(h)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                var numeric = NumericCell().IsMatch(cell);
                html.Append(numeric ? "<td class=\"num\">" : "<td>").Append(Enc(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>Consented testimonials as quotes (at most <paramref name="max"/>), with role and date.</summary>
    public static string Quotes(IEnumerable<Quote> quotes, int max = 3)
    {
        var html = new StringBuilder(Style);
        foreach (var q in quotes.Take(max))
        {
            var role = q.Role == Role.Mentor ? "A mentor" : "A mentee";
            html.Append("<blockquote class=\"mf-quote\">").Append(Enc(q.Text))
                .Append(CultureInfo.InvariantCulture, $"<cite>{role}, {q.Date:d MMMM yyyy}</cite></blockquote>");
        }

        return html.ToString();
    }

    /// <summary>The headline figures of a programme summary.</summary>
    public static IReadOnlyList<KeyFigure> SummaryFigures(ProgrammeSummary s)
    {
        var o = s.Outcomes;
        var figures = new List<KeyFigure>
        {
            new("active_mentors", "Active mentors", s.ActiveMentors, Count(s.ActiveMentors), $"met a mentee in the last {s.ActiveWindowDays} days"),
            new("active_mentees", "Active mentees", s.ActiveMentees, Count(s.ActiveMentees), $"met a mentor in the last {s.ActiveWindowDays} days"),
            new("active_relationships", "Active relationships", s.ActiveRelationships, Count(s.ActiveRelationships), $"{Count(s.TotalRelationships)} formed since the start"),
            new("completion_rate", "Completion rate", o.CompletionRate, Percent(o.CompletionRate), $"of {Count(o.Ended)} relationships that ended"),
            new(
                "early_closure_rate",
                "Closed early",
                o.EarlyClosureRate,
                Percent(o.EarlyClosureRate),
                $"research benchmark ≈ {Percent(ProgrammeMetrics.ResearchEarlyClosureRate)}",
                o.EarlyClosureRate is { } r ? r <= ProgrammeMetrics.ResearchEarlyClosureRate : null),
            new("goal_attainment", "Goals met", o.GoalAttainment, Percent(o.GoalAttainment), $"of {Count(o.GoalsReported)} pairs that reported"),
            new("satisfaction", "Satisfaction", o.Satisfaction, o.Satisfaction is { } sat ? sat.ToString("0.0", CultureInfo.InvariantCulture) + " / 5" : "n/a", $"{Count(o.SatisfactionResponses)} closing surveys"),
        };
        if (s.Platform is { ProgrammeDaysWithData: > 0 } p)
        {
            figures.Add(new("new_members", "New members since the start", p.TotalNewMembers, Count(p.TotalNewMembers), $"{Percent(p.NewMemberChange, 0)} per day vs baseline", p.NewMemberChange is { } c ? c >= 0 : null));
            figures.Add(new("visitor_change", "Change in platform visitors", p.VisitorChange, p.VisitorChange is { } vc ? (vc >= 0 ? "+" : string.Empty) + Percent(vc) : "n/a", "per day, vs the baseline period", p.VisitorChange is { } v ? v >= 0 : null));
        }

        figures.Add(new("testimonials", "Testimonials", s.Testimonials.Received, Count(s.Testimonials.Received), $"{Count(s.Testimonials.Consented)} may be published"));
        return figures;
    }

    /// <summary>The headline figures of an ROI evaluation.</summary>
    public static IReadOnlyList<KeyFigure> RoiFigures(RoiResult roi, string currency = "")
    {
        return
        [
            new("roi", "Return on investment", roi.Roi, Percent(roi.Roi), "net benefit ÷ cost", roi.Roi >= 0),
            new("total_cost", "Total cost", roi.TotalCost, Money(roi.TotalCost, currency), "participants, admin and mentor time"),
            new("total_benefit", "Total benefit", roi.TotalBenefit, Money(roi.TotalBenefit, currency), "retention and faster ramp-up"),
            new("net_benefit", "Net benefit", roi.NetBenefit, Money(roi.NetBenefit, currency), null, roi.NetBenefit >= 0),
            new("payback_months", "Payback", roi.PaybackMonths, roi.PaybackMonths is { } m ? m.ToString("0.0", CultureInfo.InvariantCulture) + " months" : "never", "time for benefits to cover the cost"),
        ];
    }

    /// <summary>The ROI assumptions as a table: value, range tested and the source or rationale.</summary>
    public static string Assumptions(RoiAssumptions assumptions) =>
        Table(
            ["Assumption", "Value", "Range tested", "Source or rationale"],
            assumptions.All.Select(a => (IReadOnlyList<string>)[a.Label, a.Describe(), $"{a.WithValue(a.Low).Describe()} – {a.WithValue(a.High).Describe()}", a.Source]));

    private static string Enc(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A number, money or percentage (optionally with a short unit): right-aligned in tables.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^[−+-]?[€$£]?\d[\d,.]*( ?%| ?(months?|hours?|s))?$")]
    private static partial System.Text.RegularExpressions.Regex NumericCell();
}
