using System.Text;
using MentorFlow.Mentoring.Domain;

namespace MentorFlow.Mentoring.Csv;

/// <summary>One data row of a CSV file: its line number and cells by column name.</summary>
public sealed record CsvRow(int Line, IReadOnlyDictionary<string, string> Cells)
{
    public string? this[string column] => Cells.TryGetValue(column, out var value) ? value : null;
}

/// <summary>
/// Reads and writes the programme CSV formats: UTF-8, comma-separated, RFC 4180 quoting, a header row; extra
/// columns ignored; a missing required column is an error naming it. Row errors are keyed <c>line N: column</c>.
/// Cells that a spreadsheet would run as a formula are written with a leading <c>'</c> and read back without it
/// (<see cref="Neutralise"/>, <see cref="Restore"/>).
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
                cells.TryAdd(columns[i], i < fields.Count ? Restore(fields[i]) : "");
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

            var cell = Neutralise(cells[i] ?? "");
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

    /// <summary>
    /// Makes a cell safe to open in a spreadsheet (OWASP's CSV injection rule): a cell that starts with <c>=</c>,
    /// <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return, possibly after leading <c>'</c>s, gets one more
    /// <c>'</c> in front, so Excel, LibreOffice and Google Sheets show it as text instead of running it as a formula.
    /// A plain number such as <c>-3</c> or <c>-0.25</c> stays as it is (it cannot be a formula), so numeric columns
    /// stay numeric. <see cref="Restore"/> undoes it exactly.
    /// </summary>
    public static string Neutralise(string cell) =>
        StartsLikeFormula(cell) && !IsNegativeNumber(cell) ? "'" + cell : cell;

    /// <summary>
    /// Undoes <see cref="Neutralise"/> on a read cell: one leading <c>'</c> is removed when the cell is one or more
    /// <c>'</c> followed by a formula trigger (<c>= + - @</c>, tab, carriage return); any other <c>'</c> is data.
    /// </summary>
    public static string Restore(string cell) =>
        cell.Length > 1 && cell[0] == '\'' && StartsLikeFormula(cell) ? cell[1..] : cell;

    /// <summary>Whether the cell, after any leading <c>'</c>s, starts with a character that makes a spreadsheet formula.</summary>
    private static bool StartsLikeFormula(string cell)
    {
        var rest = cell.AsSpan().TrimStart('\'');
        return rest.Length > 0 && rest[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
    }

    /// <summary><c>-</c> then digits with at most one decimal point (how the exports write negative numbers).</summary>
    private static bool IsNegativeNumber(string cell)
    {
        if (cell.Length < 2 || cell[0] != '-' || !char.IsAsciiDigit(cell[1]) || !char.IsAsciiDigit(cell[^1]))
        {
            return false;
        }

        var points = 0;
        foreach (var c in cell.AsSpan(1))
        {
            if (c == '.')
            {
                points++;
            }
            else if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return points <= 1;
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
