namespace MentorFlow.Reporting.Data;

/// <summary>One row of a pin or forbid list: <c>mentor_id, mentee_id</c> (extra columns such as a note are ignored).</summary>
public sealed record PairListEntry(string MentorId, string MenteeId);

/// <summary>Reads and writes the manager's pin and forbid lists (<c>mentor_id,mentee_id</c>) for <c>mentorflow match</c>.</summary>
public static class PairListCsv
{
    public static readonly IReadOnlyList<string> Columns = ["mentor_id", "mentee_id"];

    public static readonly CsvSchema Schema = new(Columns, []);

    public static CsvReadResult<PairListEntry> Read(string path, int? maxRows = null, string? advice = null) =>
        CsvTable.ReadFile(path, Schema, ParseRow(new()), maxRows, advice);

    public static CsvReadResult<PairListEntry> Read(TextReader reader, string fileName) =>
        CsvTable.Read(reader, fileName, Schema, ParseRow(new()));

    public static void Write(string path, IEnumerable<PairListEntry> rows) => CsvTable.WriteFile(path, w => Write(w, rows));

    public static void Write(TextWriter writer, IEnumerable<PairListEntry> rows) =>
        CsvTable.Write(writer, Columns, rows, p => [p.MentorId, p.MenteeId]);

    /// <summary>Checks every row names a mentor and a mentee of the cohort.</summary>
    public static IReadOnlyList<CsvDataError> CheckReferences(CsvReadResult<PairListEntry> list, IReadOnlyList<Application> cohort, string fileName)
    {
        var roles = cohort.ToDictionary(a => a.Id, a => a.Role, StringComparer.Ordinal);
        var errors = new List<CsvDataError>();
        for (var i = 0; i < list.Rows.Count; i++)
        {
            Check(list.Rows[i].MentorId, "mentor_id", Role.Mentor, list.Lines[i]);
            Check(list.Rows[i].MenteeId, "mentee_id", Role.Mentee, list.Lines[i]);
        }

        return errors;

        void Check(string id, string column, Role role, int line)
        {
            if (!roles.TryGetValue(id, out var actual))
            {
                errors.Add(new CsvDataError(fileName, line, column, $"'{id}' is not an id in the cohort applications"));
            }
            else if (actual != role)
            {
                errors.Add(new CsvDataError(fileName, line, column, $"'{id}' is a {actual.ToCsv()}, not a {role.ToCsv()}"));
            }
        }
    }

    private static Func<CsvRow, PairListEntry?> ParseRow(Dictionary<(string, string), int> seen) => row =>
    {
        var mentor = row.Text("mentor_id");
        var mentee = row.Text("mentee_id");
        if (mentor.Length > 0 && mentee.Length > 0 && !seen.TryAdd((mentor, mentee), row.Line))
        {
            row.Error(null, $"duplicate pair {mentor}/{mentee} (first seen on line {seen[(mentor, mentee)]})");
        }

        return new PairListEntry(mentor, mentee);
    };
}
