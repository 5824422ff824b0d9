using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Matching;

namespace MentorFlow.Reporting.Synthesis;

/// <summary>
/// The hidden compatibility rule of synthetic data: the true probability that a (mentor, mentee) pair succeeds.
/// It is deliberately NOT the model's features or weights: it counts shared tags instead of ratios, has thresholds,
/// a hidden per-mentor warmth and no use of the statements. Documented in the Reporting README.
/// </summary>
public sealed class CompatibilityRule(int seed) : GroundTruth
{
    /// <summary>True P(success) of the pair.</summary>
    public override double Hidden(string mentorId) => Warmth(mentorId);

    protected override double Probability(Application mentor, Application mentee, double hidden)
    {
        var z = -1.4;

        if (mentor.CareerPath == mentee.CareerPath)
        {
            z += 1.3;
        }
        else if (mentee.Goals.Contains(mentor.CareerPath))
        {
            z += 1.1; // the mentee wants to move into the mentor's career
        }
        else if (CareerFamilies.Of(mentor.CareerPath) == CareerFamilies.Of(mentee.CareerPath))
        {
            z += 0.5;
        }

        var helps = mentee.Goals.Count(g => mentor.Goals.Contains(g) || mentor.Expertise.Contains(g));
        z += 0.9 * Math.Min(helps, 2);

        var shared = mentee.Interests.Count(mentor.Interests.Contains);
        z += 0.35 * Math.Min(shared, 3);

        var hours = HoursApart(mentor.TimeZone, mentee.TimeZone);
        z -= 0.18 * Math.Max(0, hours - 2);

        if (mentor.Languages.Count > 0 && mentee.Languages.Count > 0 && !Shares(mentor.Languages, mentee.Languages))
        {
            z -= 2.0;
        }

        var gap = mentor.SeniorityYears - mentee.SeniorityYears;
        z += gap switch
        {
            < 0 => -1.0,
            >= 3 and <= 15 => 0.5,
            > 20 => -0.3,
            _ => 0,
        };

        z -= 0.35 * Math.Abs((int)mentor.PreferredLength - (int)mentee.PreferredLength);
        if (Shares(mentor.Communication, mentee.Communication))
        {
            z += 0.3;
        }

        z += hidden;
        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>A hidden mentor trait (mean 0, sd ≈ 0.25) that no application field reveals.</summary>
    public double Warmth(string mentorId) => Warmth(seed, mentorId);
}
