namespace MentorFlow.Reporting.Matching;

/// <summary>
/// Cross-validated quality of one candidate. <see cref="AssignmentLift"/> chooses the model: on each validation fold
/// the candidate picks the best 25% and the best 50% of the held-out pairs by its score, as an assignment under a
/// mentor shortage does, and the realised outcome of its picks is compared with picking at random (0) and with
/// picking by the realised outcomes (1). AUC (of success), log-loss and calibration error (of the Platt-calibrated
/// held-out probabilities) and the Spearman correlation with the realised outcome are reported beside it.
/// <see cref="FoldLifts"/> are the lifts of the single validation folds (for the paired comparison of candidates);
/// <see cref="Members"/> says what <see cref="TrainerKind.Stack"/> is made of.
/// </summary>
public sealed record TrainerEvaluation(
    TrainerKind Trainer, double AssignmentLift, double AssignmentLiftError, double Auc, double LogLoss, double CalibrationError, double Spearman, double? Lambda,
    IReadOnlyList<double>? FoldLifts = null, IReadOnlyList<StackMember>? Members = null)
{
    /// <summary>Equal when every figure is equal, the per-fold lifts compared value by value.</summary>
    public bool Equals(TrainerEvaluation? other) =>
        other is not null && Trainer == other.Trainer && AssignmentLift.Equals(other.AssignmentLift) &&
        AssignmentLiftError.Equals(other.AssignmentLiftError) && Auc.Equals(other.Auc) && LogLoss.Equals(other.LogLoss) &&
        CalibrationError.Equals(other.CalibrationError) && Spearman.Equals(other.Spearman) && Lambda.Equals(other.Lambda) &&
        (FoldLifts ?? []).SequenceEqual(other.FoldLifts ?? []) && (Members ?? []).SequenceEqual(other.Members ?? []);

    public override int GetHashCode() => HashCode.Combine(Trainer, AssignmentLift, Auc, Lambda, FoldLifts?.Count ?? 0);
}

/// <summary>
/// How the chosen model was evaluated, on the outcome <c>success = completed ∧ goal_met</c>, and why it won.
/// <see cref="Parts"/> are the models cross-validated only inside <see cref="TrainerKind.Stack"/> or
/// <see cref="TrainerKind.Blend"/> (e.g. <see cref="TrainerKind.RidgeGoals"/>), in the same measures, so that a stack
/// made mostly of one of them shows what that one picks alone; they are not chosen from.
/// </summary>
public sealed record ModelEvaluation(
    TrainerKind Trainer, double AssignmentLift, double Auc, double LogLoss, double CalibrationError, double Spearman, double BaseRate, int Pairs,
    int Folds, IReadOnlyList<TrainerEvaluation> Candidates, string Why, IReadOnlyList<TrainerEvaluation>? Parts = null)
{
    /// <summary>
    /// The candidates, then the <see cref="Parts"/>, each with the name the report gives it: a part is named with what
    /// it is part of and, in the stack, its share of the stack's spread (e.g. <c>RidgeGoals (in Stack: 63%)</c>).
    /// </summary>
    public IEnumerable<(string Name, TrainerEvaluation Evaluation)> Rows()
    {
        foreach (var c in Candidates)
        {
            yield return (c.Trainer.ToString(), c);
        }

        var stack = Candidates.FirstOrDefault(c => c.Trainer == TrainerKind.Stack);
        foreach (var p in Parts ?? [])
        {
            var share = stack?.Members?.FirstOrDefault(m => m.Trainer == p.Trainer)?.Share ?? 0;
            yield return (stack is not null && Stacking.Members.Contains(p.Trainer)
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p.Trainer} (in Stack: {share * 100:0}%)")
                : $"{p.Trainer} (in Blend)", p);
        }
    }
}
