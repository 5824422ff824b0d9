using System.Globalization;
using CsvHelper;

namespace MentorFlow.Reporting.Data;

/// <summary>The columns of one CSV file: required ones (missing → error) and optional ones; other columns are ignored.</summary>
public sealed record CsvSchema(IReadOnlyList<string> Required, IReadOnlyList<string> Optional)
{
    public IEnumerable<string> All => Required.Concat(Optional);
}

/// <summary>
/// The one CSV reader and writer of MentorFlow (CsvHelper): UTF-8, comma-separated, RFC 4180 quoting, a header row.
/// Reads row by row, collecting every error (file, line, column) instead of stopping at the first. Cells that a
/// spreadsheet would run as a formula are written with a leading <c>'</c> and read back without it
/// (<see cref="Neutralise"/>, <see cref="Restore"/>).
/// </summary>
public static class CsvTable
{
    /// <summary>
    /// Reads <paramref name="reader"/> as <paramref name="file"/>: <paramref name="parse"/> turns each record into a
    /// value (or reports errors through the row and returns null); a record with any error is left out of the rows.
    /// With <paramref name="maxRows"/>, a file with more data rows is refused with one error (line 0, no column) that
    /// ends with <paramref name="advice"/> (by default: split it into smaller files).
    /// </summary>
    public static CsvReadResult<T> Read<T>(
        TextReader reader, string file, CsvSchema schema, Func<CsvRow, T?> parse, int? maxRows = null, string? advice = null)
        where T : class
    {
        if (reader.Peek() == '\uFEFF')
        {
            reader.Read();
        }

        var errors = new List<CsvDataError>();
        var rows = new List<T>();
        var lines = new List<int>();
        var malformedLines = new HashSet<long>();
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = record =>
            {
                if (malformedLines.Add(record.LineNumber))
                {
                    errors.Add(new CsvDataError(file, (int)record.LineNumber, null, Describe(record.Reason)));
                }
            },
        };

        using var csv = CsvReader.Create(reader, options, leaveOpen: true);
        IReadOnlyList<string> header = csv.Headers;
        if (header.Count == 0 || (header.Count == 1 && string.IsNullOrWhiteSpace(header[0])))
        {
            errors.Add(new CsvDataError(file, 1, null, "the file is empty: a header row is required"));
            return new CsvReadResult<T>(rows, lines, errors);
        }

        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            if (schema.All.Contains(name, StringComparer.OrdinalIgnoreCase) && !index.TryAdd(name, i))
            {
                errors.Add(new CsvDataError(file, 1, name, "the column appears twice in the header"));
            }
        }

        foreach (var column in schema.Required.Where(c => !index.ContainsKey(c)))
        {
            errors.Add(new CsvDataError(file, 1, column, "required column is missing from the header"));
        }

        if (errors.Count > 0)
        {
            return new CsvReadResult<T>(rows, lines, errors);
        }

        var record = new List<string>();
        var count = 0;
        while (csv.Read())
        {
            if (++count > maxRows)
            {
                // Only this error: the file is refused whole, and its rows' own errors would bury what to do.
                return new CsvReadResult<T>([], [], [new CsvDataError(file, 0, null, $"the file has more than {maxRows} rows: {advice ?? "split it into smaller files"}")]);
            }

            var line = (int)csv.LineNumber;
            record.Clear();
            for (var i = 0; i < csv.FieldCount; i++)
            {
                record.Add(Restore(csv.GetString(i) ?? string.Empty));
            }

            var row = new CsvRow(file, line, record, index, errors);
            var errorsBefore = errors.Count;
            var value = parse(row);
            if (value is not null && errors.Count == errorsBefore && !malformedLines.Contains(line))
            {
                rows.Add(value);
                lines.Add(line);
            }
        }

        return new CsvReadResult<T>(rows, lines, errors);
    }

    /// <summary>
    /// Reads the file at <paramref name="path"/> (named by its file name in errors); a missing file is an error, and so
    /// is one of more than <paramref name="maxRows"/> data rows (see <see cref="Read{T}"/>).
    /// </summary>
    public static CsvReadResult<T> ReadFile<T>(string path, CsvSchema schema, Func<CsvRow, T?> parse, int? maxRows = null, string? advice = null)
        where T : class
    {
        var file = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            return new CsvReadResult<T>([], [], [new CsvDataError(file, 0, null, $"file not found: {path}")]);
        }

        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, file, schema, parse, maxRows, advice);
    }

    /// <summary>Writes a file through a temporary file moved into place (UTF-8 without BOM), creating its folder.</summary>
    public static void WriteFile(string path, Action<TextWriter> write)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Write to a temporary file and move it into place, so a failure never leaves a half-written file.
        var temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary, append: false, new System.Text.UTF8Encoding(false)))
        {
            write(writer);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Writes a header and one record per row (LF line ends), each cell neutralised (<see cref="Neutralise"/>).</summary>
    public static void Write<T>(TextWriter writer, IReadOnlyList<string> header, IEnumerable<T> rows, Func<T, string?[]> fields)
    {
        // Cells with a space or tab at either end are quoted too, so a reader that trims unquoted cells keeps them.
        var options = new CsvWriterOptions { Separator = ',', NewLine = "\n", Injection = CsvInjection.None, Quoting = CsvQuoting.WhenNeededOrWhitespace };
        using var csv = CsvWriter.Create(writer, options, leaveOpen: true);
        csv.WriteHeader([.. header]);
        foreach (var row in rows)
        {
            csv.WriteRecord(Array.ConvertAll(fields(row), cell => cell is null ? null : Neutralise(cell)));
        }

        csv.Flush();
    }

    /// <summary>
    /// Makes a cell safe to open in a spreadsheet (OWASP's CSV injection rule): a cell that starts with <c>=</c>,
    /// <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return, possibly after leading <c>'</c>s, gets one more
    /// <c>'</c> in front, so a spreadsheet shows it as text instead of running it as a formula. A negative number
    /// such as <c>-3</c> or <c>-0.25</c> stays as it is (it cannot be a formula), so numeric columns stay numeric.
    /// <see cref="Restore"/> undoes it exactly.
    /// </summary>
    public static string Neutralise(string cell) =>
        StartsLikeFormula(cell) && !IsNegativeNumber(cell) ? "'" + cell : cell;

    /// <summary>
    /// Undoes <see cref="Neutralise"/> on a read cell: one leading <c>'</c> is removed when the cell is one or more
    /// <c>'</c> followed by a formula trigger (<c>= + - @</c>, tab, carriage return); any other <c>'</c> is data.
    /// </summary>
    public static string Restore(string cell) =>
        cell.Length > 1 && cell[0] == '\'' && StartsLikeFormula(cell) ? cell[1..] : cell;

    private static bool StartsLikeFormula(string cell)
    {
        var rest = cell.AsSpan().TrimStart('\'');
        return rest.Length > 0 && rest[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
    }

    /// <summary><c>-</c> then digits with at most one decimal point (how the writers format negative numbers).</summary>
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

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "badly quoted field: a quote inside an unquoted field (RFC 4180: quote the field and double its quotes)",
        CsvMalformedReason.TextAfterClosingQuote => "badly quoted field: text after the closing quote",
        CsvMalformedReason.UnterminatedQuote => "badly quoted field: a quote is opened and never closed",
        CsvMalformedReason.FieldCountMismatch => "the record has a different number of fields than the header",
        _ => $"malformed record ({reason})",
    };

    public static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    public static string Format(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Format(DateOnly? value) => value is { } v ? Format(v) : string.Empty;

    public static string Format(bool value) => value ? "true" : "false";

    public static string Format(bool? value) => value is { } v ? Format(v) : string.Empty;
}

/// <summary>
/// One record being parsed (valid only inside the parse callback): the line it starts on, its cells by column name, and
/// typed accessors that record an error naming the column instead of throwing.
/// </summary>
public sealed class CsvRow
{
    private readonly List<string> _record;
    private readonly Dictionary<string, int> _index;
    private readonly List<CsvDataError> _errors;

    internal CsvRow(string file, int line, List<string> record, Dictionary<string, int> index, List<CsvDataError> errors)
    {
        File = file;
        Line = line;
        _record = record;
        _index = index;
        _errors = errors;
    }

    /// <summary>The 1-based line the record starts on (the header is line 1).</summary>
    public int Line { get; }

    public string File { get; }

    public void Error(string? column, string message) => _errors.Add(new CsvDataError(File, Line, column, message));

    /// <summary>The cell of a column of the schema as written (formula neutralisation undone), or null when absent.</summary>
    public string? Raw(string column) =>
        _index.TryGetValue(column, out var i) && i < _record.Count ? _record[i] : null;

    public string? OptionalText(string column)
    {
        var value = Raw(column)?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    public string Text(string column)
    {
        var value = OptionalText(column);
        if (value is null)
        {
            Error(column, "a value is required");
            return string.Empty;
        }

        return value;
    }

    public IReadOnlyList<string> TagList(string column, bool required)
    {
        var tags = Tags.Split(Raw(column));
        if (required && tags.Count == 0)
        {
            Error(column, "at least one tag is required (tags are separated by ';')");
        }

        return tags;
    }

    public int Int(string column, int min)
    {
        var text = Text(column);
        if (text.Length == 0)
        {
            return 0;
        }

        return ParseInt(column, text, min) ?? 0;
    }

    public int? OptionalInt(string column, int min)
    {
        var text = OptionalText(column);
        return text is null ? null : ParseInt(column, text, min);
    }

    public double Number(string column, double min, double max, bool minExclusive = false)
    {
        var text = Text(column);
        return text.Length == 0 ? 0 : ParseNumber(column, text, min, max, minExclusive) ?? 0;
    }

    public double? OptionalNumber(string column, double min, double max, bool minExclusive = false)
    {
        var text = OptionalText(column);
        return text is null ? null : ParseNumber(column, text, min, max, minExclusive);
    }

    public bool Bool(string column)
    {
        var text = Text(column);
        return text.Length != 0 && (ParseBool(column, text) ?? false);
    }

    public bool? OptionalBool(string column)
    {
        var text = OptionalText(column);
        return text is null ? null : ParseBool(column, text);
    }

    public DateOnly Date(string column)
    {
        var text = Text(column);
        return text.Length == 0 ? default : ParseDate(column, text) ?? default;
    }

    public DateOnly? OptionalDate(string column)
    {
        var text = OptionalText(column);
        return text is null ? null : ParseDate(column, text);
    }

    private int? ParseInt(string column, string text, int min)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            Error(column, $"'{text}' is not a whole number");
            return null;
        }

        if (value < min)
        {
            Error(column, $"must be at least {min}, got {value}");
            return null;
        }

        return value;
    }

    private double? ParseNumber(string column, string text, double min, double max, bool minExclusive)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Error(column, $"'{text}' is not a number");
            return null;
        }

        if (minExclusive ? value <= min : value < min)
        {
            Error(column, minExclusive ? $"must be greater than {Format(min)}, got {text}" : $"must be at least {Format(min)}, got {text}");
            return null;
        }

        if (value > max)
        {
            Error(column, $"must be at most {Format(max)}, got {text}");
            return null;
        }

        return value;
    }

    private bool? ParseBool(string column, string text)
    {
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (text.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Error(column, $"'{text}' is not 'true' or 'false'");
        return null;
    }

    private DateOnly? ParseDate(string column, string text)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            return value;
        }

        Error(column, $"'{text}' is not an ISO date (yyyy-MM-dd)");
        return null;
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
