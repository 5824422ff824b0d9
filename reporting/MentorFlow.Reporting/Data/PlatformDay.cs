using System.Globalization;

namespace MentorFlow.Reporting.Data;

/// <summary>One row of platform.csv: platform analytics for one day.</summary>
public sealed record PlatformDay(DateOnly Date, int Visitors, int NewMembers);

/// <summary>Reads and writes platform.csv.</summary>
public static class PlatformCsv
{
    public static readonly IReadOnlyList<string> Columns = ["date", "visitors", "new_members"];

    public static readonly CsvSchema Schema = new(Columns, []);

    public static CsvReadResult<PlatformDay> Read(string path) => CsvTable.ReadFile(path, Schema, ParseRow(new()));

    public static CsvReadResult<PlatformDay> Read(TextReader reader, string fileName) =>
        CsvTable.Read(reader, fileName, Schema, ParseRow(new()));

    public static void Write(string path, IEnumerable<PlatformDay> rows) => CsvTable.WriteFile(path, w => Write(w, rows));

    public static void Write(TextWriter writer, IEnumerable<PlatformDay> rows) =>
        CsvTable.Write(writer, Columns, rows, d =>
        [
            CsvTable.Format(d.Date), d.Visitors.ToString(CultureInfo.InvariantCulture),
            d.NewMembers.ToString(CultureInfo.InvariantCulture),
        ]);

    private static Func<CsvRow, PlatformDay?> ParseRow(Dictionary<DateOnly, int> seen) => row =>
    {
        var date = row.Date("date");
        var visitors = row.Int("visitors", 0);
        var newMembers = row.Int("new_members", 0);
        if (date != default && !seen.TryAdd(date, row.Line))
        {
            row.Error("date", $"duplicate date {CsvTable.Format(date)} (first seen on line {seen[date]})");
        }

        return new PlatformDay(date, visitors, newMembers);
    };
}
