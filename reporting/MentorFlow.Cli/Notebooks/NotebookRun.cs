using Microsoft.DotNet.Interactive.Documents;

namespace MentorFlow.Cli.Notebooks;

/// <summary>How a cell ended.</summary>
public enum CellOutcome
{
    Succeeded,
    Failed,
    NotRun,
}

/// <summary>One code cell's run: its 1-based position among all cells, execution count, time and error if any.</summary>
public sealed record CellRun(int CellNumber, int ExecutionCount, CellOutcome Outcome, TimeSpan Elapsed, string? Error);

/// <summary>Where a notebook stopped: the 1-based cell number and the error text the kernel gave.</summary>
public sealed record NotebookFailure(int CellNumber, string Message);

/// <summary>The result of running one notebook: the executed document (outputs in place) and what happened.</summary>
public sealed record NotebookRun(
    string SourcePath,
    string Name,
    string Title,
    InteractiveDocument Executed,
    IReadOnlyList<CellRun> Cells,
    IReadOnlyList<NotebookParameter> Parameters,
    string? DataSource,
    NotebookFailure? Failure,
    TimeSpan Elapsed)
{
    public bool Succeeded => Failure is null;
}

/// <summary>Receives progress while notebooks run (the command shows it with Spectre.Console).</summary>
public interface INotebookProgress
{
    void NotebookStarted(string name, int codeCells);

    void CellStarted(string name, int cellNumber, int codeCellIndex);

    void CellFinished(string name, CellRun cell);

    void NotebookFinished(NotebookRun run);
}

/// <summary>Progress that goes nowhere (tests, benchmarks).</summary>
public sealed class SilentNotebookProgress : INotebookProgress
{
    public static readonly SilentNotebookProgress Instance = new();

    public void NotebookStarted(string name, int codeCells)
    {
    }

    public void CellStarted(string name, int cellNumber, int codeCellIndex)
    {
    }

    public void CellFinished(string name, CellRun cell)
    {
    }

    public void NotebookFinished(NotebookRun run)
    {
    }
}
