namespace MentorFlow.Reporting.Matching;

/// <summary>
/// What the learned model reads about a pair: the <see cref="PairFeatures"/> followed by <see cref="GoalIndicators"/>
/// indicators of the mentee's goals — the most common mentee goals of the training history, or groups of them learned
/// from its outcomes (<see cref="GoalGroups"/>; the vocabulary is saved with the model), so that effects may depend on
/// what the mentee wants (e.g. the value of a seniority gap for a mentee who wants to lead). Missing goals (a small
/// history) leave their indicators at 0.
/// </summary>
public static class ModelInputs
{
    /// <summary>
    /// Mentee goals (or goal groups) with an indicator input: sixteen, so that a programme's dozen or so goals and the
    /// career paths switchers name fit (with ten, goals as common as the rest were left out).
    /// </summary>
    public const int GoalIndicators = 16;

    /// <summary>Length of a model input vector.</summary>
    public const int Count = PairFeatures.Count + GoalIndicators;

    /// <summary>
    /// Pair features whose pairwise products are interaction terms (<see cref="Terms"/>): the facts about a pair
    /// whose effect plausibly depends on another (e.g. time-zone distance × both preferring live meetings, seniority gap
    /// × the mentee's seniority, same career path × a mentee who wants to switch, interests × whether any goal is
    /// covered, the mentor's time × a junior mentee, anything × no common language or no way to meet live).
    /// </summary>
    public static readonly IReadOnlyList<int> Interacting =
    [
        PairFeatures.InterestCoverage, PairFeatures.SameCareerPath, PairFeatures.SwitchTarget, PairFeatures.SameCareerFamily,
        PairFeatures.GoalCoverage, PairFeatures.ExpertiseMatch, PairFeatures.SeniorityGap, PairFeatures.MentorLessSenior,
        PairFeatures.TimeZoneDistance, PairFeatures.SharedLanguage, PairFeatures.CommunicationOverlap, PairFeatures.LengthDistance,
        PairFeatures.HoursFit, PairFeatures.LiveChannels, PairFeatures.MenteeSeniority, PairFeatures.MissingInformation,
        PairFeatures.MenteeSwitching, PairFeatures.TimeZoneOver3Hours, PairFeatures.BothLiveOnly, PairFeatures.NoCommonLanguage,
        PairFeatures.CannotMeetLive, PairFeatures.AnyGoalCovered, PairFeatures.MenteeJunior,
    ];

    /// <summary>
    /// The derived shapes of a fact another feature gives in its basic form: hinges, bins and steps of the seniority gap,
    /// squares and hinges of the time-zone distance, shares and overlapping indicators of interests, goals and channels, steps of
    /// the length and the mentor's time. The linear candidates penalise them more than the basic forms
    /// (<see cref="RidgeModel.ShapePenalty"/>, <see cref="LassoFit.ShapePenalty"/>): with ~700 outcomes, weights spread
    /// over many shapes of one fact fit past pairs as well but rank a mentee's best candidates worse.
    /// </summary>
    public static readonly IReadOnlySet<int> Shapes = new HashSet<int>(
    [
        PairFeatures.InterestOverlap, PairFeatures.InterestCoverage, PairFeatures.TwoSharedInterests, PairFeatures.InterestsAndGoals,
        PairFeatures.CareerAndGoals, PairFeatures.GoalCoverage, PairFeatures.AnyGoalCovered, PairFeatures.TwoGoalsCovered,
        PairFeatures.SeniorityGapSquared, PairFeatures.SeniorityGapOver3, PairFeatures.SeniorityGapOver8, PairFeatures.SeniorityGapOver15,
        PairFeatures.SeniorityGap0To2, PairFeatures.SeniorityGap2To5, PairFeatures.SeniorityGap5To10, PairFeatures.SeniorityGap10To15,
        PairFeatures.SeniorityGapOver15Years, PairFeatures.TimeZoneDistanceSquared, PairFeatures.TimeZoneOver3Hours, PairFeatures.TimeZoneOver6Hours,
        PairFeatures.CannotMeetLive, PairFeatures.SharedLanguage, PairFeatures.LengthTwoSteps, PairFeatures.MentorShorterLength,
        PairFeatures.HoursShortfall, PairFeatures.MentorTimeUnderHalf, PairFeatures.MissingInformation, PairFeatures.HardIncompatibility,
        PairFeatures.MenteeJunior, .. MainEffectsOnly,
    ]);

    /// <summary>
    /// The finer seniority-gap steps and time-zone hinges (<see cref="PairFeatures.SeniorityGapStepYears"/>,
    /// <see cref="PairFeatures.TimeZoneHingeHours"/>): read by the main-effects candidates (the plain ridge, both lassos,
    /// the logistic regression), where they draw a step or a cut-off of any ends; left out of the interaction and goal
    /// ridges (<see cref="Terms"/>), whose terms already draw such shapes per goal and where 19 more main effects only
    /// added noise, and held at 0 for the trees (<see cref="WithoutFineSteps"/>), which split on the gap itself.
    /// </summary>
    public static IEnumerable<int> MainEffectsOnly => Enumerable.Range(0, Count).Where(IsMainEffectOnly);

    private static bool IsMainEffectOnly(int input) => input is >= PairFeatures.SeniorityGapStepsStart and < PairFeatures.Count;

    /// <summary>
    /// A copy of the model input <paramref name="x"/> with the <see cref="MainEffectsOnly"/> inputs at 0, for the trees:
    /// they split on the gap and the distance themselves, so the fine steps and hinges would only offer them the same
    /// splits twice, and a tree never splits on a constant. Made row by row as the trees read their rows, so that no
    /// copy of a whole history is held.
    /// </summary>
    public static float[] WithoutFineSteps(float[] x)
    {
        var copy = (float[])x.Clone();
        copy.AsSpan(PairFeatures.SeniorityGapStepsStart, PairFeatures.Count - PairFeatures.SeniorityGapStepsStart).Clear();
        return copy;
    }

    /// <summary>Pair features whose effect may depend on the mentee's goals (each × every goal indicator).</summary>
    public static readonly IReadOnlyList<int> GoalDependent =
    [
        PairFeatures.SeniorityGap, PairFeatures.SeniorityGapOver3, PairFeatures.SeniorityGapOver8, PairFeatures.MentorLessSenior,
        PairFeatures.SameCareerPath, PairFeatures.SwitchTarget, PairFeatures.InterestCoverage, PairFeatures.SeniorityGap0To2,
        PairFeatures.SeniorityGap2To5, PairFeatures.SeniorityGap5To10, PairFeatures.SeniorityGap10To15, PairFeatures.SeniorityGapOver15Years,
        PairFeatures.AnyGoalCovered, PairFeatures.SameCareerFamily,
    ];

    /// <summary>
    /// The terms of the goal ridge for a vocabulary: every input and every <see cref="GoalDependent"/> feature × the
    /// indicator of each learned group (an entry of two or more goals); with no group, × every goal indicator.
    /// </summary>
    public static IReadOnlyList<(int First, int Second)> GroupTerms(IReadOnlyList<string> goals)
    {
        var groups = Enumerable.Range(0, Math.Min(goals.Count, GoalIndicators)).Where(g => GoalGroups.Members(goals[g]).Length > 1).ToHashSet();
        return groups.Count == 0
            ? GoalTerms
            : [.. GoalTerms.Where(t => t.Second < 0 || groups.Contains(t.Second - PairFeatures.Count))];
    }

    /// <summary>Every input and every <see cref="GoalDependent"/> feature × goal indicator (no product of two pair features).</summary>
    public static IReadOnlyList<(int First, int Second)> GoalTerms =>
        [.. Terms(interactions: true).Where(t => t.Second < 0 || t.Second >= PairFeatures.Count)];

    /// <summary>
    /// The regression terms: every input (main effects), and with <paramref name="interactions"/> every product of two
    /// <see cref="Interacting"/> features (squares of the graded ones), and every <see cref="GoalDependent"/> feature ×
    /// goal indicator, but not the <see cref="MainEffectsOnly"/> inputs. (i, −1) is the input i itself.
    /// </summary>
    public static IReadOnlyList<(int First, int Second)> Terms(bool interactions)
    {
        var terms = Enumerable.Range(0, Count).Where(i => !interactions || !IsMainEffectOnly(i)).Select(i => (i, -1)).ToList();
        if (!interactions)
        {
            return terms;
        }

        for (var a = 0; a < Interacting.Count; a++)
        {
            for (var b = a; b < Interacting.Count; b++)
            {
                var i = Interacting[a];
                var j = Interacting[b];
                if (i != j || !Binary.Contains(i))
                {
                    terms.Add((i, j));
                }
            }
        }

        foreach (var feature in GoalDependent)
        {
            for (var g = 0; g < GoalIndicators; g++)
            {
                terms.Add((feature, PairFeatures.Count + g));
            }
        }

        return terms;
    }

    private static readonly HashSet<int> Binary =
    [
        PairFeatures.SameCareerPath, PairFeatures.SwitchTarget, PairFeatures.SameCareerFamily, PairFeatures.MentorLessSenior,
        PairFeatures.MenteeSwitching, PairFeatures.BothLiveOnly, PairFeatures.NoCommonLanguage, PairFeatures.CannotMeetLive,
        PairFeatures.HardIncompatibility, PairFeatures.AnyGoalCovered, PairFeatures.MenteeJunior,
    ];

    /// <summary>The <see cref="GoalIndicators"/> most common goals of these mentees (ties by name), fewer if there are fewer.</summary>
    public static IReadOnlyList<string> GoalVocabulary(IEnumerable<Data.Application> mentees) =>
        [.. mentees.SelectMany(a => a.Goals).GroupBy(g => g, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(GoalIndicators).Select(g => g.Key)];

    /// <summary>The model input of a pair (goal indicators from <paramref name="goals"/>).</summary>
    public static float[] Of(PersonProfile mentor, PersonProfile mentee, IReadOnlyList<string> goals) =>
        Of(mentor, mentee, GoalIndicatorsOf(mentee, goals));

    /// <summary>The model input of a pair, with the mentee's goal indicators computed once (<see cref="GoalIndicatorsOf"/>).</summary>
    public static float[] Of(PersonProfile mentor, PersonProfile mentee, ReadOnlySpan<float> goalIndicators)
    {
        var x = new float[Count];
        Write(mentor, mentee, goalIndicators, x);
        return x;
    }

    /// <summary>Writes the model input of a pair into <paramref name="x"/> (length <see cref="Count"/>; a reused buffer is overwritten whole).</summary>
    public static void Write(PersonProfile mentor, PersonProfile mentee, ReadOnlySpan<float> goalIndicators, Span<float> x)
    {
        x.Clear();
        PairFeatures.Compute(mentor, mentee, x[..PairFeatures.Count]);
        goalIndicators.CopyTo(x[PairFeatures.Count..]);
    }

    /// <summary>
    /// The <see cref="GoalIndicators"/> inputs of a mentee: 1 for each entry of <paramref name="goals"/> the mentee has —
    /// the goal, or any goal of a learned group.
    /// </summary>
    public static float[] GoalIndicatorsOf(PersonProfile mentee, IReadOnlyList<string> goals)
    {
        var x = new float[GoalIndicators];
        for (var g = 0; g < goals.Count && g < GoalIndicators; g++)
        {
            x[g] = GoalGroups.Members(goals[g]).Any(mentee.Application.Goals.Contains) ? 1 : 0;
        }

        return x;
    }

    /// <summary>Name of input i (feature names, then <c>mentee_goal:&lt;tag&gt;</c>).</summary>
    public static string Name(int i, IReadOnlyList<string> goals) =>
        i < PairFeatures.Count ? PairFeatures.Names[i] : i - PairFeatures.Count < goals.Count ? "mentee_goal:" + goals[i - PairFeatures.Count] : "mentee_goal:none";
}
