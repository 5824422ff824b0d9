using System.ComponentModel;
using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Synthesis;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MentorFlow.Cli.Matching;

/// <summary>
/// <c>mentorflow synth --mentors 250 --mentees 1000 --seed 7 [--world NAME] --out dir/</c>: writes a consistent synthetic data set
/// (history-applications.csv, outcomes.csv, applications.csv, relationships.csv, testimonials.csv, platform.csv).
/// </summary>
public sealed class SynthCommand : Command<SynthCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--mentors <N>")]
        [Description("Mentors in the cohort to match (default 250)")]
        public int Mentors { get; init; } = 250;

        [CommandOption("--mentees <N>")]
        [Description("Mentees in the cohort to match (default 1000)")]
        public int Mentees { get; init; } = 1000;

        [CommandOption("--history-mentors <N>")]
        [Description("Mentors of the past programmes (default: as --mentors)")]
        public int? HistoryMentors { get; init; }

        [CommandOption("--history-mentees <N>")]
        [Description("Mentees of the past programmes (default: as --mentees)")]
        public int? HistoryMentees { get; init; }

        [CommandOption("--seed <N>")]
        [Description("Seed: same seed, same files (default 7)")]
        public int Seed { get; init; } = 7;

        [CommandOption("--world <NAME>")]
        [Description("Ground-truth family: classic (default), additive, interactions, thresholds, noisy or drawn (a different structure for every seed); see the Reporting README")]
        public string World { get; init; } = "classic";

        [CommandOption("--lengths <LIST>")]
        [Description("Programme lengths the programme offers, comma-separated from 3-6, 6-9, 9-12 (default all): every preferred_length is one of them")]
        public string? Lengths { get; init; }

        [CommandOption("-o|--out <DIR>")]
        [Description("Output folder")]
        public string? Out { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Out))
            {
                return ValidationResult.Error("--out is required");
            }

            if (Lengths is not null && ParseLengths(Lengths) is null)
            {
                return ValidationResult.Error("--lengths must be a comma-separated list of 3-6, 6-9 and 9-12, e.g. --lengths 3-6,6-9");
            }

            if (GroundTruth.Parse(World) is null)
            {
                return ValidationResult.Error($"--world must be one of {string.Join(", ", GroundTruth.Names)}");
            }

            return Mentors < 0 || Mentees < 0 || HistoryMentors < 0 || HistoryMentees < 0
                ? ValidationResult.Error("counts of mentors and mentees must not be negative")
                : ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var console = CliOutput.Console;
        var data = SyntheticData.Generate(new SynthOptions
        {
            Mentors = settings.Mentors,
            Mentees = settings.Mentees,
            HistoryMentors = settings.HistoryMentors,
            HistoryMentees = settings.HistoryMentees,
            Seed = settings.Seed,
            World = GroundTruth.Parse(settings.World)!.Value,
            Lengths = settings.Lengths is null ? [] : ParseLengths(settings.Lengths)!,
        });
        foreach (var file in data.WriteTo(settings.Out!))
        {
            console.MarkupLineInterpolated($"wrote {file}");
        }

        console.MarkupLineInterpolated(
            $"world {data.World.ToString().ToLowerInvariant()}: {data.History.Count} past applicants, {data.Outcomes.Count} outcomes, {data.Relationships.Count} relationships, {data.Testimonials.Count} testimonials, {data.Platform.Count} platform days; cohort of {settings.Mentors} mentors and {settings.Mentees} mentees");
        return CliOutput.Success;
    }

    /// <summary>The lengths in a comma-separated list, or null when one is not a length or the list is empty.</summary>
    internal static IReadOnlyList<ProgrammeLength>? ParseLengths(string text)
    {
        var lengths = new List<ProgrammeLength>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ContractValues.ParseLength(part) is not { } length)
            {
                return null;
            }

            lengths.Add(length);
        }

        return lengths.Count == 0 ? null : lengths.Distinct().ToList();
    }
}
