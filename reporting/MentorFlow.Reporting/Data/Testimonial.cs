namespace MentorFlow.Reporting.Data;

/// <summary>One row of testimonials.csv. <see cref="Consent"/> is true when it may be published.</summary>
public sealed record Testimonial(string ParticipantId, Role Role, DateOnly Date, string Text, bool Consent);

/// <summary>Reads and writes testimonials.csv.</summary>
public static class TestimonialsCsv
{
    public static readonly IReadOnlyList<string> Columns = ["participant_id", "role", "date", "text", "consent"];

    public static readonly CsvSchema Schema = new(Columns, []);

    public static CsvReadResult<Testimonial> Read(string path) => CsvTable.ReadFile(path, Schema, ParseRow);

    public static CsvReadResult<Testimonial> Read(TextReader reader, string fileName) =>
        CsvTable.Read(reader, fileName, Schema, ParseRow);

    public static void Write(string path, IEnumerable<Testimonial> rows) => CsvTable.WriteFile(path, w => Write(w, rows));

    public static void Write(TextWriter writer, IEnumerable<Testimonial> rows) =>
        CsvTable.Write(writer, Columns, rows, t =>
            [t.ParticipantId, t.Role.ToCsv(), CsvTable.Format(t.Date), t.Text, CsvTable.Format(t.Consent)]);

    private static Testimonial? ParseRow(CsvRow row)
    {
        var participant = row.Text("participant_id");
        var roleText = row.Text("role");
        var role = roleText.Length == 0 ? null : ContractValues.ParseRole(roleText);
        if (roleText.Length > 0 && role is null)
        {
            row.Error("role", $"unknown role '{roleText}' (expected 'mentor' or 'mentee')");
        }

        var date = row.Date("date");
        var text = row.Text("text");
        var consent = row.Bool("consent");
        return role is null ? null : new Testimonial(participant, role.Value, date, text, consent);
    }
}
