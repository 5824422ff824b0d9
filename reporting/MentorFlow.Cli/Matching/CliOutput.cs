using MentorFlow.Reporting.Data;
using Spectre.Console;

namespace MentorFlow.Cli.Matching;

/// <summary>Exit codes and stderr output shared by <c>match</c> and <c>synth</c>.</summary>
public static class CliOutput
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    /// <summary>Where progress and messages go (stderr by default; results are files).</summary>
    public static IAnsiConsole Console { get; set; } = Create();

    private static IAnsiConsole Create()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
        if (System.Console.IsErrorRedirected)
        {
            // Redirected to a file or a pipe: never wrap, so every error stays on one line for whoever reads it.
            console.Profile.Width = 1000;
        }

        return console;
    }

    /// <summary>
    /// The app's exception handler: a command line that does not parse or validate is bad input (2); anything else
    /// is an unexpected failure (1). The message goes to stderr either way.
    /// </summary>
    public static int Fail(Exception exception)
    {
        if (exception is Spectre.Console.Cli.CommandAppException)
        {
            Console.MarkupLineInterpolated($"[red]error:[/] {exception.Message}");
            return BadInput;
        }

        Console.MarkupLineInterpolated($"[red]failed:[/] {exception.GetType().Name}: {exception.Message}");
        return Failed;
    }

    /// <summary>Prints every CSV error as <c>file:line: column 'x': message</c>.</summary>
    public static int ReportBadInput(IAnsiConsole console, IReadOnlyList<CsvDataError> errors)
    {
        const int Shown = 50;
        foreach (var error in errors.Take(Shown))
        {
            console.MarkupLineInterpolated($"[red]error:[/] {error.ToString()}");
        }

        if (errors.Count > Shown)
        {
            console.MarkupLineInterpolated($"[red]error:[/] ... and {errors.Count - Shown} more");
        }

        return BadInput;
    }
}
