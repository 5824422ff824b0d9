using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MentorFlow.Cli.Notebooks;

/// <summary>
/// <c>mentorflow notebooks run [paths] --out dir [--param NAME=VALUE]…</c>: runs notebooks headlessly with the real
/// .NET Interactive C# kernel, writes each executed notebook and one HTML report. Exit code 0 when every notebook
/// completed, 1 when one failed (the report says which cell and why), 2 on bad input.
/// </summary>
public sealed class NotebooksRunCommand : AsyncCommand<NotebooksRunCommand.Settings>
{
    public const int Failed = 1;
    public const int BadInput = 2;

    /// <summary>Where progress and messages go (stderr by default; results are files).</summary>
    public static IAnsiConsole Console { get; set; } =
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[paths]")]
        [Description("Notebook files or folders (default: notebooks/)")]
        public string[] Paths { get; init; } = [];

        [CommandOption("-o|--out <DIR>")]
        [Description("Output folder for the executed notebooks and report.html (default: artifacts/notebooks)")]
        public string Out { get; init; } = Path.Combine("artifacts", "notebooks");

        [CommandOption("-p|--param <NAME=VALUE>")]
        [Description("Override a parameter of the notebooks' parameters cell; repeat for several")]
        public string[] Parameters { get; init; } = [];

        [CommandOption("--timings")]
        [Description("Print how long each cell took")]
        public bool Timings { get; init; }

        [CommandOption("--cell-timeout <SECONDS>")]
        [Description("Fail a notebook when one cell runs longer than this (default: 600)")]
        public int CellTimeoutSeconds { get; init; } = 600;

        public override ValidationResult Validate() =>
            CellTimeoutSeconds > 0 ? ValidationResult.Success() : ValidationResult.Error("--cell-timeout must be a positive number of seconds");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var console = Console;
        NotebookSuiteOptions options;
        try
        {
            options = new NotebookSuiteOptions(
                settings.Paths.Length > 0 ? settings.Paths : ["notebooks"],
                settings.Out,
                NotebookParameters.ParseOverrides(settings.Parameters),
                TimeSpan.FromSeconds(settings.CellTimeoutSeconds));
        }
        catch (NotebookParameterException e)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return BadInput;
        }

        NotebookSuiteResult result;
        try
        {
            result = await console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async progressContext =>
                    await new NotebookSuite(TimeProvider.System)
                        .RunAsync(options, new SpectreNotebookProgress(progressContext), cancellationToken)
                        .ConfigureAwait(false))
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is NotebookInputException or NotebookParameterException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return BadInput;
        }

        foreach (var run in result.Runs)
        {
            if (run.Failure is { } failure)
            {
                console.MarkupLineInterpolated($"[red]failed[/] {run.Name} at cell {failure.CellNumber}: {failure.Message}");
            }
            else
            {
                console.MarkupLineInterpolated($"[green]ok[/]     {run.Name} ({run.Cells.Count} code cells, {run.Elapsed.TotalSeconds:0.0} s)");
            }

            if (settings.Timings)
            {
                foreach (var cell in run.Cells.Where(c => c.Outcome != CellOutcome.NotRun))
                {
                    console.MarkupLineInterpolated($"         cell {cell.CellNumber,3}: {cell.Elapsed.TotalSeconds,6:0.00} s");
                }
            }
        }

        console.MarkupLineInterpolated($"report: {result.ReportPath}");
        return result.Succeeded ? 0 : Failed;
    }

    private sealed class SpectreNotebookProgress(ProgressContext context) : INotebookProgress
    {
        private readonly Dictionary<string, ProgressTask> tasks = new(StringComparer.Ordinal);

        public void NotebookStarted(string name, int codeCells) =>
            tasks[name] = context.AddTask(Markup.Escape(name), maxValue: Math.Max(1, codeCells));

        public void CellStarted(string name, int cellNumber, int codeCellIndex) =>
            tasks[name].Description = Markup.Escape($"{name} · cell {cellNumber}");

        public void CellFinished(string name, CellRun cell) => tasks[name].Increment(1);

        public void NotebookFinished(NotebookRun run)
        {
            var task = tasks[run.Name];
            task.Description = run.Succeeded
                ? Markup.Escape($"{run.Name} ✓ {run.Elapsed.TotalSeconds:0.0} s")
                : $"[red]{Markup.Escape($"{run.Name} ✗ failed at cell {run.Failure!.CellNumber}")}[/]";
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}
