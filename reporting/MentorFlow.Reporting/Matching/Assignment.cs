using System.Globalization;
using MentorFlow.Reporting.Data;

namespace MentorFlow.Reporting.Matching;

/// <summary>A (mentor id, mentee id) pair named by a manager: pinned (must be matched) or forbidden.</summary>
public readonly record struct PairRef(string MentorId, string MenteeId);

/// <summary>Options of <see cref="Assigner.Assign"/>.</summary>
public sealed record AssignmentOptions
{
    /// <summary>
    /// Pairs scored below this predicted probability are never proposed: the mentee is left unmatched instead. At cold
    /// start, whose similarity is a ranking, not a probability, it does not exclude: the assignment fills capacity and
    /// pairs below it are marked <see cref="AssignedPair.Weak"/> for the manager to review.
    /// </summary>
    public double MinScore { get; init; } = 0.35;

    /// <summary>
    /// For a learned model whose programme's past pairs succeeded less often than <see cref="MinScore"/> (its base
    /// rate, <see cref="ModelEvaluation.BaseRate"/>): a mentee left unmatched by the minimum is offered, over the
    /// capacity still free, the best pair that is at least as likely to succeed as the average past pair, marked
    /// <see cref="AssignedPair.Weak"/> for review. The minimum score is a probability, and in a programme where
    /// success is rare even the best pairs may fall under it; judged against the base rate, they are still better
    /// than chance. On (the default) unless a manager wants the minimum as a hard limit.
    /// </summary>
    public bool WeakMatchesAboveBaseRate { get; init; } = true;

    /// <summary>Pairs the manager fixed: always in the result (even below the minimum score), using the mentor's capacity.</summary>
    public IReadOnlyList<PairRef> Pinned { get; init; } = [];

    /// <summary>Pairs the manager ruled out.</summary>
    public IReadOnlyList<PairRef> Forbidden { get; init; } = [];
}

/// <summary>
/// A proposed pair; <see cref="Weak"/> when its score is below the minimum (pinned, filled at cold start, or above the
/// programme's base rate though under the minimum: <see cref="AssignmentOptions.WeakMatchesAboveBaseRate"/>).
/// </summary>
public sealed record AssignedPair(int Mentor, int Mentee, double Score, bool Pinned)
{
    public bool Weak { get; init; }
}

public enum UnmatchedCause
{
    /// <summary>No admissible mentor scored at least the minimum: a mentor of another profile is needed.</summary>
    NoMentorAboveMinimum,

    /// <summary>Suitable mentors existed but their capacity went to better-fitting pairs: more mentors of this profile.</summary>
    MentorsAtCapacity,
}

public sealed record UnmatchedMentee(int Mentee, UnmatchedCause Cause, int? BestMentor, double? BestScore, string Reason);

/// <summary>
/// Mentors that would have helped: unmatched mentees grouped by career path (the mentor profile they need), with
/// their most common time-zone regions and interests, why they stayed unmatched, and how many more mentors of that
/// profile (at the cohort's mean capacity) would take them.
/// </summary>
public sealed record ShortageGroup(
    string CareerPath,
    IReadOnlyList<string> Regions,
    IReadOnlyList<string> TopInterests,
    int UnmatchedMentees,
    int MentorsAtCapacity,
    int NoMentorAboveMinimum,
    int MentorsNeeded)
{
    /// <summary>The most common time-zone region of the group.</summary>
    public string Region => Regions.Count > 0 ? Regions[0] : string.Empty;

    /// <summary>The more frequent of the two causes in the group.</summary>
    public UnmatchedCause Cause => MentorsAtCapacity >= NoMentorAboveMinimum ? UnmatchedCause.MentorsAtCapacity : UnmatchedCause.NoMentorAboveMinimum;
}

/// <summary>The result of an assignment: pairs, unmatched mentees with the reason, and the mentor shortage.</summary>
public sealed record Assignment(
    ScoredCohort Cohort, IReadOnlyList<AssignedPair> Pairs, IReadOnlyList<UnmatchedMentee> Unmatched, IReadOnlyList<ShortageGroup> Shortage)
{
    public double TotalScore => Pairs.Sum(p => p.Score);

    /// <summary>Mentors needed in all to match every unmatched mentee.</summary>
    public int MentorsNeeded => Shortage.Sum(s => s.MentorsNeeded);

    /// <summary>The rows of pairs.csv, in the cohort's mentee order, with reasons for every row.</summary>
    public IReadOnlyList<Pair> ToPairs()
    {
        var reasons = Cohort.Explain([.. Pairs.Select(p => (p.Mentor, p.Mentee))]);
        var coldStart = Cohort.Method == ScoringMethod.ColdStartSimilarity ? "cold-start similarity (no model); " : string.Empty;
        var weak = Cohort.Method == ScoringMethod.LearnedModel && Cohort.Model?.Evaluation is { } e
            ? string.Create(CultureInfo.InvariantCulture, $"weak match for review (under the minimum score, above the programme's past success rate of {e.BaseRate * 100:0}%); ")
            : string.Empty;
        var rows = new Pair?[Cohort.Mentees.Count];
        for (var i = 0; i < Pairs.Count; i++)
        {
            var p = Pairs[i];
            var why = p.Pinned ? "pinned by the manager" + (reasons[i].Length > 0 ? "; " + reasons[i] : string.Empty)
                : p.Weak ? weak + reasons[i] : reasons[i];
            rows[p.Mentee] = new Pair(Cohort.Mentors[p.Mentor].Id, Cohort.Mentees[p.Mentee].Id, Math.Round(p.Score, 4), coldStart + why);
        }

        foreach (var u in Unmatched)
        {
            rows[u.Mentee] = new Pair(null, Cohort.Mentees[u.Mentee].Id, null, u.Reason);
        }

        return [.. rows.Where(r => r is not null).Select(r => r!)];
    }
}
