using System.Globalization;
using System.Text;

namespace MentorFlow.Reporting.Matching;

/// <summary>
/// A short Markdown report of a matching: the model and its evaluation, the result, unmatched mentees and the mentor
/// shortage. Text from applications (tags, career paths, regions) is escaped for Markdown and inline HTML.
/// </summary>
public static class MatchReport
{
    public static string Markdown(MatchModel model, Assignment assignment, AssignmentOptions options)
    {
        var s = new StringBuilder();
        var cohort = assignment.Cohort;
        s.AppendLine("# Matching report").AppendLine();
        s.AppendLine("## Model").AppendLine();
        if (model.Method == ScoringMethod.ColdStartSimilarity)
        {
            s.AppendLine(Invariant($"**Cold start**: {model.ColdStartReason}. Scores are the documented similarity (a ranking, not a probability)."));
        }
        else if (model.Evaluation is { } e)
        {
            s.AppendLine(Invariant($"Trained on {e.Pairs} past pairs (success = completed and goal met: {e.BaseRate * 100:0}%); model chosen by {e.Folds}-fold cross-validation on the assignment it makes: **{e.Trainer}** — {e.Why}.")).AppendLine();
            var groups = model.Goals.Select(GoalGroups.Members).Where(g => g.Length > 1).ToList();
            if (groups.Count > 0)
            {
                s.AppendLine("Goals that worked alike in the past outcomes, so the model reads each group as one (a mentee with any of its goals): " +
                    string.Join("; ", groups.Select(g => string.Join(", ", g.Select(Text)))) + ".").AppendLine();
            }

            s.AppendLine("Assignment lift: on held-out pairs, the realised outcome of the candidate's best picks (0 = random picks, 1 = perfect picks). Calibration error: mean gap between predicted and observed success. A row \"in Stack\" is a model cross-validated only as a part of the stack, with its share of the stack's spread; it is not chosen on its own.").AppendLine();
            s.AppendLine("| candidate | assignment lift | AUC | Spearman | log-loss | calibration error |").AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (var (name, c) in e.Rows())
            {
                s.AppendLine(Invariant($"| {name} | {c.AssignmentLift:0.000} ± {c.AssignmentLiftError:0.000} | {c.Auc:0.000} | {c.Spearman:0.000} | {c.LogLoss:0.000} | {c.CalibrationError:0.000} |"));
            }
        }

        s.AppendLine().AppendLine("## Result").AppendLine();
        s.AppendLine(Invariant($"- mentors: {cohort.Mentors.Count} (capacity {cohort.Mentors.Sum(m => m.Capacity)}), mentees: {cohort.Mentees.Count}"));
        s.AppendLine(Invariant($"- matched: {assignment.Pairs.Count} (pinned {assignment.Pairs.Count(p => p.Pinned)}), unmatched: {assignment.Unmatched.Count}, minimum score {options.MinScore:0.##}"));
        var weak = assignment.Pairs.Count(p => p.Weak && !p.Pinned);
        if (weak > 0)
        {
            s.AppendLine(model.Method == ScoringMethod.ColdStartSimilarity
                ? Invariant($"- weak matches for review (under the minimum score, filled at cold start): {weak}")
                : Invariant($"- weak matches for review (under the minimum score, above the programme's past success rate of {model.Evaluation!.BaseRate * 100:0}%): {weak}"));
        }

        if (assignment.Pairs.Count > 0)
        {
            s.AppendLine(Invariant($"- mean score of matched pairs: {assignment.TotalScore / assignment.Pairs.Count:0.000}"));
        }

        s.AppendLine(Invariant($"- unmatched because suitable mentors were full: {assignment.Unmatched.Count(u => u.Cause == UnmatchedCause.MentorsAtCapacity)}; because no mentor scored high enough: {assignment.Unmatched.Count(u => u.Cause == UnmatchedCause.NoMentorAboveMinimum)}"));
        if (assignment.Shortage.Count > 0)
        {
            s.AppendLine().AppendLine("## Mentor shortage").AppendLine();
            s.AppendLine(Invariant($"About **{assignment.MentorsNeeded}** more mentors would have matched every unmatched mentee. Profiles needed:")).AppendLine();
            s.AppendLine("| career path | regions | mentees' top interests | unmatched mentees | mentors were full | no mentor scored enough | mentors needed |");
            s.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: |");
            foreach (var g in assignment.Shortage)
            {
                s.AppendLine(Invariant($"| {Text(g.CareerPath)} | {string.Join(", ", g.Regions.Select(Text))} | {string.Join(", ", g.TopInterests.Select(Text))} | {g.UnmatchedMentees} | {g.MentorsAtCapacity} | {g.NoMentorAboveMinimum} | {g.MentorsNeeded} |"));
            }
        }

        return s.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Text from an application as literal Markdown: HTML's &amp;, &lt; and &gt; as entities (no inline HTML), the marks
    /// that make emphasis, code, links, strike-through and table cells backslash-escaped, line breaks as spaces.
    /// </summary>
    internal static string Text(string value)
    {
        var s = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            s.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\r' or '\n' => " ",
                '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '~' => "\\" + c,
                _ => c.ToString(),
            });
        }

        return s.ToString();
    }
}
