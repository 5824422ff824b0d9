using System.Numerics;

namespace MentorFlow.Reporting.Matching;

/// <summary>
/// The features of a (mentor, mentee) pair, computed from the application data only. Every feature is a number in
/// [0, 1] (seniority gap excepted, see below); the order is the model's feature schema (<see cref="Names"/>,
/// <see cref="SchemaVersion"/>). The README of MentorFlow.Reporting documents each one.
/// </summary>
public static class PairFeatures
{
    /// <summary>Bumped whenever a feature is added, removed, reordered or computed differently.</summary>
    public const int SchemaVersion = 5;

    public const int InterestOverlap = 0;
    public const int InterestCoverage = 1;
    public const int SameCareerPath = 2;
    public const int SameCareerFamily = 3;
    public const int SwitchTarget = 4;
    public const int GoalCoverage = 5;
    public const int ExpertiseMatch = 6;
    public const int SeniorityGap = 7;
    public const int MentorLessSenior = 8;
    public const int TimeZoneDistance = 9;
    public const int SharedLanguage = 10;
    public const int CommunicationOverlap = 11;
    public const int LengthDistance = 12;
    public const int HoursFit = 13;
    public const int StatementSimilarity = 14;
    public const int CareerAndGoals = 15;
    public const int InterestsAndGoals = 16;
    public const int TimeZoneDistanceSquared = 17;
    public const int SeniorityGapSquared = 18;
    public const int SharedInterests = 19;
    public const int GoalsCovered = 20;
    public const int LiveChannels = 21;
    public const int MenteeSeniority = 22;
    public const int MissingInformation = 23;
    public const int MenteeSwitching = 24;
    public const int SeniorityGapOver3 = 25;
    public const int SeniorityGapOver8 = 26;
    public const int SeniorityGapOver15 = 27;
    public const int TimeZoneOver3Hours = 28;
    public const int TimeZoneOver6Hours = 29;
    public const int BothLiveOnly = 30;
    public const int HoursShortfall = 31;
    public const int NoCommonLanguage = 32;
    public const int LanguageUnknown = 33;
    public const int ChannelsUnknown = 34;
    public const int HoursUnknown = 35;
    public const int CannotMeetLive = 36;
    public const int HardIncompatibility = 37;
    public const int AnyGoalCovered = 38;
    public const int TwoGoalsCovered = 39;
    public const int TwoSharedInterests = 40;
    public const int SeniorityGap0To2 = 41;
    public const int SeniorityGap2To5 = 42;
    public const int SeniorityGap5To10 = 43;
    public const int SeniorityGap10To15 = 44;
    public const int SeniorityGapOver15Years = 45;
    public const int MenteeJunior = 46;
    public const int NoCommonChannel = 47;
    public const int LengthTwoSteps = 48;
    public const int MentorShorterLength = 49;
    public const int MentorTimeUnderHalf = 50;

    /// <summary>
    /// The years of the seniority-gap steps (<c>seniority_gap_at_least_N</c>, 1 when the mentor has at least N more
    /// years): every year from 1 to 20 the bins do not already start at. With the bins they draw a sweet spot or a
    /// cut-off of any ends (e.g. 2–7 years, or nothing gained past 17).
    /// </summary>
    public static readonly IReadOnlyList<int> SeniorityGapStepYears = [1, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14, 16, 17, 18, 19, 20];

    /// <summary>Index of the first seniority-gap step (<see cref="SeniorityGapStepYears"/>, in that order).</summary>
    public const int SeniorityGapStepsStart = 51;

    /// <summary>
    /// The hours of the finer time-zone hinges (<c>timezone_over_Nh</c>, the hours beyond N ÷ (12 − N)), beside the
    /// hinges at 3 and 6: a cost that starts after the first hour or two.
    /// </summary>
    public static readonly IReadOnlyList<int> TimeZoneHingeHours = [1, 2, 4];

    /// <summary>Index of the first finer time-zone hinge (<see cref="TimeZoneHingeHours"/>, in that order).</summary>
    public const int TimeZoneHingesStart = 67;

    /// <summary>Number of features (the length of a feature vector).</summary>
    public const int Count = 70;

    /// <summary>
    /// The feature that gives the fact of <paramref name="feature"/> plainly: the seniority gap for its steps, the
    /// time-zone distance for its finer hinges, the feature itself otherwise (reasons speak of the fact).
    /// </summary>
    public static int BasicForm(int feature) => feature switch
    {
        >= SeniorityGapStepsStart and < TimeZoneHingesStart => SeniorityGap,
        >= TimeZoneHingesStart and < Count => TimeZoneDistance,
        _ => feature,
    };

    /// <summary>
    /// The direction a fact can move a pair's chances in any programme, per feature: +1 never hurts (shared interests,
    /// the same or the wanted career path, goals covered, a common language or channel, the mentor's time), −1 never
    /// helps (hours apart, different lengths, no common language or channel, a mentor less senior, a mentor short of
    /// time, a hard incompatibility), 0 either way (the seniority gap and its shapes, which draw sweet spots, the
    /// time-zone hinges and squares, facts about the mentee alone, unknown fields). The lassos keep a main effect's
    /// weight on its side or at 0 (<see cref="LassoFit"/>): a weight against the direction only fits the noise of
    /// ~700 past pairs, and reasons never say "but they share interests".
    /// </summary>
    public static readonly IReadOnlyList<int> Directions = BuildDirections();

    private static int[] BuildDirections()
    {
        var directions = new int[Count];
        int[] helps =
        [
            InterestOverlap, InterestCoverage, SharedInterests, TwoSharedInterests, SameCareerPath, SameCareerFamily, SwitchTarget,
            GoalCoverage, GoalsCovered, AnyGoalCovered, TwoGoalsCovered, ExpertiseMatch, CareerAndGoals, InterestsAndGoals,
            SharedLanguage, CommunicationOverlap, HoursFit, StatementSimilarity,
        ];
        int[] hurts =
        [
            TimeZoneDistance, LengthDistance, LengthTwoSteps, MentorShorterLength, NoCommonLanguage, NoCommonChannel, MentorLessSenior,
            CannotMeetLive, HardIncompatibility, HoursShortfall, MentorTimeUnderHalf,
        ];
        foreach (var feature in helps)
        {
            directions[feature] = 1;
        }

        foreach (var feature in hurts)
        {
            directions[feature] = -1;
        }

        return directions;
    }

    public static readonly IReadOnlyList<string> Names =
    [
        "interest_overlap", "interest_coverage", "same_career_path", "same_career_family", "switch_target",
        "goal_coverage", "expertise_match", "seniority_gap", "mentor_less_senior", "timezone_distance",
        "shared_language", "communication_overlap", "length_distance", "hours_fit", "statement_similarity",
        "career_and_goals", "interests_and_goals", "timezone_distance_sq", "seniority_gap_sq", "shared_interests",
        "goals_covered", "live_channels", "mentee_seniority", "missing_information", "mentee_switching",
        "seniority_gap_over_3", "seniority_gap_over_8", "seniority_gap_over_15", "timezone_over_3h", "timezone_over_6h",
        "both_live_only", "hours_shortfall", "no_common_language", "language_unknown", "channels_unknown", "hours_unknown",
        "cannot_meet_live", "hard_incompatibility", "any_goal_covered", "two_goals_covered", "two_shared_interests",
        "seniority_gap_0_2", "seniority_gap_2_5", "seniority_gap_5_10", "seniority_gap_10_15", "seniority_gap_15_plus",
        "mentee_junior", "no_common_channel", "length_two_steps", "mentor_shorter_length", "mentor_time_under_half",
        .. SeniorityGapStepYears.Select(years => $"seniority_gap_at_least_{years}"),
        .. TimeZoneHingeHours.Select(hours => $"timezone_over_{hours}h"),
    ];

    /// <summary>Computes the feature vector of one pair into <paramref name="features"/> (length <see cref="Count"/>).</summary>
    public static void Compute(PersonProfile mentor, PersonProfile mentee, Span<float> features) =>
        Compute(mentor, mentee, features, includeStatement: true);

    internal static void Compute(PersonProfile mentor, PersonProfile mentee, Span<float> features, bool includeStatement)
    {
        var interestsShared = Bits.Intersection(mentor.Interests, mentee.Interests);
        var interestsUnion = mentor.InterestCount + mentee.InterestCount - interestsShared;
        features[InterestOverlap] = interestsUnion == 0 ? 0 : (float)interestsShared / interestsUnion;
        features[InterestCoverage] = mentee.InterestCount == 0 ? 0 : (float)interestsShared / mentee.InterestCount;

        var sameCareer = mentor.CareerPath == mentee.CareerPath;
        features[SameCareerPath] = sameCareer ? 1 : 0;
        features[SameCareerFamily] = mentor.CareerFamily == mentee.CareerFamily ? 1 : 0;
        features[SwitchTarget] = !sameCareer && Bits.Contains(mentee.Goals, mentor.CareerPath) ? 1 : 0;

        var goalsCovered = Bits.Intersection(mentee.Goals, mentor.Offers);
        features[GoalCoverage] = mentee.GoalCount == 0 ? 0 : (float)goalsCovered / mentee.GoalCount;
        features[SharedInterests] = Math.Min(interestsShared, 4) / 4f;
        features[GoalsCovered] = Math.Min(goalsCovered, 3) / 3f;
        features[ExpertiseMatch] = mentee.WantCount == 0 ? 0 : (float)Bits.Intersection(mentee.Wants, mentor.Expertise) / mentee.WantCount;

        var gap = mentor.SeniorityYears - mentee.SeniorityYears;
        var gapScaled = Math.Clamp(gap, -10, 30) / 10f;
        features[SeniorityGap] = gapScaled;
        features[MentorLessSenior] = gap < 0 ? 1 : 0;

        var hours = Math.Abs(mentor.UtcOffsetHours - mentee.UtcOffsetHours);
        hours = Math.Min(hours, 24 - hours);
        var tz = (float)(hours / 12.0);
        features[TimeZoneDistance] = tz;

        // A field someone left empty counts as what people like them wrote (Imputation): expected values, not guesses.
        var languageShare = Imputation.LanguageShare(mentor, mentee);
        var channels = mentee.Imputed.Channels(mentor.Communication, mentee.Communication);
        features[SharedLanguage] = (float)languageShare;
        features[CommunicationOverlap] = (float)channels.Overlap;
        features[LengthDistance] = Math.Abs((int)mentor.PreferredLength - (int)mentee.PreferredLength) / 2f;
        features[HoursFit] = mentor.HoursPerMentee is { } give && mentee.HoursPerMonth is { } want
            ? (float)Math.Min(1.0, give / want)
            : 0.75f;

        features[StatementSimilarity] = includeStatement ? Statements.Cosine(mentor.Statement, mentee.Statement) : 0;

        var careerFit = Math.Max(features[SameCareerPath], Math.Max(features[SwitchTarget], 0.5f * features[SameCareerFamily]));
        features[CareerAndGoals] = careerFit * features[GoalCoverage];
        features[InterestsAndGoals] = features[InterestCoverage] * features[GoalCoverage];
        features[TimeZoneDistanceSquared] = tz * tz;
        features[SeniorityGapSquared] = gapScaled * gapScaled;

        features[LiveChannels] = (float)channels.Live;
        features[MenteeSeniority] = Math.Min(mentee.SeniorityYears, 20) / 20f;
        var missing = (mentor.Languages == 0 || mentee.Languages == 0 ? 1 : 0) +
                      (mentor.Communication == 0 || mentee.Communication == 0 ? 1 : 0) +
                      (mentor.HoursPerMentee is null || mentee.HoursPerMonth is null ? 1 : 0);
        features[MissingInformation] = missing / 3f;
        features[MenteeSwitching] = mentee.Switching ? 1 : 0;

        // Hinges: with the gap and the distance themselves they make piecewise-linear effects (sweet spots, cut-offs).
        features[SeniorityGapOver3] = Math.Clamp(gap - 3, 0, 27) / 10f;
        features[SeniorityGapOver8] = Math.Clamp(gap - 8, 0, 22) / 10f;
        features[SeniorityGapOver15] = Math.Clamp(gap - 15, 0, 15) / 10f;
        features[TimeZoneOver3Hours] = (float)(Math.Max(0, hours - 3) / 9);
        features[TimeZoneOver6Hours] = (float)(Math.Max(0, hours - 6) / 6);
        features[BothLiveOnly] = (float)channels.BothLiveOnly;
        features[HoursShortfall] = mentor.HoursPerMentee is { } giving && mentee.HoursPerMonth is { } wanting && wanting > 0
            ? (float)Math.Max(0, 1 - (2 * giving / wanting))
            : 0;

        // Indicators: each unknown field on its own, hard incompatibilities, counts reached, and the seniority gap in
        // bins (with the indicators a linear model draws any step-shaped effect, GAM-like, without a fixed formula).
        var languageUnknown = mentor.Languages == 0 || mentee.Languages == 0;
        var channelsUnknown = mentor.Communication == 0 || mentee.Communication == 0;
        features[NoCommonLanguage] = (float)(1 - languageShare);
        features[LanguageUnknown] = languageUnknown ? 1 : 0;
        features[ChannelsUnknown] = channelsUnknown ? 1 : 0;
        features[HoursUnknown] = mentor.HoursPerMentee is null || mentee.HoursPerMonth is null ? 1 : 0;
        features[CannotMeetLive] = hours >= 6 ? features[BothLiveOnly] : 0;
        features[HardIncompatibility] = Math.Max(features[NoCommonLanguage], features[CannotMeetLive]);
        features[AnyGoalCovered] = goalsCovered >= 1 ? 1 : 0;
        features[TwoGoalsCovered] = goalsCovered >= 2 ? 1 : 0;
        features[TwoSharedInterests] = interestsShared >= 2 ? 1 : 0;
        features[SeniorityGap0To2] = gap is >= 0 and < 2 ? 1 : 0;
        features[SeniorityGap2To5] = gap is >= 2 and < 5 ? 1 : 0;
        features[SeniorityGap5To10] = gap is >= 5 and < 10 ? 1 : 0;
        features[SeniorityGap10To15] = gap is >= 10 and < 15 ? 1 : 0;
        features[SeniorityGapOver15Years] = gap >= 15 ? 1 : 0;
        features[MenteeJunior] = mentee.SeniorityYears < 3 ? 1 : 0;
        features[NoCommonChannel] = (float)(1 - channels.Common);
        features[LengthTwoSteps] = features[LengthDistance] >= 1 ? 1 : 0;

        // Direction of a length mismatch: a mentor who wants to stop before the mentee is done (steps, 0, ½, 1) is not
        // the same as a mentor willing to stay longer.
        features[MentorShorterLength] = Math.Max(0, (int)mentee.PreferredLength - (int)mentor.PreferredLength) / 2f;

        // The step beside the shortfall hinge: a mentor who offers less than half the time the mentee asks for (both known).
        features[MentorTimeUnderHalf] = mentor.HoursPerMentee is { } offer && mentee.HoursPerMonth is { } ask && offer < ask / 2 ? 1 : 0;

        // Finer steps and hinges (read by the main-effects candidates only, ModelInputs.MainEffectsOnly).
        for (var s = 0; s < SeniorityGapStepYears.Count; s++)
        {
            features[SeniorityGapStepsStart + s] = gap >= SeniorityGapStepYears[s] ? 1 : 0;
        }

        for (var h = 0; h < TimeZoneHingeHours.Count; h++)
        {
            features[TimeZoneHingesStart + h] = (float)(Math.Max(0, hours - TimeZoneHingeHours[h]) / (12 - TimeZoneHingeHours[h]));
        }
    }

    public static float[] Compute(PersonProfile mentor, PersonProfile mentee)
    {
        var features = new float[Count];
        Compute(mentor, mentee, features);
        return features;
    }
}

/// <summary>Set operations on tag bitsets (one bit per tag of a <see cref="ProfileSpace"/>'s vocabulary).</summary>
internal static class Bits
{
    public static int Intersection(ulong[] a, ulong[] b)
    {
        var count = 0;
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            count += BitOperations.PopCount(a[i] & b[i]);
        }

        return count;
    }

    public static bool Contains(ulong[] set, int bit) =>
        bit >= 0 && (bit >> 6) < set.Length && (set[bit >> 6] & (1UL << (bit & 63))) != 0;

    public static ulong[] Of(IEnumerable<int> bits, int words)
    {
        var set = new ulong[words];
        foreach (var bit in bits)
        {
            set[bit >> 6] |= 1UL << (bit & 63);
        }

        return set;
    }
}
