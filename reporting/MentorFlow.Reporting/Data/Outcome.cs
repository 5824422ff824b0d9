using System.Globalization;

namespace MentorFlow.Reporting.Data;

/// <summary>One row of outcomes.csv: how a past pair went (training data for the match-quality model).</summary>
/// <param name="MentorId">Id of the mentor in the past applications.</param>
/// <param name="MenteeId">Id of the mentee in the past applications.</param>
/// <param name="Completed">True if the pair reached its planned end date.</param>
/// <param name="Satisfaction">Mean of both sides' closing survey, 1–5.</param>
/// <param name="GoalMet">True if the pair met its agreed goal.</param>
public sealed record Outcome(string MentorId, string MenteeId, bool Completed, double Satisfaction, bool GoalMet);

/// <summary>Reads and writes outcomes.csv.</summary>
public static class OutcomesCsv
{
    public static readonly IReadOnlyList<string> Columns = ["mentor_id", "mentee_id", "completed", "satisfaction", "goal_met"];

    public static readonly CsvSchema Schema = new(Columns, []);

    public static CsvReadResult<Outcome> Read(string path, int? maxRows = null, string? advice = null) =>
        CsvTable.ReadFile(path, Schema, ParseRow(new()), maxRows, advice);

    public static CsvReadResult<Outcome> Read(TextReader reader, string fileName) =>
        CsvTable.Read(reader, fileName, Schema, ParseRow(new()));

    public static void Write(string path, IEnumerable<Outcome> rows) => CsvTable.WriteFile(path, w => Write(w, rows));

    public static void Write(TextWriter writer, IEnumerable<Outcome> rows) =>
        CsvTable.Write(writer, Columns, rows, o =>
            [o.MentorId, o.MenteeId, CsvTable.Format(o.Completed), CsvTable.Format(o.Satisfaction), CsvTable.Format(o.GoalMet)]);

    /// <summary>
    /// Checks that every outcome names a mentor and a mentee of the given (past) applications, with the right roles.
    /// </summary>
    public static IReadOnlyList<CsvDataError> CheckReferences(
        CsvReadResult<Outcome> outcomes, IReadOnlyList<Application> applications, string fileName)
    {
        var byId = applications.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var errors = new List<CsvDataError>();
        for (var i = 0; i < outcomes.Rows.Count; i++)
        {
            var outcome = outcomes.Rows[i];
            var line = outcomes.Lines[i];
            Check(outcome.MentorId, "mentor_id", Role.Mentor, line);
            Check(outcome.MenteeId, "mentee_id", Role.Mentee, line);
        }

        return errors;

        void Check(string id, string column, Role role, int line)
        {
            if (!byId.TryGetValue(id, out var application))
            {
                errors.Add(new CsvDataError(fileName, line, column, $"'{id}' is not an id in the history applications"));
            }
            else if (application.Role != role)
            {
                errors.Add(new CsvDataError(fileName, line, column, $"'{id}' is a {application.Role.ToCsv()}, not a {role.ToCsv()}"));
            }
        }
    }

    private static Func<CsvRow, Outcome?> ParseRow(Dictionary<(string, string), int> seen) => row =>
    {
        var mentor = row.Text("mentor_id");
        var mentee = row.Text("mentee_id");
        var completed = row.Bool("completed");
        var satisfaction = row.Number("satisfaction", 1, 5);
        var goalMet = row.Bool("goal_met");
        if (mentor.Length > 0 && mentee.Length > 0 && !seen.TryAdd((mentor, mentee), row.Line))
        {
            row.Error(null, string.Create(CultureInfo.InvariantCulture, $"duplicate pair {mentor}/{mentee} (first seen on line {seen[(mentor, mentee)]})"));
        }

        return new Outcome(mentor, mentee, completed, satisfaction, goalMet);
    };
}
