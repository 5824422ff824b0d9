namespace MentorFlow.Reporting.Data;

/// <summary>Reads and writes applications.csv (see <c>docs/data-formats.md</c>).</summary>
public static class ApplicationsCsv
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "id", "role", "name", "email", "time_zone", "interests", "career_path", "goals", "expertise",
        "seniority_years", "hours_per_month", "preferred_length", "communication", "languages", "capacity", "statement",
    ];

    public static readonly CsvSchema Schema = new(
        ["id", "role", "name", "email", "time_zone", "interests", "career_path", "goals", "seniority_years", "preferred_length"],
        ["expertise", "hours_per_month", "communication", "languages", "capacity", "statement"]);

    public static CsvReadResult<Application> Read(string path, int? maxRows = null, string? advice = null) =>
        CsvTable.ReadFile(path, Schema, ParseRow(new()), maxRows, advice);

    public static CsvReadResult<Application> Read(TextReader reader, string fileName) =>
        CsvTable.Read(reader, fileName, Schema, ParseRow(new()));

    public static void Write(string path, IEnumerable<Application> rows) => CsvTable.WriteFile(path, w => Write(w, rows));

    public static void Write(TextWriter writer, IEnumerable<Application> rows) =>
        CsvTable.Write(writer, Columns, rows, a =>
        [
            a.Id, a.Role.ToCsv(), a.Name, a.Email, a.TimeZone, Tags.Join(a.Interests), a.CareerPath, Tags.Join(a.Goals),
            Tags.Join(a.Expertise), a.SeniorityYears.ToString(System.Globalization.CultureInfo.InvariantCulture),
            a.HoursPerMonth is { } h ? CsvTable.Format(h) : null, a.PreferredLength.ToCsv(), Tags.Join(a.Communication),
            Tags.Join(a.Languages), a.IsMentor ? a.Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            a.Statement,
        ]);

    private static Func<CsvRow, Application?> ParseRow(Dictionary<string, int> seenIds) => row =>
    {
        var id = row.Text("id");
        if (id.Length > 0 && !seenIds.TryAdd(id, row.Line))
        {
            row.Error("id", $"duplicate id '{id}' (first seen on line {seenIds[id]})");
        }

        var roleText = row.Text("role");
        var role = roleText.Length == 0 ? null : ContractValues.ParseRole(roleText);
        if (roleText.Length > 0 && role is null)
        {
            row.Error("role", $"unknown role '{roleText}' (expected 'mentor' or 'mentee')");
        }

        var name = row.Text("name");
        var email = row.Text("email");
        if (email.Length > 0 && !ContractValues.IsEmail(email))
        {
            row.Error("email", $"'{email}' is not a valid email address");
        }

        var timeZone = row.Text("time_zone");
        if (timeZone.Length > 0 && !ContractValues.IsIanaTimeZone(timeZone))
        {
            row.Error("time_zone", $"'{timeZone}' is not an IANA time-zone id (e.g. Europe/London)");
        }

        var interests = row.TagList("interests", required: true);
        var careerPaths = row.TagList("career_path", required: true);
        if (careerPaths.Count > 1)
        {
            row.Error("career_path", "exactly one career path tag is expected");
        }

        var goals = row.TagList("goals", required: true);
        var expertise = row.TagList("expertise", required: false);
        var seniority = row.Int("seniority_years", 0);
        var hours = row.OptionalNumber("hours_per_month", 0, 744, minExclusive: true);
        var lengthText = row.Text("preferred_length");
        var length = lengthText.Length == 0 ? null : ContractValues.ParseLength(lengthText);
        if (lengthText.Length > 0 && length is null)
        {
            row.Error("preferred_length", $"unknown preferred_length '{lengthText}' (expected 3-6, 6-9 or 9-12)");
        }

        var communication = row.TagList("communication", required: false);
        foreach (var tag in communication.Where(t => !ContractValues.CommunicationTags.Contains(t)))
        {
            row.Error("communication", $"unknown communication '{tag}' (expected {string.Join(", ", ContractValues.CommunicationTags)})");
        }

        var languages = row.TagList("languages", required: false);
        foreach (var tag in languages.Where(t => !ContractValues.IsLanguageCode(t)))
        {
            row.Error("languages", $"'{tag}' is not an ISO 639-1 language code (two letters, e.g. en)");
        }

        var capacity = 0;
        if (role == Role.Mentor)
        {
            var capacityText = row.OptionalText("capacity");
            if (capacityText is null)
            {
                row.Error("capacity", "a mentor needs a capacity (how many mentees, at least 1)");
            }
            else
            {
                capacity = row.Int("capacity", 1);
            }
        }

        if (role is null || length is null)
        {
            return null;
        }

        return new Application
        {
            Id = id,
            Role = role.Value,
            Name = name,
            Email = email,
            TimeZone = timeZone,
            Interests = interests,
            CareerPath = careerPaths.Count > 0 ? careerPaths[0] : string.Empty,
            Goals = goals,
            Expertise = expertise,
            SeniorityYears = seniority,
            HoursPerMonth = hours,
            PreferredLength = length.Value,
            Communication = communication,
            Languages = languages,
            Capacity = capacity,
            Statement = row.OptionalText("statement"),
        };
    };
}
