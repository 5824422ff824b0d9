using System.Globalization;
using MentorFlow.Mentoring.Domain;
using Contract = MentorFlow.Reporting.Data;

namespace MentorFlow.Mentoring.Services;

/// <summary>A data row of an imported CSV file: the line it starts on and its cells by column name.</summary>
public sealed record ImportedRow(int Line, IReadOnlyDictionary<string, string> Cells)
{
    /// <summary>The cell as written (formula neutralisation undone), or null when the file has no such column.</summary>
    public string? this[string column] => Cells.TryGetValue(column, out var value) ? value : null;
}

/// <summary>
/// The one boundary between the mentoring domain and the CSV files: entities become the reporting library's records
/// of docs/data-formats.md (written by its CsvHelper writers, <c>MentorFlow.Reporting.Data</c>), imported files are
/// read by its reader, and the reader's file/line/column errors become field errors of a problem response.
/// </summary>
public static class ContractRecords
{
    /// <summary>An imported file with more data rows is refused (the request body limit bounds the bytes).</summary>
    public const int MaxImportRows = 100_000;

    /// <summary>The community list (members.csv), a file of the mentoring service only.</summary>
    public static readonly Contract.CsvSchema Members = new(["email", "name"], ["seniority_years"]);

    /// <summary>The interest poll's answers (poll.csv), a file of the mentoring service only.</summary>
    public static readonly Contract.CsvSchema Poll = new(["email", "name", "choice", "topics"], []);

    /// <summary>An application as applications.csv holds it (capacity as the mentor gave it).</summary>
    public static Contract.Application Application(Application a) => new()
    {
        Id = a.ExternalId,
        Role = Role(a.Role),
        Name = a.Name,
        Email = a.Email,
        TimeZone = a.TimeZone,
        Interests = a.Interests,
        CareerPath = a.CareerPath,
        Goals = a.Goals,
        Expertise = a.Expertise,
        SeniorityYears = a.SeniorityYears,
        HoursPerMonth = a.HoursPerMonth is { } hours ? (double)hours : null,
        PreferredLength = a.PreferredLength,
        Communication = a.Communication,
        Languages = a.Languages,
        Capacity = a.Capacity ?? 0,
        Statement = a.Statement,
    };

    /// <summary>An applicant as the match model scores them: a mentor with the room left (at least 1), a mentee with none.</summary>
    public static Contract.Application Candidate(Application a, int capacity) =>
        Application(a) with { Capacity = a.Role == ParticipantRole.Mentor ? Math.Max(1, capacity) : 0 };

    /// <summary>A row of pairs.csv for a proposed, approved or running pair.</summary>
    public static Contract.Pair Pair(Pair pair, string mentorId, string menteeId) => new(mentorId, menteeId, pair.Score, pair.Reasons);

    /// <summary>A row of pairs.csv for a mentee left without a mentor.</summary>
    public static Contract.Pair Unmatched(string menteeId) => new(null, menteeId, null, "not matched");

    /// <summary>A row of relationships.csv for a running or ended pair (these always have start and planned end dates).</summary>
    public static Contract.Relationship Relationship(Pair pair, string mentorId, string menteeId, string programme, IReadOnlyCollection<Goal> goals) => new()
    {
        MentorId = mentorId,
        MenteeId = menteeId,
        Programme = programme,
        Started = pair.StartDate ?? throw new InvalidOperationException($"Pair {pair.Id} is {pair.Status} without a start date."),
        PlannedEnd = pair.EndDate ?? throw new InvalidOperationException($"Pair {pair.Id} is {pair.Status} without an end date."),
        Ended = pair.EndedOn,
        Status = pair.Status switch
        {
            PairStatus.Completed => Contract.RelationshipStatus.Completed,
            PairStatus.ClosedEarly => Contract.RelationshipStatus.ClosedEarly,
            _ => Contract.RelationshipStatus.Active,
        },
        Meetings = pair.MeetingsHeld,
        LastMeeting = pair.LastMeetingOn,
        GoalMet = goals.Count == 0 ? null : goals.Any(g => g.Status == GoalStatus.Met),
        Satisfaction = pair.Satisfaction,
    };

    /// <summary>A row of testimonials.csv.</summary>
    public static Contract.Testimonial Testimonial(Testimonial testimonial, string participantId) =>
        new(participantId, Role(testimonial.Role), testimonial.Date, testimonial.Text, testimonial.Consent);

    /// <summary>Writes a file with one of the reporting library's writers and returns its text.</summary>
    public static string Write(Action<TextWriter> write)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        write(writer);
        return writer.ToString();
    }

    /// <summary>
    /// Reads an imported file with the reporting library's reader: every data row that is not blank, or a 400 problem
    /// naming <c>line N</c> (a badly quoted record), the missing column, or the file, with each message pointing to
    /// docs/data-formats.md.
    /// </summary>
    public static IReadOnlyList<ImportedRow> Import(string csv, string file, Contract.CsvSchema schema)
    {
        var result = Contract.CsvTable.Read(new StringReader(csv), file, schema, row => Cells(row, schema), MaxImportRows);
        if (result.IsValid)
        {
            return result.Rows;
        }

        var errors = new FieldErrors();
        foreach (var error in result.Errors)
        {
            errors.Add(Field(error), Message(error));
        }

        errors.ThrowIfAny();
        return result.Rows;
    }

    /// <summary>One applications.csv row as an input to validate; unparsable numbers are reported against their column.</summary>
    public static ApplicationInput ApplicationInput(ImportedRow row, FieldErrors errors)
    {
        int? Integer(string column)
        {
            var text = row[column]?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            errors.Add(column, $"'{text}' is not a whole number.");
            return null;
        }

        decimal? hours = null;
        var hoursText = row["hours_per_month"]?.Trim();
        if (!string.IsNullOrEmpty(hoursText))
        {
            if (decimal.TryParse(hoursText, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
            {
                hours = parsed;
            }
            else
            {
                errors.Add("hours_per_month", $"'{hoursText}' is not a number.");
            }
        }

        var role = row["role"];
        return new ApplicationInput
        {
            Id = row["id"],
            Role = role,
            Name = row["name"],
            Email = row["email"],
            TimeZone = row["time_zone"],
            Interests = Vocabulary.Tags(row["interests"]),
            CareerPath = row["career_path"],
            Goals = Vocabulary.Tags(row["goals"]),
            Expertise = Vocabulary.Tags(row["expertise"]),
            SeniorityYears = Integer("seniority_years"),
            HoursPerMonth = hours,
            PreferredLength = row["preferred_length"],
            Communication = Vocabulary.Tags(row["communication"]),
            Languages = Vocabulary.Tags(row["languages"]),
            Capacity = string.Equals(role?.Trim(), "mentor", StringComparison.OrdinalIgnoreCase) ? Integer("capacity") : null,
            Statement = row["statement"],
        };
    }

    private static Contract.Role Role(ParticipantRole role) => role == ParticipantRole.Mentor ? Contract.Role.Mentor : Contract.Role.Mentee;

    private static ImportedRow? Cells(Contract.CsvRow row, Contract.CsvSchema schema)
    {
        var cells = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in schema.All)
        {
            if (row.Raw(column) is { } value)
            {
                cells[column] = value;
            }
        }

        return cells.Values.All(string.IsNullOrWhiteSpace) ? null : new ImportedRow(row.Line, cells);
    }

    /// <summary>A header problem names its column; a bad record its line; a problem of the whole file the file.</summary>
    private static string Field(Contract.CsvDataError error) => (error.Column, error.Line) switch
    {
        ({ } column, <= 1) => column,
        ({ } column, var line) => $"line {line}: {column}",
        (null, > 1) => $"line {error.Line}",
        _ => error.File,
    };

    private static string Message(Contract.CsvDataError error)
    {
        var where = error.Line > 0 ? $"{error.File} line {error.Line}" : error.File;
        var column = error.Column is null ? "" : $", column '{error.Column}'";
        return $"{where}{column}: {error.Message} (the format is described in docs/data-formats.md).";
    }
}
