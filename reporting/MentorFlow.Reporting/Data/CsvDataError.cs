namespace MentorFlow.Reporting.Data;

/// <summary>One problem found in a CSV file: the file, the 1-based line, the column (name) and what is wrong.</summary>
/// <param name="File">The file name as given to the reader (e.g. <c>applications.csv</c>).</param>
/// <param name="Line">1-based physical line where the record starts (the header is line 1); 0 when the whole file is at fault (not found, too many rows).</param>
/// <param name="Column">Column name from the contract, or <c>null</c> when the whole record is at fault.</param>
/// <param name="Message">What is wrong, in words a programme manager understands.</param>
public sealed record CsvDataError(string File, int Line, string? Column, string Message)
{
    public override string ToString() =>
        (Line > 0 ? $"{File}:{Line}: " : $"{File}: ") + (Column is null ? Message : $"column '{Column}': {Message}");
}

/// <summary>
/// Thrown when a CSV file breaks the contract in <c>docs/data-formats.md</c>. Carries every error found, not only the
/// first; <see cref="File"/>, <see cref="Line"/> and <see cref="Column"/> describe the first one.
/// </summary>
public sealed class CsvDataException : Exception
{
    public CsvDataException(IReadOnlyList<CsvDataError> errors)
        : base(Describe(errors))
    {
        if (errors.Count == 0)
        {
            throw new ArgumentException("At least one error is required.", nameof(errors));
        }

        Errors = errors;
    }

    public CsvDataException()
        : this([new CsvDataError("(unknown)", 0, null, "invalid CSV data")])
    {
    }

    public CsvDataException(string message)
        : this([new CsvDataError("(unknown)", 0, null, message)])
    {
    }

    public CsvDataException(string message, Exception innerException)
        : base(message, innerException) =>
        Errors = [new CsvDataError("(unknown)", 0, null, message)];

    public IReadOnlyList<CsvDataError> Errors { get; }

    public string File => Errors[0].File;

    public int Line => Errors[0].Line;

    public string? Column => Errors[0].Column;

    private static string Describe(IReadOnlyList<CsvDataError> errors)
    {
        if (errors.Count == 0)
        {
            return "invalid CSV data";
        }

        const int Shown = 20;
        var lines = errors.Take(Shown).Select(e => e.ToString()).ToList();
        if (errors.Count > Shown)
        {
            lines.Add($"... and {errors.Count - Shown} more error(s)");
        }

        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>The rows read from a CSV file, the line each started on, and every error found.</summary>
public sealed record CsvReadResult<T>(IReadOnlyList<T> Rows, IReadOnlyList<int> Lines, IReadOnlyList<CsvDataError> Errors)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>The rows, or a <see cref="CsvDataException"/> listing every error.</summary>
    public IReadOnlyList<T> OrThrow() => IsValid ? Rows : throw new CsvDataException(Errors);
}
