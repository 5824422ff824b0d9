using System.Globalization;

namespace MentorFlow.Reporting.Data;

/// <summary>
/// One row of pairs.csv: a proposed or approved match. An unmatched mentee has a <c>null</c> <see cref="MentorId"/>,
/// no <see cref="Score"/> and the reason in <see cref="Reasons"/>.
/// </summary>
/// <param name="MentorId">Mentor id, or null for an unmatched mentee.</param>
/// <param name="MenteeId">Mentee id.</param>
/// <param name="Score">Predicted probability (0–1) that the pair succeeds.</param>
/// <param name="Reasons">The top features for it, e.g. <c>shared interests 0.6; same career path</c>.</param>
public sealed record Pair(string? MentorId, string MenteeId, double? Score, string Reasons)
{
    public bool IsMatched => MentorId is not null;
}

/// <summary>Reads and writes pairs.csv.</summary>
public static class PairsCsv
{
    public static readonly IReadOnlyList<string> Columns = ["mentor_id", "mentee_id", "score", "reasons"];

    public static readonly CsvSchema Schema = new(Columns, []);

    public static CsvReadResult<Pair> Read(string path) => CsvTable.ReadFile(path, Schema, ParseRow(new()));

    public static CsvReadResult<Pair> Read(TextReader reader, string fileName) =>
        CsvTable.Read(reader, fileName, Schema, ParseRow(new()));

    public static void Write(string path, IEnumerable<Pair> rows) => CsvTable.WriteFile(path, w => Write(w, rows));

    public static void Write(TextWriter writer, IEnumerable<Pair> rows) =>
        CsvTable.Write(writer, Columns, rows, p =>
            [p.MentorId, p.MenteeId, p.Score is { } s ? s.ToString("0.0000", CultureInfo.InvariantCulture) : null, p.Reasons]);

    private static Func<CsvRow, Pair?> ParseRow(Dictionary<(string, string), int> seen) => row =>
    {
        var mentor = row.OptionalText("mentor_id");
        var mentee = row.Text("mentee_id");
        var score = row.OptionalNumber("score", 0, 1);
        var reasons = row.OptionalText("reasons") ?? string.Empty;
        if (mentor is not null && score is null && row.OptionalText("score") is null)
        {
            row.Error("score", "a matched pair needs a score (0–1)");
        }

        if (mentor is null && reasons.Length == 0)
        {
            row.Error("reasons", "an unmatched mentee needs a reason");
        }

        if (mentee.Length > 0 && !seen.TryAdd((mentor ?? string.Empty, mentee), row.Line))
        {
            row.Error(null, $"duplicate pair {mentor}/{mentee} (first seen on line {seen[(mentor ?? string.Empty, mentee)]})");
        }

        return new Pair(mentor, mentee, score, reasons);
    };
}
