using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace MentorFlow.Cli.Notebooks;

/// <summary>
/// Runs one .ipynb notebook cell by cell in a fresh kernel and puts the outputs and execution counts in place.
/// A failing cell stops the notebook; the cells after it are left without outputs.
/// </summary>
public static partial class NotebookRunner
{
    /// <summary>The variable a notebook may set to describe its data (shown in the report).</summary>
    public const string DataSourceVariable = "DataSource";

    /// <summary>Environment variable naming the run's output folder, so notebooks can save chart files beside the report.</summary>
    public const string OutputFolderVariable = "MENTORFLOW_NOTEBOOK_OUT";

    // The kernel's formatter registry and the process working directory are global: one notebook at a time.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    [GeneratedRegex(@"^#\s+(?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex TitlePattern();

    /// <summary>Reads a notebook file (Polyglot, older .NET Interactive or kernelspec metadata).</summary>
    public static InteractiveDocument Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Notebook.Read(stream, NotebookKernelFactory.DocumentKernels());
    }

    /// <summary>Writes an executed notebook as .ipynb.</summary>
    public static void Save(InteractiveDocument document, string path)
    {
        using var stream = File.Create(path);
        Notebook.Write(document, stream, NotebookKernelFactory.DocumentKernels());
    }

    /// <summary>Runs the notebook at <paramref name="path"/> with parameter overrides already applied to <paramref name="document"/>.</summary>
    public static async Task<NotebookRun> RunAsync(
        string path,
        InteractiveDocument document,
        IReadOnlySet<string> overridden,
        INotebookProgress progress,
        TimeSpan cellTimeout,
        string? outputFolder,
        CancellationToken cancellationToken)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var cells = new List<CellRun>();
        NotebookFailure? failure = null;
        string? dataSource = null;
        var total = Stopwatch.StartNew();
        var codeCells = document.Elements.Where(IsCode).ToList();

        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var previousDirectory = Environment.CurrentDirectory;
        var previousOutput = Environment.GetEnvironmentVariable(OutputFolderVariable);
        try
        {
            Environment.SetEnvironmentVariable(OutputFolderVariable, outputFolder);
            // `#r "relative.dll"` and relative file paths in cells resolve against the notebook's folder, as in VS Code.
            Environment.CurrentDirectory = folder;
            progress.NotebookStarted(name, codeCells.Count);
            using var kernel = NotebookKernelFactory.Create();
            var executionCount = 0;
            for (var i = 0; i < document.Elements.Count; i++)
            {
                var element = document.Elements[i];
                if (!IsCode(element))
                {
                    continue;
                }

                element.Outputs.Clear();
                element.ExecutionOrder = 0;
                if (failure is not null)
                {
                    cells.Add(new CellRun(i + 1, 0, CellOutcome.NotRun, TimeSpan.Zero, null));
                    continue;
                }

                progress.CellStarted(name, i + 1, codeCells.IndexOf(element));
                executionCount++;
                var watch = Stopwatch.StartNew();
                var error = await RunCellAsync(kernel, element, executionCount, cellTimeout, cancellationToken).ConfigureAwait(false);
                element.ExecutionOrder = executionCount;
                var cell = new CellRun(i + 1, executionCount, error is null ? CellOutcome.Succeeded : CellOutcome.Failed, watch.Elapsed, error);
                cells.Add(cell);
                progress.CellFinished(name, cell);
                if (error is not null)
                {
                    failure = new NotebookFailure(i + 1, error);
                }
            }

            if (failure is null)
            {
                dataSource = await RequestStringAsync(kernel, DataSourceVariable, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
            Environment.SetEnvironmentVariable(OutputFolderVariable, previousOutput);
            Formatter.ResetToDefault();
            Gate.Release();
        }

        var run = new NotebookRun(
            path,
            name,
            TitleOf(document) ?? name,
            document,
            cells,
            NotebookParameters.Read(document, overridden),
            dataSource,
            failure,
            total.Elapsed);
        progress.NotebookFinished(run);
        return run;
    }

    private static bool IsCode(InteractiveDocumentElement element) => element.KernelName != "markdown";

    private static string? TitleOf(InteractiveDocument document) =>
        document.Elements
            .Where(e => e.KernelName == "markdown")
            .Select(e => TitlePattern().Match(e.Contents))
            .FirstOrDefault(m => m.Success)?.Groups["title"].Value.Trim();

    private static async Task<string?> RunCellAsync(
        CompositeKernel kernel,
        InteractiveDocumentElement element,
        int executionCount,
        TimeSpan cellTimeout,
        CancellationToken cancellationToken)
    {
        if (element.KernelName is not (NotebookKernelFactory.CSharp or null or ""))
        {
            var message = $"kernel '{element.KernelName}' is not supported by the runner (only C# cells run)";
            element.Outputs.Add(new ErrorElement(message, "UnsupportedKernel", []));
            return message;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(cellTimeout);
        KernelCommandResult result;
        try
        {
            result = await kernel.SendAsync(new SubmitCode(element.Contents, NotebookKernelFactory.CSharp), timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var message = $"the cell did not finish within {cellTimeout.TotalSeconds:0} s";
            element.Outputs.Add(new ErrorElement(message, "Timeout", []));
            return message;
        }

        string? error = null;
        var displayed = new Dictionary<string, DisplayElement>(StringComparer.Ordinal);
        foreach (var kernelEvent in result.Events)
        {
            switch (kernelEvent)
            {
                case ReturnValueProduced value:
                    var returned = new ReturnValueElement { ExecutionOrder = executionCount };
                    foreach (var (mime, text) in ToData(value.FormattedValues))
                    {
                        returned.Data[mime] = text;
                    }

                    if (returned.Data.Count > 0)
                    {
                        element.Outputs.Add(returned);
                    }

                    break;
                case StandardOutputValueProduced stdout:
                    element.Outputs.Add(new TextElement(PlainText(stdout.FormattedValues), "stdout"));
                    break;
                case StandardErrorValueProduced stderr:
                    element.Outputs.Add(new TextElement(PlainText(stderr.FormattedValues), "stderr"));
                    break;
                case DisplayedValueUpdated update when update.ValueId is { } id && displayed.TryGetValue(id, out var shown):
                    shown.Data.Clear();
                    foreach (var (mime, text) in ToData(update.FormattedValues))
                    {
                        shown.Data[mime] = text;
                    }

                    break;
                case DisplayEvent display when display is DisplayedValueProduced or DisplayedValueUpdated:
                    var data = ToData(display.FormattedValues);
                    if (data.Count == 0)
                    {
                        break;
                    }

                    var displayElement = new DisplayElement(data);
                    element.Outputs.Add(displayElement);
                    if (display.ValueId is { } valueId)
                    {
                        displayed[valueId] = displayElement;
                    }

                    break;
                case CommandFailed failed:
                    error = failed.Message;
                    element.Outputs.Add(new ErrorElement(
                        failed.Message,
                        failed.Exception?.GetType().Name ?? "Error",
                        failed.Exception?.StackTrace?.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? []));
                    break;
                default:
                    break;
            }
        }

        return error;
    }

    private static Dictionary<string, object> ToData(IReadOnlyCollection<FormattedValue> values)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var value in values.Where(v => !v.SuppressDisplay))
        {
            data[value.MimeType] = value.Value;
        }

        return data;
    }

    private static string PlainText(IReadOnlyCollection<FormattedValue> values) =>
        values.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? values.FirstOrDefault()?.Value ?? string.Empty;

    private static async Task<string?> RequestStringAsync(CompositeKernel kernel, string variable, CancellationToken cancellationToken)
    {
        var result = await kernel.SendAsync(new RequestValue(variable, "text/plain", NotebookKernelFactory.CSharp), cancellationToken).ConfigureAwait(false);
        return result.Events.OfType<ValueProduced>().FirstOrDefault()?.Value?.ToString();
    }
}
