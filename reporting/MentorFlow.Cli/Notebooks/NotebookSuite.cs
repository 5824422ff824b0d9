namespace MentorFlow.Cli.Notebooks;

/// <summary>What <c>mentorflow notebooks run</c> asks for.</summary>
/// <param name="Paths">Notebook files or folders (a folder means its *.ipynb files, in name order).</param>
/// <param name="OutputFolder">Where the executed notebooks, report.html and its assets go.</param>
/// <param name="Parameters">Overrides for the notebooks' parameters cells (NAME → VALUE).</param>
/// <param name="CellTimeout">How long one cell may run before the notebook is failed.</param>
public sealed record NotebookSuiteOptions(
    IReadOnlyList<string> Paths,
    string OutputFolder,
    IReadOnlyDictionary<string, string> Parameters,
    TimeSpan CellTimeout);

/// <summary>The notebooks run, the executed copies written and the report.</summary>
public sealed record NotebookSuiteResult(IReadOnlyList<NotebookRun> Runs, IReadOnlyList<string> ExecutedNotebooks, string ReportPath)
{
    public bool Succeeded => Runs.All(r => r.Succeeded);
}

/// <summary>Runs a set of notebooks, writes each executed notebook and one HTML report.</summary>
public sealed class NotebookSuite(TimeProvider clock)
{
    /// <summary>Expands folders to their notebooks; a path that does not exist or is not a notebook is an error.</summary>
    /// <exception cref="NotebookInputException">A path is missing, is not a .ipynb file, or no notebook was found.</exception>
    public static IReadOnlyList<string> ResolveNotebooks(IEnumerable<string> paths)
    {
        var found = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                found.AddRange(Directory.GetFiles(path, "*.ipynb").Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                found.Add(path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)
                    ? path
                    : throw new NotebookInputException(path, $"'{path}' is not a .ipynb notebook"));
            }
            else
            {
                throw new NotebookInputException(path, $"'{path}' does not exist");
            }
        }

        return found.Count > 0
            ? [.. found.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal)]
            : throw new NotebookInputException(string.Join(' ', paths), "no .ipynb notebook found in the given paths");
    }

    /// <summary>Runs every notebook (a failed one does not stop the others) and writes the outputs.</summary>
    /// <exception cref="NotebookInputException">Bad paths, or an override no notebook declares.</exception>
    /// <exception cref="NotebookParameterException">An override value does not fit its parameter.</exception>
    public async Task<NotebookSuiteResult> RunAsync(NotebookSuiteOptions options, INotebookProgress progress, CancellationToken cancellationToken)
    {
        var notebooks = ResolveNotebooks(options.Paths);

        // Load and apply every override before running anything, so bad input fails fast and writes nothing.
        var prepared = new List<(string Path, Microsoft.DotNet.Interactive.Documents.InteractiveDocument Document, IReadOnlySet<string> Applied)>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in notebooks)
        {
            var document = LoadOrThrow(path);
            var applied = NotebookParameters.Apply(document, options.Parameters);
            used.UnionWith(applied);
            prepared.Add((path, document, applied));
        }

        var unknown = options.Parameters.Keys.Where(k => !used.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            var declared = prepared.SelectMany(p => NotebookParameters.Read(p.Document)).Select(p => p.Name).Distinct().Order(StringComparer.Ordinal);
            throw new NotebookInputException(
                unknown[0],
                $"parameter '{string.Join("', '", unknown)}' is not declared in any notebook's parameters cell (declared: {string.Join(", ", declared)})");
        }

        var output = Path.GetFullPath(options.OutputFolder);
        Directory.CreateDirectory(output);
        var runs = new List<NotebookRun>();
        var written = new List<string>();
        foreach (var (path, document, applied) in prepared)
        {
            var run = await NotebookRunner.RunAsync(path, document, applied, progress, options.CellTimeout, output, cancellationToken).ConfigureAwait(false);
            var target = Path.Combine(output, Path.GetFileName(path));
            NotebookRunner.Save(run.Executed, target);
            runs.Add(run);
            written.Add(target);
        }

        var report = NotebookReport.Write(output, runs, clock.GetUtcNow());
        return new NotebookSuiteResult(runs, written, report);
    }

    private static Microsoft.DotNet.Interactive.Documents.InteractiveDocument LoadOrThrow(string path)
    {
        try
        {
            return NotebookRunner.Load(path);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new NotebookInputException(path, $"'{path}' is not a readable .ipynb notebook: {e.Message}");
        }
    }
}

/// <summary>Bad input to the runner (a path or a parameter); <see cref="Subject"/> names what is wrong.</summary>
public sealed class NotebookInputException : Exception
{
    public NotebookInputException(string subject, string message)
        : base(message) => Subject = subject;

    public NotebookInputException()
        : this(string.Empty, "invalid notebook input")
    {
    }

    public NotebookInputException(string message)
        : this(string.Empty, message)
    {
    }

    public NotebookInputException(string message, Exception innerException)
        : base(message, innerException) => Subject = string.Empty;

    public string Subject { get; }
}
