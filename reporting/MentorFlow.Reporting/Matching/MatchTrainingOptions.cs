using MentorFlow.Reporting.Data;

namespace MentorFlow.Reporting.Matching;

/// <summary>Options of <see cref="MatchModel.Train(IReadOnlyList{Application}, IReadOnlyList{Outcome}, MatchTrainingOptions)"/>.</summary>
public sealed record MatchTrainingOptions
{
    /// <summary>Seeds the MLContext, the fold split and the trees: same seed and data → same model.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Cross-validation folds used to choose the candidate, fit the calibration and estimate intervals.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Fewer outcomes than this (or fewer than 10 successes or failures) → cold-start similarity.</summary>
    public int MinimumOutcomes { get; init; } = 60;

    /// <summary>
    /// Candidates to choose from, simplest learned model first, the similarity prior last (a later one must do better
    /// by <see cref="MatchModel.SelectionTolerance"/>).
    /// </summary>
    public IReadOnlyList<TrainerKind> Trainers { get; init; } = MatchTrainer.DefaultTrainers;

    /// <summary>Every candidate, simplest first.</summary>
    public static IReadOnlyList<TrainerKind> DefaultTrainers => MatchTrainer.DefaultTrainers;
}
