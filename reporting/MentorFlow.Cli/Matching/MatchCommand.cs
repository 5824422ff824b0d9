using System.ComponentModel;
using System.Globalization;
using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Matching;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MentorFlow.Cli.Matching;

/// <summary>
/// <c>mentorflow match --history past.csv --outcomes outcomes.csv --applications cohort.csv --out pairs.csv
/// [--seed 42] [--min-score 0.35]</c>: trains the match-quality model on the history, scores the cohort's admissible
/// pairs, assigns them under mentor capacity and writes pairs.csv (and a Markdown report beside it). Exit code 0 on
/// success, 2 on bad input (the message names file, line and column), 1 on an unexpected failure.
/// </summary>
public sealed class MatchCommand : Command<MatchCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--history <FILE>")]
        [Description("Past applications (applications.csv format) the outcomes refer to")]
        public string? History { get; init; }

        [CommandOption("--outcomes <FILE>")]
        [Description("Past pairs and how they went (outcomes.csv)")]
        public string? Outcomes { get; init; }

        [CommandOption("--applications <FILE>")]
        [Description("The cohort to match: mentors and mentees (applications.csv)")]
        public string? Applications { get; init; }

        [CommandOption("-o|--out <FILE>")]
        [Description("Where to write pairs.csv")]
        public string? Out { get; init; }

        [CommandOption("--seed <N>")]
        [Description("Seed of the model training (default 42): same input and seed, same pairs")]
        public int Seed { get; init; } = 42;

        [CommandOption("--min-score <SCORE>")]
        [Description("Leave a mentee unmatched rather than propose a pair below this score (0-1, default 0.35)")]
        public double MinScore { get; init; } = 0.35;

        [CommandOption("--pins <FILE>")]
        [Description("Pairs the manager pinned (mentor_id,mentee_id)")]
        public string? Pins { get; init; }

        [CommandOption("--forbid <FILE>")]
        [Description("Pairs the manager forbade (mentor_id,mentee_id)")]
        public string? Forbid { get; init; }

        [CommandOption("--candidates <K>")]
        [Description("Candidate mentors kept per mentee by the pre-filter before the model scores them, beside each mentor's own best mentees (default: sized to the model, 40–160)")]
        public int? Candidates { get; init; }

        [CommandOption("--model-out <FILE>")]
        [Description("Also save the trained model (versioned file with its feature schema)")]
        public string? ModelOut { get; init; }

        [CommandOption("--report <FILE>")]
        [Description("Markdown report: model evaluation, unmatched mentees, mentor shortage (default: <out>.report.md)")]
        public string? Report { get; init; }

        public override ValidationResult Validate()
        {
            foreach (var (name, value) in new[] { ("--history", History), ("--outcomes", Outcomes), ("--applications", Applications), ("--out", Out) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    return ValidationResult.Error($"{name} is required");
                }
            }

            if (!double.IsFinite(MinScore) || MinScore < 0 || MinScore > 1)
            {
                return ValidationResult.Error("--min-score must be between 0 and 1");
            }

            return Candidates is < 1 ? ValidationResult.Error("--candidates must be at least 1") : ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var console = CliOutput.Console;
        var input = Read(settings);
        if (input.Errors.Count > 0)
        {
            return CliOutput.ReportBadInput(console, input.Errors);
        }

        var options = new AssignmentOptions
        {
            MinScore = settings.MinScore,
            Pinned = [.. input.Pins.Select(p => new PairRef(p.MentorId, p.MenteeId))],
            Forbidden = [.. input.Forbidden.Select(p => new PairRef(p.MentorId, p.MenteeId))],
        };

        MatchModel model = null!;
        Assignment assignment = null!;
        IReadOnlyList<Pair> pairs = [];
        const string Train = "train the model (cross-validation)";
        const string Prefilter = "pre-filter candidates";
        const string Score = "score pairs";
        const string Assign = "assign under capacity";
        const string Write = "write results";
        try
        {
            Stages.Run(console, [Train, Prefilter, Score, Assign, Write], stages =>
            {
                stages.Start(Train);
                model = MatchModel.Train(input.History, input.Outcomes, settings.Seed);
                stages.Done(Train);

                stages.Start(Prefilter);
                var scoring = new ScoringOptions
                {
                    CandidatesPerMentee = settings.Candidates,
                    Progress = new ProgressReporter(p =>
                    {
                        if (p.Stage == "score" && p.Done == 0)
                        {
                            stages.Done(Prefilter);
                            stages.Start(Score);
                        }

                        stages.Report(p.Stage == "score" ? Score : Prefilter, p.Done, p.Total);
                    }),
                };
                var scores = model.Score(input.Cohort, scoring);
                stages.Done(Score);

                stages.Start(Assign);
                assignment = Assigner.Assign(scores, options);
                pairs = assignment.ToPairs();
                stages.Done(Assign);

                stages.Start(Write);
                PairsCsv.Write(settings.Out!, pairs);
                File.WriteAllText(ReportPath(settings), MatchReport.Markdown(model, assignment, options));
                if (settings.ModelOut is { } modelOut)
                {
                    model.Save(modelOut);
                }

                stages.Done(Write);
            });
        }
        catch (ArgumentException e)
        {
            // Pins that exceed a mentor's capacity or contradict a forbid: the manager's input is at fault.
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return CliOutput.BadInput;
        }

        Summary(console, model, assignment, settings);
        return CliOutput.Success;
    }

    private static string ReportPath(Settings settings) =>
        settings.Report ?? Path.ChangeExtension(settings.Out!, null) + ".report.md";

    private static void Summary(IAnsiConsole console, MatchModel model, Assignment assignment, Settings settings)
    {
        if (model.Method == ScoringMethod.ColdStartSimilarity)
        {
            console.MarkupLineInterpolated($"[yellow]cold start:[/] {model.ColdStartReason}; scores are the documented similarity, not probabilities");
        }
        else if (model.Evaluation is { } e)
        {
            console.MarkupLineInterpolated($"model: [green]{e.Trainer}[/], chosen by {e.Folds}-fold cross-validation on {e.Pairs} past pairs: {e.Why}");
            var table = new Table().AddColumns("candidate", "assignment lift", "AUC", "Spearman", "log-loss", "calibration error");
            foreach (var (name, c) in e.Rows())
            {
                table.AddRow(
                    Markup.Escape(name), c.AssignmentLift.ToString("0.000", CultureInfo.InvariantCulture), c.Auc.ToString("0.000", CultureInfo.InvariantCulture),
                    c.Spearman.ToString("0.000", CultureInfo.InvariantCulture), c.LogLoss.ToString("0.000", CultureInfo.InvariantCulture),
                    c.CalibrationError.ToString("0.000", CultureInfo.InvariantCulture));
            }

            console.Write(table);
        }

        console.MarkupLineInterpolated(
            $"matched [green]{assignment.Pairs.Count}[/] of {assignment.Cohort.Mentees.Count} mentees, unmatched [yellow]{assignment.Unmatched.Count}[/]; {assignment.MentorsNeeded} more mentors would cover them");
        console.MarkupLineInterpolated($"wrote {settings.Out} and {ReportPath(settings)}");
    }

    /// <summary>Most applications of the cohort file (pre-filtering every pair of 40,000 mentees and 10,000 mentors takes about 8 s).</summary>
    public const int MaxCohortRows = 100_000;

    /// <summary>Most rows of the history file (past mentors and mentees).</summary>
    public const int MaxHistoryRows = 250_000;

    /// <summary>Most past pairs of the outcomes file (training time grows with them).</summary>
    public const int MaxOutcomeRows = 100_000;

    private static MatchInput Read(Settings settings)
    {
        var errors = new List<CsvDataError>();
        var history = ApplicationsCsv.Read(settings.History!, MaxHistoryRows, "keep the past programmes the outcomes refer to, the most recent first");
        var outcomes = OutcomesCsv.Read(settings.Outcomes!, MaxOutcomeRows, "keep the most recent past pairs");
        var cohort = ApplicationsCsv.Read(settings.Applications!, MaxCohortRows, "match the cohort in parts, e.g. one region or one intake at a time");
        errors.AddRange(history.Errors);
        errors.AddRange(outcomes.Errors);
        errors.AddRange(cohort.Errors);
        if (history.IsValid && outcomes.IsValid)
        {
            errors.AddRange(OutcomesCsv.CheckReferences(outcomes, history.Rows, Path.GetFileName(settings.Outcomes!)));
        }

        IReadOnlyList<PairListEntry> List(string? path)
        {
            if (path is null)
            {
                return [];
            }

            var list = PairListCsv.Read(path, MaxCohortRows, "a cohort has at most that many people to pin or forbid");
            errors.AddRange(list.Errors);
            if (list.IsValid && cohort.IsValid)
            {
                errors.AddRange(PairListCsv.CheckReferences(list, cohort.Rows, Path.GetFileName(path)));
            }

            return list.Rows;
        }

        var pins = List(settings.Pins);
        var forbidden = List(settings.Forbid);
        return new MatchInput(history.Rows, outcomes.Rows, cohort.Rows, pins, forbidden, errors);
    }

    private sealed record MatchInput(
        IReadOnlyList<Application> History,
        IReadOnlyList<Outcome> Outcomes,
        IReadOnlyList<Application> Cohort,
        IReadOnlyList<PairListEntry> Pins,
        IReadOnlyList<PairListEntry> Forbidden,
        IReadOnlyList<CsvDataError> Errors);

    /// <summary>Calls back on the reporting thread (Spectre's progress tasks are thread-safe).</summary>
    private sealed class ProgressReporter(Action<(string Stage, int Done, int Total)> report) : IProgress<(string Stage, int Done, int Total)>
    {
        public void Report((string Stage, int Done, int Total) value) => report(value);
    }
}
