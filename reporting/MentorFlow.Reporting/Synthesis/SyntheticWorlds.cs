using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Matching;

namespace MentorFlow.Reporting.Synthesis;

/// <summary>
/// The ground-truth family of a synthetic world: how the true probability that a pair succeeds depends on the two
/// applications, how people fill in their applications and how outcomes are recorded. Each family is documented in
/// the Reporting README ("Synthetic worlds").
/// </summary>
public enum SyntheticWorld
{
    /// <summary>The original world (<see cref="CompatibilityRule"/>): career and goals dominate, as a naive matcher assumes.</summary>
    Classic,

    /// <summary>A sum of independent effects in the logit, most of them on fields a naive matcher ignores.</summary>
    Additive,

    /// <summary>Effects that depend on each other: the seniority gap's value depends on the mentee's goal, time zones matter only to synchronous communicators.</summary>
    Interactions,

    /// <summary>Hard incompatibilities (no common language, availability that cannot meet, too little mentor time) and step effects.</summary>
    Thresholds,

    /// <summary>Missing application fields, label noise and noisy satisfaction over a mixed rule.</summary>
    Noisy,

    /// <summary>A structure drawn from the seed (<see cref="DrawnTruth"/>): every seed is a different world no model was tuned to.</summary>
    Drawn,
}

/// <summary>The true P(success) of a pair in a synthetic world (hidden from the model).</summary>
public abstract class GroundTruth
{
    /// <summary>True P(success) of the pair.</summary>
    public double Probability(Application mentor, Application mentee) => Probability(mentor, mentee, Hidden(mentor.Id));

    /// <summary>
    /// P(success) without the hidden mentor trait: the best any model that reads complete applications could know
    /// (where people leave fields empty, <see cref="SyntheticData.ObservableProbability"/> averages it over what they
    /// did not write: the ceiling of the quality table).
    /// </summary>
    public double Visible(Application mentor, Application mentee) => Probability(mentor, mentee, 0);

    /// <summary>The hidden mentor trait added to the logit (warmth; no application field reveals it).</summary>
    public abstract double Hidden(string mentorId);

    /// <summary>P(success) given the hidden trait's value.</summary>
    protected abstract double Probability(Application mentor, Application mentee, double hidden);

    /// <summary>The truth of a world, seeded like the data it generates.</summary>
    public static GroundTruth For(SyntheticWorld world, int seed) => world switch
    {
        SyntheticWorld.Classic => new CompatibilityRule(seed),
        SyntheticWorld.Additive => new AdditiveTruth(seed),
        SyntheticWorld.Interactions => new InteractionTruth(seed),
        SyntheticWorld.Thresholds => new ThresholdTruth(seed),
        SyntheticWorld.Noisy => new NoisyTruth(seed),
        SyntheticWorld.Drawn => new DrawnTruth(seed),
        _ => throw new ArgumentOutOfRangeException(nameof(world), world, "unknown world"),
    };

    /// <summary>Parses a world name (case-insensitive, as <c>synth --world</c> takes it).</summary>
    public static SyntheticWorld? Parse(string name) =>
        Enum.TryParse<SyntheticWorld>(name, ignoreCase: true, out var world) && Enum.IsDefined(world) && !int.TryParse(name, out _) ? world : null;

    /// <summary>Names of every world, lower case.</summary>
    public static IReadOnlyList<string> Names => [.. Enum.GetValues<SyntheticWorld>().Select(w => w.ToString().ToLowerInvariant())];

    /// <summary>A hidden mentor trait (mean 0, sd ≈ 0.25) that no application field reveals.</summary>
    protected static double Warmth(int seed, string mentorId)
    {
        var hash = (uint)seed * 2654435761u;
        foreach (var c in mentorId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        var r = new Random((int)(hash & 0x7FFFFFFF));
        return 0.5 * (r.NextDouble() + r.NextDouble() + r.NextDouble() - 1.5);
    }

    protected static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Goals of the mentee the mentor has as a goal or expertise.</summary>
    protected static int GoalsCovered(Application mentor, Application mentee)
    {
        var covered = 0;
        foreach (var goal in mentee.Goals)
        {
            covered += Contains(mentor.Goals, goal) || Contains(mentor.Expertise, goal) ? 1 : 0;
        }

        return covered;
    }

    protected static int SharedInterests(Application mentor, Application mentee)
    {
        var shared = 0;
        foreach (var interest in mentee.Interests)
        {
            shared += Contains(mentor.Interests, interest) ? 1 : 0;
        }

        return shared;
    }

    private static bool Contains(IReadOnlyList<string> tags, string tag)
    {
        for (var i = 0; i < tags.Count; i++)
        {
            if (string.Equals(tags[i], tag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>False when both name languages and none is common; null when either names none.</summary>
    protected static bool? CommonLanguage(Application mentor, Application mentee) =>
        mentor.Languages.Count == 0 || mentee.Languages.Count == 0 ? null : Shares(mentor.Languages, mentee.Languages);

    /// <summary>Whether the two lists have a tag in common (a loop: the truth is evaluated millions of times per quality table).</summary>
    protected static bool Shares(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        for (var i = 0; i < a.Count; i++)
        {
            for (var j = 0; j < b.Count; j++)
            {
                if (string.Equals(a[i], b[j], StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Only live channels (video, phone, in person) among the person's preferences.</summary>
    protected static bool Synchronous(Application a)
    {
        for (var i = 0; i < a.Communication.Count; i++)
        {
            if (a.Communication[i] is not ("video" or "phone" or "in-person"))
            {
                return false;
            }
        }

        return a.Communication.Count > 0;
    }

    protected static bool Wants(Application mentee, params string[] goals) => goals.Any(mentee.Goals.Contains);

    protected static double HoursApart(string a, string b)
    {
        var oa = Offsets.GetOrAdd(a, id => TimeZoneInfo.FindSystemTimeZoneById(id).BaseUtcOffset.TotalHours);
        var ob = Offsets.GetOrAdd(b, id => TimeZoneInfo.FindSystemTimeZoneById(id).BaseUtcOffset.TotalHours);
        var d = Math.Abs(oa - ob);
        return Math.Min(d, 24 - d);
    }

    /// <summary>Mentor hours per mentee ÷ mentee's wanted hours (null when either is unknown).</summary>
    protected static double? TimeRatio(Application mentor, Application mentee) =>
        mentor.HoursPerMonth is { } give && mentee.HoursPerMonth is { } want && want > 0 ? give / Math.Max(1, mentor.Capacity) / want : null;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, double> Offsets = new(StringComparer.Ordinal);
}

/// <summary>
/// Additive: z = −2.2 + 0.8 same path (or 0.7 the mentee's target path, 0.3 same family) + 0.55 × goals covered (≤ 3)
/// + 0.12 × shared interests (≤ 4) − 0.16 × hours apart + 1.2 common language − 0.07 × |gap − 8 years| + 0.4 common
/// channel − 0.3 × length steps + 0.6 × min(mentor time ÷ wanted time, 1) + warmth.
/// </summary>
public sealed class AdditiveTruth(int seed) : GroundTruth
{
    public override double Hidden(string mentorId) => Warmth(seed, mentorId);

    protected override double Probability(Application mentor, Application mentee, double hidden)
    {
        var z = -2.2;
        z += mentor.CareerPath == mentee.CareerPath ? 0.8
            : mentee.Goals.Contains(mentor.CareerPath) ? 0.7
            : CareerFamilies.Of(mentor.CareerPath) == CareerFamilies.Of(mentee.CareerPath) ? 0.3 : 0;
        z += 0.55 * Math.Min(GoalsCovered(mentor, mentee), 3);
        z += 0.12 * Math.Min(SharedInterests(mentor, mentee), 4);
        z -= 0.16 * HoursApart(mentor.TimeZone, mentee.TimeZone);
        z += CommonLanguage(mentor, mentee) switch { true => 1.2, null => 0.6, false => 0 };
        z -= 0.07 * Math.Min(Math.Abs(mentor.SeniorityYears - mentee.SeniorityYears - 8), 20);
        z += Shares(mentor.Communication, mentee.Communication) ? 0.4 : 0;
        z -= 0.3 * Math.Abs((int)mentor.PreferredLength - (int)mentee.PreferredLength);
        z += 0.6 * Math.Min(TimeRatio(mentor, mentee) ?? 0.7, 1);
        z += hidden;
        return Sigmoid(z);
    }
}

/// <summary>
/// Interactions: what helps depends on who the mentee is.
/// Leadership seekers (goals leadership, management, promotion or strategy) gain +0.09 per year of seniority gap up to
/// 20 and lose 1.0 below 5 years; craft seekers (technical-depth, side-projects) gain +1.6 from the same career path
/// and nothing from seniority; everyone else gains +0.7 for a gap of 2–10 years. Career switchers (a goal names another
/// path) gain +1.8 from a mentor in that path and lose 0.6 from one in their current path. Time-zone distance costs
/// 0.35 per hour beyond one only when both are synchronous communicators (only video, phone or in person). Shared
/// interests (+0.35 each, ≤ 3) count only when the mentor covers a goal (+0.5 per goal, ≤ 2). No common language −1.5;
/// a mentee wanting 9–12 months with a mentor offering 3–6 −1.0; junior mentees (&lt; 3 years) gain 0.9 × the mentor
/// time ratio (≤ 1). Base −1.6, plus warmth.
/// </summary>
public sealed class InteractionTruth(int seed) : GroundTruth
{
    public override double Hidden(string mentorId) => Warmth(seed, mentorId);

    protected override double Probability(Application mentor, Application mentee, double hidden)
    {
        var z = -1.6;
        var gap = mentor.SeniorityYears - mentee.SeniorityYears;
        var sameCareer = mentor.CareerPath == mentee.CareerPath;
        if (Wants(mentee, "leadership", "management", "promotion", "strategy"))
        {
            z += 0.09 * Math.Clamp(gap, 0, 20) - (gap < 5 ? 1.0 : 0);
        }
        else if (Wants(mentee, "technical-depth", "side-projects"))
        {
            z += sameCareer ? 1.6 : 0;
        }
        else
        {
            z += gap is >= 2 and <= 10 ? 0.7 : 0;
        }

        var switcher = mentee.Goals.Any(g => g != mentee.CareerPath && CareerFamilies.KnownPaths.Contains(g));
        if (switcher)
        {
            z += mentee.Goals.Contains(mentor.CareerPath) ? 1.8 : sameCareer ? -0.6 : 0;
        }
        else if (sameCareer)
        {
            z += 0.5;
        }

        if (Synchronous(mentor) && Synchronous(mentee))
        {
            z -= 0.35 * Math.Max(0, HoursApart(mentor.TimeZone, mentee.TimeZone) - 1);
        }

        var covered = GoalsCovered(mentor, mentee);
        z += 0.5 * Math.Min(covered, 2);
        if (covered > 0)
        {
            z += 0.35 * Math.Min(SharedInterests(mentor, mentee), 3);
        }

        if (CommonLanguage(mentor, mentee) == false)
        {
            z -= 1.5;
        }

        if (mentee.PreferredLength == ProgrammeLength.NineToTwelve && mentor.PreferredLength == ProgrammeLength.ThreeToSix)
        {
            z -= 1.0;
        }

        if (mentee.SeniorityYears < 3)
        {
            z += 0.9 * Math.Min(TimeRatio(mentor, mentee) ?? 0.5, 1);
        }

        z += hidden;
        return Sigmoid(z);
    }
}

/// <summary>
/// Thresholds: hard incompatibilities make a pair almost certainly fail — no common language (p = 0.03), both
/// synchronous communicators more than 5 hours apart (p = 0.05); mentor time per mentee below half what the mentee
/// wants multiplies p by 0.4. Otherwise steps: z = −1.0 + 1.3 when the mentor covers ≥ 2 goals (0.6 for one) + 1.0 same
/// or target path + 0.8 for a gap of 3–12 years (−1.2 when the mentor is less senior) + 0.5 for ≥ 2 shared interests
/// + warmth.
/// </summary>
public sealed class ThresholdTruth(int seed) : GroundTruth
{
    public override double Hidden(string mentorId) => Warmth(seed, mentorId);

    protected override double Probability(Application mentor, Application mentee, double hidden)
    {
        if (CommonLanguage(mentor, mentee) == false)
        {
            return 0.03;
        }

        if (Synchronous(mentor) && Synchronous(mentee) && HoursApart(mentor.TimeZone, mentee.TimeZone) > 5)
        {
            return 0.05;
        }

        var z = -1.0;
        var covered = GoalsCovered(mentor, mentee);
        z += covered >= 2 ? 1.3 : covered == 1 ? 0.6 : 0;
        z += mentor.CareerPath == mentee.CareerPath || mentee.Goals.Contains(mentor.CareerPath) ? 1.0 : 0;
        var gap = mentor.SeniorityYears - mentee.SeniorityYears;
        z += gap < 0 ? -1.2 : gap is >= 3 and <= 12 ? 0.8 : 0;
        z += SharedInterests(mentor, mentee) >= 2 ? 0.5 : 0;
        z += hidden;
        var p = Sigmoid(z);
        return TimeRatio(mentor, mentee) is < 0.5 ? 0.4 * p : p;
    }
}

/// <summary>
/// Noisy: a mixed rule — z = −1.8 + 0.9 same or target path + 0.6 × goals covered (≤ 2) + 0.2 × shared interests (≤ 3)
/// − 1.6 no common language − 0.25 × hours apart beyond 3 for synchronous pairs + 0.06 × gap (0–15 years) − 0.8 when
/// the mentor is less senior + warmth (sd 0.5) — observed through sparse applications (a third of people leave
/// languages, hours and communication empty, a fifth write no statement) and noisy outcomes (satisfaction sd 0.9, 15%
/// of completed and goal-met flags flipped).
/// </summary>
public sealed class NoisyTruth(int seed) : GroundTruth
{
    public override double Hidden(string mentorId) => 2 * Warmth(seed, mentorId);

    protected override double Probability(Application mentor, Application mentee, double hidden)
    {
        var z = -1.8;
        z += mentor.CareerPath == mentee.CareerPath || mentee.Goals.Contains(mentor.CareerPath) ? 0.9 : 0;
        z += 0.6 * Math.Min(GoalsCovered(mentor, mentee), 2);
        z += 0.2 * Math.Min(SharedInterests(mentor, mentee), 3);
        if (CommonLanguage(mentor, mentee) == false)
        {
            z -= 1.6;
        }

        if (Synchronous(mentor) && Synchronous(mentee))
        {
            z -= 0.25 * Math.Max(0, HoursApart(mentor.TimeZone, mentee.TimeZone) - 3);
        }

        var gap = mentor.SeniorityYears - mentee.SeniorityYears;
        z += 0.06 * Math.Clamp(gap, 0, 15) - (gap < 0 ? 0.8 : 0);
        z += hidden;
        return Sigmoid(z);
    }
}
