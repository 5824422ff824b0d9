using System.Collections.Concurrent;
using MentorFlow.Reporting.Data;

namespace MentorFlow.Reporting.Synthesis;

/// <summary>What the written applications tell (<see cref="ObservableProbability"/>) and the draws of the fields a person may leave empty.</summary>
public sealed partial class SyntheticData
{
    private readonly ConcurrentDictionary<string, Application[]> _completions = new(StringComparer.Ordinal);

    /// <summary>Completions drawn for each person who left fields empty (see <see cref="ObservableProbability"/>).</summary>
    public const int CompletionDraws = 64;

    /// <summary>
    /// What the two applications tell of the pair: <see cref="VisibleProbability"/> (the truth without the hidden
    /// mentor trait) in expectation over what the two people did not write, given what they wrote — the best any model
    /// that reads the applications could know, so the ceiling of the quality table. A person who named languages and
    /// channels is taken as written (a complete application always names both). Whoever left them empty (the noisy
    /// world: a third of people leave languages, hours and channels empty together) is completed
    /// <see cref="CompletionDraws"/> times, once per person and deterministically from the data's seed, world and the
    /// person's id, by the generator's own draws of those fields: languages given the person's time zone (in the
    /// thresholds world with its dropping of English), one to three channels, and — when the hours are empty too —
    /// the hours (which a complete application may leave empty as well). A pair with one completed person averages
    /// over that person's completions; a pair of two over the paired draws (the i-th completion of the one with the
    /// i-th of the other). Where nobody left anything empty this is <see cref="VisibleProbability"/> exactly.
    /// </summary>
    /// <remarks>
    /// Thread-safe. Monte Carlo error (root mean square against 256 draws, and 256 × 256 for pairs of two completed
    /// people; noisy world, 250 × 1,000, seeds 7/8/9): 0.006–0.007 per pair with one completed person, 0.007–0.009 with
    /// two — against a gap of 0.08–0.09 between the complete applications' truth and this expectation on those pairs.
    /// Paired draws rather than all K × K: at 32 draws crossing them took four times as long and cut the error of
    /// pairs of two completed people by 6–18% only (most of the variance is each person's own, not their
    /// interaction), while 64 paired draws cut it by 36–40% for twice the time.
    /// </remarks>
    public double ObservableProbability(Application mentor, Application mentee)
    {
        var mentors = CompletionsOf(mentor);
        var mentees = CompletionsOf(mentee);
        if (mentors.Length == 1 && mentees.Length == 1)
        {
            return Rule.Visible(mentors[0], mentees[0]);
        }

        var sum = 0.0;
        for (var i = 0; i < CompletionDraws; i++)
        {
            sum += Rule.Visible(mentors[mentors.Length == 1 ? 0 : i], mentees[mentees.Length == 1 ? 0 : i]);
        }

        return sum / CompletionDraws;
    }

    /// <summary>The person as written (one element) or the completions of what they left empty.</summary>
    private Application[] CompletionsOf(Application person) => _completions.GetOrAdd(person.Id, id =>
    {
        var written = _written.GetValueOrDefault(id, person);
        var languages = written.Languages.Count == 0;
        var channels = written.Communication.Count == 0;
        if (!languages && !channels)
        {
            return [written];
        }

        var hours = written.HoursPerMonth is null;
        var local = SyntheticCatalogue.TimeZones.FirstOrDefault(z => z.Zone == written.TimeZone).Language;
        var random = new Random(CompletionSeed(_seed, World, id));
        var completions = new Application[CompletionDraws];
        for (var i = 0; i < completions.Length; i++)
        {
            completions[i] = written with
            {
                Languages = languages ? SpokenInWorld(random, World, DrawLanguages(random, local)) : written.Languages,
                Communication = channels ? DrawChannels(random) : written.Communication,
                HoursPerMonth = hours ? DrawHours(random, written.Role) : written.HoursPerMonth,
            };
        }

        return completions;
    });

    /// <summary>The seed of a person's completions: the data's seed, world and the person's id (FNV-1a; stable across runs, unlike string hash codes).</summary>
    private static int CompletionSeed(int seed, SyntheticWorld world, string id)
    {
        var hash = 2166136261u ^ (uint)seed ^ ((uint)world << 24);
        foreach (var c in id)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }

    // The draws of the fields a person may leave empty (languages, hours, channels). Person draws them in the main
    // stream and the completions of ObservableProbability in their own, through the same code, so the two cannot
    // drift apart.

    /// <summary>Languages of a person of a zone: English (always where the zone has no local language, else 75%) and the local language (80%, always without English).</summary>
    private static List<string> DrawLanguages(Random random, string? local)
    {
        var languages = new List<string>();
        if (local is null || random.NextDouble() < 0.75)
        {
            languages.Add("en");
        }

        if (local is not null && (languages.Count == 0 || random.NextDouble() < 0.8))
        {
            languages.Add(local);
        }

        return languages;
    }

    /// <summary>The languages a person speaks in a world: thresholds — 40% of people with two languages drop English (45% instead of 75% speak it).</summary>
    private static IReadOnlyList<string> SpokenInWorld(Random random, SyntheticWorld world, IReadOnlyList<string> languages) =>
        world != SyntheticWorld.Thresholds || languages.Count < 2 || random.NextDouble() >= 0.4 ? languages : [.. languages.Where(l => l != "en")];

    /// <summary>One to three distinct channels, uniformly.</summary>
    private static List<string> DrawChannels(Random random)
    {
        var communication = new List<string>();
        var channels = random.Next(1, 4);
        while (communication.Count < channels)
        {
            Add(communication, SyntheticCatalogue.Communication[random.Next(SyntheticCatalogue.Communication.Length)]);
        }

        return communication;
    }

    /// <summary>Hours per month: mentors give 2–12 (70% say), mentees want 2–8 (60% say); null when not said.</summary>
    private static double? DrawHours(Random random, Role role)
    {
        var mentor = role == Role.Mentor;
        return random.NextDouble() < (mentor ? 0.7 : 0.6) ? random.Next(2, mentor ? 13 : 9) : null;
    }
}
