using System.Globalization;
using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Matching;

namespace MentorFlow.Reporting.Synthesis;

/// <summary>
/// Drawn: the structure of the truth is itself drawn from the seed, so no candidate model, feature or setting can have
/// been tuned to it. From a pool of pair facts (some with drawn caps, windows and thresholds) the seed picks 4–7 main
/// effects with plausible signs, 1–3 effects that apply only to a group of mentees (a pair of goals, juniors, seniors,
/// live-only communicators, career switchers, long-programme seekers; a quarter of them with the opposite sign) and 0–2
/// hard incompatibilities that multiply p by 0.05–0.4. <see cref="Describe"/> lists what was drawn.
/// </summary>
public sealed class DrawnTruth : GroundTruth
{
    private readonly int _seed;
    private readonly double _base;
    private readonly List<Effect> _effects = [];
    private readonly List<Veto> _vetoes = [];

    public DrawnTruth(int seed)
    {
        _seed = seed;
        var random = new Random(unchecked((seed * 7919) + 104729));
        _base = Uniform(random, -2.2, -1.0);
        var facts = Facts(random);
        var order = Enumerable.Range(0, facts.Count).ToArray();
        random.Shuffle(order);
        var mains = random.Next(4, 8);
        foreach (var i in order.Take(mains))
        {
            _effects.Add(new Effect(facts[i], facts[i].Sign * Uniform(random, 0.3, 1.3), null));
        }

        var groups = Groups(random);
        var moderated = random.Next(1, 4);
        for (var k = 0; k < moderated; k++)
        {
            var fact = facts[random.Next(facts.Count)];
            var sign = random.NextDouble() < 0.75 ? fact.Sign : -fact.Sign;
            _effects.Add(new Effect(fact, sign * Uniform(random, 0.7, 1.8), groups[random.Next(groups.Count)]));
        }

        var vetoes = Vetoes(random);
        var vetoOrder = Enumerable.Range(0, vetoes.Count).ToArray();
        random.Shuffle(vetoOrder);
        foreach (var i in vetoOrder.Take(random.Next(0, 3)))
        {
            _vetoes.Add(vetoes[i] with { Factor = Uniform(random, 0.05, 0.4) });
        }
    }

    public override double Hidden(string mentorId) => Warmth(_seed, mentorId);

    /// <summary>What was drawn, one line per term (base, effects, incompatibilities), in the logit unless said.</summary>
    public IReadOnlyList<string> Describe()
    {
        var lines = new List<string> { Invariant($"base {_base:+0.00;−0.00}") };
        lines.AddRange(_effects.Select(e => Invariant($"{e.Weight:+0.00;−0.00} × {e.Fact.Name}") + (e.Only is { } g ? $", only for {g.Name}" : string.Empty)));
        lines.AddRange(_vetoes.Select(v => Invariant($"{v.Name}: p × {v.Factor:0.00}")));
        return lines;
    }

    protected override double Probability(Application mentor, Application mentee, double hidden)
    {
        var z = _base + hidden;
        foreach (var effect in _effects)
        {
            if (effect.Only is null || effect.Only.Contains(mentee))
            {
                z += effect.Weight * effect.Fact.Value(mentor, mentee);
            }
        }

        var p = Sigmoid(z);
        foreach (var veto in _vetoes)
        {
            if (veto.Applies(mentor, mentee))
            {
                p *= veto.Factor;
            }
        }

        return p;
    }

    /// <summary>A fact about a pair (roughly 0–2 in size) and the direction a matcher would expect of it.</summary>
    private sealed record Fact(string Name, Func<Application, Application, double> Value, int Sign);

    /// <summary>A group of mentees an effect may be limited to.</summary>
    private sealed record Group(string Name, Func<Application, bool> Contains);

    private sealed record Effect(Fact Fact, double Weight, Group? Only);

    private sealed record Veto(string Name, Func<Application, Application, bool> Applies, double Factor);

    private static List<Fact> Facts(Random random)
    {
        var goalCap = random.Next(1, 4);
        var interestCap = random.Next(2, 5);
        var hoursFrom = random.Next(0, 5);
        var gapFrom = random.Next(0, 7);
        var gapTo = gapFrom + random.Next(4, 13);
        var gapCap = random.Next(8, 21);
        return
        [
            new("same career path", (m, e) => m.CareerPath == e.CareerPath ? 1 : 0, 1),
            new("mentor in the path the mentee wants to move to", (m, e) => m.CareerPath != e.CareerPath && e.Goals.Contains(m.CareerPath) ? 1 : 0, 1),
            new("same career family", (m, e) => CareerFamilies.Of(m.CareerPath) == CareerFamilies.Of(e.CareerPath) ? 1 : 0, 1),
            new(Invariant($"goals covered (≤ {goalCap})"), (m, e) => Math.Min(GoalsCovered(m, e), goalCap), 1),
            new(Invariant($"shared interests (≤ {interestCap}) ÷ 2"), (m, e) => Math.Min(SharedInterests(m, e), interestCap) / 2.0, 1),
            new("mentor's expertise names a goal", (m, e) => e.Goals.Any(m.Expertise.Contains) ? 1 : 0, 1),
            new(Invariant($"hours apart beyond {hoursFrom} ÷ 4"), (m, e) => Math.Max(0, HoursApart(m.TimeZone, e.TimeZone) - hoursFrom) / 4, -1),
            new("common language (unknown ½)", (m, e) => CommonLanguage(m, e) switch { true => 1, null => 0.5, false => 0 }, 1),
            new("a common channel", (m, e) => Shares(m.Communication, e.Communication) ? 1 : 0, 1),
            new("programme length steps apart", (m, e) => Math.Abs((int)m.PreferredLength - (int)e.PreferredLength), -1),
            new(Invariant($"seniority gap of {gapFrom}–{gapTo} years"), (m, e) => m.SeniorityYears - e.SeniorityYears is var g && g >= gapFrom && g <= gapTo ? 1 : 0, 1),
            new(Invariant($"seniority gap (0–{gapCap} years) ÷ 10"), (m, e) => Math.Clamp(m.SeniorityYears - e.SeniorityYears, 0, gapCap) / 10.0, 1),
            new("mentor less senior", (m, e) => m.SeniorityYears < e.SeniorityYears ? 1 : 0, -1),
            new("mentor time ÷ wanted time (≤ 1; unknown 0.6)", (m, e) => Math.Min(TimeRatio(m, e) ?? 0.6, 1), 1),
        ];
    }

    private static List<Group> Groups(Random random)
    {
        var goals = SyntheticCatalogue.Goals.OrderBy(_ => random.Next()).Take(2).ToArray();
        var junior = random.Next(2, 6);
        var senior = random.Next(5, 9);
        return
        [
            new($"mentees who want {goals[0]} or {goals[1]}", e => goals.Any(e.Goals.Contains)),
            new(Invariant($"mentees with under {junior} years"), e => e.SeniorityYears < junior),
            new(Invariant($"mentees with {senior} years or more"), e => e.SeniorityYears >= senior),
            new("mentees who meet only live", Synchronous),
            new("career switchers", e => e.Goals.Any(g => g != e.CareerPath && CareerFamilies.KnownPaths.Contains(g))),
            new("mentees who want 9–12 months", e => e.PreferredLength == ProgrammeLength.NineToTwelve),
        ];
    }

    private static List<Veto> Vetoes(Random random)
    {
        var apart = random.Next(4, 8);
        return
        [
            new("no common language", (m, e) => CommonLanguage(m, e) == false, 1),
            new(Invariant($"both meet only live, more than {apart} hours apart"), (m, e) => Synchronous(m) && Synchronous(e) && HoursApart(m.TimeZone, e.TimeZone) > apart, 1),
            new("mentor time under half the wanted time", (m, e) => TimeRatio(m, e) is < 0.5, 1),
            new("mentor less senior", (m, e) => m.SeniorityYears < e.SeniorityYears, 1),
        ];
    }

    private static double Uniform(Random random, double low, double high) => low + ((high - low) * random.NextDouble());

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
