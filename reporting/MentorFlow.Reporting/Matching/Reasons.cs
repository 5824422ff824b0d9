using System.Globalization;

namespace MentorFlow.Reporting.Matching;

/// <summary>Turns feature contributions into the readable reasons of pairs.csv, e.g. <c>shared interests 0.6; same career path</c>.</summary>
public static class Reasons
{
    public const int Shown = 3;

    /// <summary>A readable phrase for a feature of this pair, or null when its value is no reason to match.</summary>
    public static string? Describe(int feature, ReadOnlySpan<float> f)
    {
        feature = PairFeatures.BasicForm(feature);
        var v = f[feature];
        return feature switch
        {
            PairFeatures.InterestOverlap when v > 0 => Invariant($"shared interests {v:0.##}"),
            PairFeatures.InterestCoverage when v > 0 => Invariant($"covers {v * 100:0}% of the mentee's interests"),
            PairFeatures.SameCareerPath when v >= 1 => "same career path",
            PairFeatures.SameCareerFamily when v >= 1 && f[PairFeatures.SameCareerPath] < 1 => "related career path",
            PairFeatures.SwitchTarget when v >= 1 => "mentor works in the career the mentee wants to move to",
            PairFeatures.GoalCoverage or PairFeatures.GoalsCovered or PairFeatures.AnyGoalCovered or PairFeatures.TwoGoalsCovered when f[PairFeatures.GoalCoverage] > 0 =>
                Invariant($"helps with {f[PairFeatures.GoalCoverage] * 100:0}% of the mentee's goals"),
            PairFeatures.ExpertiseMatch when v > 0 => Invariant($"expertise fits the mentee's goals {v:0.##}"),
            PairFeatures.SeniorityGap or PairFeatures.SeniorityGapSquared or PairFeatures.SeniorityGapOver3 or PairFeatures.SeniorityGapOver8
                or PairFeatures.SeniorityGapOver15 when f[PairFeatures.SeniorityGap] > 0 =>
                Invariant($"{Math.Round(f[PairFeatures.SeniorityGap] * 10):0} more years of experience"),
            PairFeatures.TimeZoneDistance or PairFeatures.TimeZoneDistanceSquared or PairFeatures.TimeZoneOver3Hours or PairFeatures.TimeZoneOver6Hours =>
                TimeZones(f[PairFeatures.TimeZoneDistance] * 12),
            // Estimated values (a field left empty, see Imputation) are never stated as facts.
            PairFeatures.SharedLanguage when v >= 1 && f[PairFeatures.LanguageUnknown] == 0 => "shared language",
            PairFeatures.SharedLanguage when v >= 0.75f => Invariant($"likely a common language ({v * 100:0}%; languages not given)"),
            PairFeatures.CommunicationOverlap when v >= 0.99f && f[PairFeatures.ChannelsUnknown] == 0 => "same communication preference",
            PairFeatures.CommunicationOverlap when v > 0 && f[PairFeatures.ChannelsUnknown] == 0 => "shared communication channel",
            PairFeatures.LengthDistance when v == 0 => "same preferred programme length",
            PairFeatures.HoursFit when v >= 0.99f => "enough mentor time per month",
            PairFeatures.StatementSimilarity when v >= 0.1f => Invariant($"similar statements {v:0.##}"),
            PairFeatures.SharedInterests when v > 0 => Invariant($"{Math.Round(v * 4):0} shared interests"),
            PairFeatures.CareerAndGoals when v > 0 => "career path and goals both fit",
            PairFeatures.InterestsAndGoals when v > 0 => "interests and goals both fit",
            PairFeatures.LiveChannels or PairFeatures.BothLiveOnly when f[PairFeatures.LiveChannels] >= 0.99f && f[PairFeatures.ChannelsUnknown] == 0 => "both prefer to meet live",
            _ => null,
        };
    }

    /// <summary>The top readable reasons, by decreasing contribution, without repeats; only positive contributions count.</summary>
    public static string Join(ReadOnlySpan<float> features, ReadOnlySpan<double> contributions, int shown = Shown)
    {
        var order = new int[contributions.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var copy = contributions.ToArray();
        Array.Sort(order, (a, b) => copy[b].CompareTo(copy[a]) is var c && c != 0 ? c : a.CompareTo(b));
        var phrases = new List<string>();
        var topics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var feature in order)
        {
            if (copy[feature] <= 0 || phrases.Count == shown)
            {
                break;
            }

            var phrase = Describe(feature, features);
            if (phrase is not null && topics.Add(Topic(feature)))
            {
                phrases.Add(phrase);
            }
        }

        return string.Join("; ", phrases);
    }

    /// <summary>
    /// The strongest reason against the pair in plain words (the most negative contribution that has a phrase, if it
    /// costs at least <paramref name="threshold"/> on the raw scale), or null.
    /// </summary>
    public static string? Against(ReadOnlySpan<float> features, ReadOnlySpan<double> contributions, double threshold = 0.05)
    {
        string? phrase = null;
        var worst = -threshold;
        for (var i = 0; i < contributions.Length; i++)
        {
            if (contributions[i] < worst && DescribeAgainst(i, features) is { } text)
            {
                worst = contributions[i];
                phrase = text;
            }
        }

        return phrase;
    }

    /// <summary>A readable phrase for a feature of this pair that counts against it, or null.</summary>
    public static string? DescribeAgainst(int feature, ReadOnlySpan<float> f)
    {
        feature = PairFeatures.BasicForm(feature);
        var v = f[feature];
        return feature switch
        {
            PairFeatures.SharedLanguage or PairFeatures.NoCommonLanguage or PairFeatures.HardIncompatibility
                when f[PairFeatures.NoCommonLanguage] >= 1 && f[PairFeatures.LanguageUnknown] == 0 => "no common language",
            PairFeatures.SharedLanguage or PairFeatures.NoCommonLanguage or PairFeatures.HardIncompatibility when f[PairFeatures.NoCommonLanguage] >= 0.5f =>
                Invariant($"probably no common language ({f[PairFeatures.NoCommonLanguage] * 100:0}%; languages not given)"),
            PairFeatures.CannotMeetLive or PairFeatures.HardIncompatibility when f[PairFeatures.CannotMeetLive] >= 1 =>
                Invariant($"both meet only live, {f[PairFeatures.TimeZoneDistance] * 12:0.#} h apart"),
            PairFeatures.TimeZoneDistance or PairFeatures.TimeZoneDistanceSquared or PairFeatures.LiveChannels or PairFeatures.TimeZoneOver3Hours
                or PairFeatures.TimeZoneOver6Hours or PairFeatures.BothLiveOnly when f[PairFeatures.TimeZoneDistance] * 12 > 3 =>
                Invariant($"time zones {f[PairFeatures.TimeZoneDistance] * 12:0.#} h apart"),
            PairFeatures.MentorLessSenior when v >= 1 => "mentor has less experience than the mentee",
            PairFeatures.SeniorityGap or PairFeatures.SeniorityGapSquared or PairFeatures.SeniorityGapOver8 or PairFeatures.SeniorityGapOver15
                when f[PairFeatures.SeniorityGap] >= 1.5f =>
                Invariant($"a large experience gap ({Math.Round(f[PairFeatures.SeniorityGap] * 10):0} years)"),
            PairFeatures.SeniorityGap or PairFeatures.SeniorityGapSquared when f[PairFeatures.SeniorityGap] < 0.3f => "little difference in experience",
            PairFeatures.MentorShorterLength when v > 0 => "mentor prefers a shorter programme than the mentee",
            PairFeatures.LengthDistance or PairFeatures.LengthTwoSteps when f[PairFeatures.LengthDistance] > 0 => "different preferred programme lengths",
            PairFeatures.HoursFit or PairFeatures.HoursShortfall when f[PairFeatures.HoursFit] < 0.75f => "mentor has less time per month than the mentee wants",
            PairFeatures.GoalCoverage or PairFeatures.GoalsCovered or PairFeatures.AnyGoalCovered when f[PairFeatures.GoalCoverage] == 0 => "helps with none of the mentee's goals",
            PairFeatures.InterestCoverage or PairFeatures.InterestOverlap or PairFeatures.SharedInterests when f[PairFeatures.InterestCoverage] == 0 => "no shared interests",
            PairFeatures.SameCareerPath or PairFeatures.CareerAndGoals when f[PairFeatures.SameCareerPath] == 0 && f[PairFeatures.SwitchTarget] == 0 => "different career path",
            PairFeatures.SameCareerPath when v >= 1 && f[PairFeatures.MenteeSwitching] >= 1 => "mentor works in the career the mentee wants to leave",
            PairFeatures.CommunicationOverlap or PairFeatures.NoCommonChannel when f[PairFeatures.NoCommonChannel] >= 1 && f[PairFeatures.ChannelsUnknown] == 0 =>
                "no common communication channel",
            PairFeatures.MissingInformation when v > 0 => "some preferences unknown",
            _ => null,
        };
    }

    /// <summary>The chance of success with its interval, e.g. <c>success chance 62% (90% interval 55–69%)</c>.</summary>
    public static string Chance(ScoreInterval interval) =>
        Invariant($"success chance {interval.Probability * 100:0}% (90% interval {interval.Low * 100:0}–{interval.High * 100:0}%)");

    /// <summary>At most one reason per topic, so a pair is not explained twice by the same fact.</summary>
    private static string Topic(int feature) => PairFeatures.BasicForm(feature) switch
    {
        PairFeatures.InterestOverlap or PairFeatures.InterestCoverage or PairFeatures.SharedInterests => "interests",
        PairFeatures.GoalCoverage or PairFeatures.GoalsCovered => "goals",
        PairFeatures.SameCareerPath or PairFeatures.SameCareerFamily or PairFeatures.SwitchTarget => "career",
        PairFeatures.SeniorityGap or PairFeatures.SeniorityGapSquared or PairFeatures.MentorLessSenior or PairFeatures.SeniorityGapOver3
            or PairFeatures.SeniorityGapOver8 or PairFeatures.SeniorityGapOver15 => "seniority",
        PairFeatures.TimeZoneDistance or PairFeatures.TimeZoneDistanceSquared or PairFeatures.TimeZoneOver3Hours or PairFeatures.TimeZoneOver6Hours
            or PairFeatures.CannotMeetLive => "time zone",
        PairFeatures.SeniorityGap0To2 or PairFeatures.SeniorityGap2To5 or PairFeatures.SeniorityGap5To10 or PairFeatures.SeniorityGap10To15
            or PairFeatures.SeniorityGapOver15Years => "seniority",
        PairFeatures.AnyGoalCovered or PairFeatures.TwoGoalsCovered => "goals",
        PairFeatures.TwoSharedInterests => "interests",
        PairFeatures.LengthDistance or PairFeatures.LengthTwoSteps or PairFeatures.MentorShorterLength => "length",
        _ => PairFeatures.Names[feature],
    };

    private static string? TimeZones(double hours) => hours switch
    {
        < 0.25 => "same time zone",
        <= 3 => Invariant($"time zones {hours:0.#} h apart"),
        _ => null,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
