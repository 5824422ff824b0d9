using System.Diagnostics;
using Spectre.Console;

namespace MentorFlow.Cli.Matching;

/// <summary>
/// Progress of a command's stages on stderr: a Spectre.Console progress display on an interactive terminal, one
/// line per finished stage (with its duration) when stderr is redirected to a file or a pipe.
/// </summary>
public sealed class Stages
{
    private readonly IAnsiConsole _console;
    private readonly ProgressContext? _progress;
    private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private Stages(IAnsiConsole console, ProgressContext? progress)
    {
        _console = console;
        _progress = progress;
    }

    public static void Run(IAnsiConsole console, IReadOnlyList<string> names, Action<Stages> work)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            work(new Stages(console, null));
            return;
        }

        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var stages = new Stages(console, context);
                foreach (var name in names)
                {
                    stages._tasks[name] = context.AddTask(name, autoStart: false, maxValue: 1);
                }

                work(stages);
            });
    }

    /// <summary>Marks a stage started.</summary>
    public void Start(string name)
    {
        _clock.Restart();
        if (_progress is not null && _tasks.TryGetValue(name, out var task))
        {
            task.StartTask();
        }
    }

    /// <summary>Reports progress within a stage (done of total); thread-safe.</summary>
    public void Report(string name, int done, int total)
    {
        if (_progress is not null && _tasks.TryGetValue(name, out var task))
        {
            if (!task.IsStarted)
            {
                task.StartTask();
            }

            task.MaxValue = Math.Max(1, total);
            task.Value = done;
        }
    }

    /// <summary>Marks a stage finished.</summary>
    public void Done(string name)
    {
        if (_progress is not null && _tasks.TryGetValue(name, out var task))
        {
            task.Value = task.MaxValue;
            task.StopTask();
        }
        else
        {
            _console.MarkupLineInterpolated($"[grey]{name}: done in {_clock.Elapsed.TotalSeconds:0.00} s[/]");
        }
    }
}
