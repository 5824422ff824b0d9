using System.Text;
using MentorFlow.Mentoring.Domain;

namespace MentorFlow.Mentoring.Csv;

/// <summary>One data row of a CSV file: its line number and cells by column name.</summary>
public sealed record CsvRow(int Line, IReadOnlyDictionary<string, string> Cells)
{
    public string? this[string column] => Cells.TryGetValue(column, out var value) ? value : null;
}

/// <summary>
/// Reads and writes the CSV formats of design.md: UTF-8, comma-separated, RFC 4180 quoting, a header row; extra
/// columns ignored; a missing required column is an error naming it. Row errors are keyed <c>line N: column</c>.
/// </summary>
public static class CsvTable
{
    public const int MaxRows = 100_000;

    public static IReadOnlyList<CsvRow> Read(string text, string file, IReadOnlyList<string> requiredColumns)
    {
        var errors = new FieldErrors();
        var records = Parse(text.TrimStart('\uFEFF'), errors);
        errors.ThrowIfAny();
        if (records.Count == 0 || records[0].Fields.All(string.IsNullOrWhiteSpace))
        {
            throw MentoringProblemException.Invalid(file, $"{file} is empty: a header row is required.");
        }

        var columns = records[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        foreach (var missing in requiredColumns.Where(c => !columns.Contains(c)))
        {
            errors.Add(missing, $"{file} has no '{missing}' column.");
        }

        errors.ThrowIfAny();
        if (records.Count - 1 > MaxRows)
        {
            throw MentoringProblemException.Invalid(file, $"{file} has more than {MaxRows} rows.");
        }

        var rows = new List<CsvRow>(records.Count - 1);
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < columns.Length; i++)
            {
                cells.TryAdd(columns[i], i < fields.Count ? fields[i] : "");
            }

            rows.Add(new CsvRow(line, cells));
        }

        return rows;
    }

    /// <summary>Writes a header and rows with RFC 4180 quoting (LF line ends).</summary>
    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var builder = new StringBuilder();
        WriteRecord(builder, header);
        foreach (var row in rows)
        {
            WriteRecord(builder, row);
        }

        return builder.ToString();
    }

    private static void WriteRecord(StringBuilder builder, IReadOnlyList<string?> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            var cell = cells[i] ?? "";
            if (cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (cell.Length > 0 && (cell[0] == ' ' || cell[^1] == ' ')))
            {
                builder.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                builder.Append(cell);
            }
        }

        builder.Append('\n');
    }

    /// <summary>RFC 4180 records with the line each starts on (quoted fields may span lines).</summary>
    private static List<(int Line, List<string> Fields)> Parse(string text, FieldErrors errors)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var i = 0;
        var quoted = false;
        var fieldStarted = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }

                    quoted = false;
                    i++;
                    if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    {
                        errors.Add($"line {line}", "Text follows a closing quote (RFC 4180: double a quote inside a quoted field).");
                        return records;
                    }

                    continue;
                }

                if (c == '\n')
                {
                    line++;
                }

                field.Append(c);
                i++;
                continue;
            }

            switch (c)
            {
                case '"' when !fieldStarted:
                    quoted = true;
                    fieldStarted = true;
                    i++;
                    break;
                case '"':
                    errors.Add($"line {line}", "A quote inside an unquoted field (RFC 4180: quote the whole field).");
                    return records;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    i++;
                    break;
                case '\r' or '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    records.Add((recordLine, fields));
                    fields = [];
                    i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    i++;
                    break;
            }
        }

        if (quoted)
        {
            errors.Add($"line {recordLine}", "A quoted field is not closed.");
            return records;
        }

        if (fieldStarted || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((recordLine, fields));
        }

        return records;
    }
}
