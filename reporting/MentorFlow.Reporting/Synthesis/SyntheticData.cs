using System.Globalization;
using Bogus;
using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Matching;

namespace MentorFlow.Reporting.Synthesis;

/// <summary>Options of <see cref="SyntheticData.Generate"/>.</summary>
public sealed record SynthOptions
{
    /// <summary>Mentors and mentees of the current cohort (applications.csv).</summary>
    public int Mentors { get; init; } = 250;
    public int Mentees { get; init; } = 1000;

    /// <summary>Mentors and mentees of the past programmes (history-applications.csv); default: as the cohort.</summary>
    public int? HistoryMentors { get; init; }
    public int? HistoryMentees { get; init; }

    public int Seed { get; init; } = 7;

    /// <summary>The ground-truth family (see <see cref="SyntheticWorld"/>); the classic world by default.</summary>
    public SyntheticWorld World { get; init; } = SyntheticWorld.Classic;

    /// <summary>
    /// The programme lengths the programme offers; everyone's preferred length is one of them (a preference for a
    /// length not offered becomes the nearest offered one). Empty: all three.
    /// </summary>
    public IReadOnlyList<ProgrammeLength> Lengths { get; init; } = [];

    /// <summary>The day the past programmes' platform data starts; the cohort applies one year and two months later.</summary>
    public DateOnly Start { get; init; } = new(2025, 1, 6);
}

/// <summary>
/// A consistent synthetic world: past applications with the pairs a past (partly random, partly similarity-based)
/// matching made and how they went (outcomes drawn from the hidden <see cref="CompatibilityRule"/>), their
/// relationships, testimonials and platform analytics, and a new cohort to match.
/// </summary>
public sealed partial class SyntheticData
{
    public const string HistoryFile = "history-applications.csv";
    public const string CohortFile = "applications.csv";
    public const string OutcomesFile = "outcomes.csv";
    public const string PlatformFile = "platform.csv";
    public const string RelationshipsFile = "relationships.csv";
    public const string TestimonialsFile = "testimonials.csv";

    private SyntheticData(
        SyntheticWorld world, int seed, GroundTruth rule, Dictionary<string, Application> complete, DateOnly today, List<Application> history,
        List<Application> cohort, List<Outcome> outcomes, List<Relationship> relationships, List<Testimonial> testimonials, List<PlatformDay> platform)
    {
        World = world;
        _seed = seed;
        Rule = rule;
        _complete = complete;
        _written = history.Concat(cohort).ToDictionary(a => a.Id, StringComparer.Ordinal);
        Today = today;
        History = history;
        Cohort = cohort;
        Outcomes = outcomes;
        Relationships = relationships;
        Testimonials = testimonials;
        Platform = platform;
    }

    private readonly Dictionary<string, Application> _complete;
    private readonly Dictionary<string, Application> _written;
    private readonly int _seed;

    public SyntheticWorld World { get; }

    /// <summary>The hidden truth of the world (on complete applications; see <see cref="TrueProbability"/>).</summary>
    public GroundTruth Rule { get; }

    /// <summary>
    /// True P(success) of a pair of this data set's people. In the noisy world people leave fields empty; the truth
    /// still depends on what they did not write, so it is computed on their complete applications.
    /// </summary>
    public double TrueProbability(Application mentor, Application mentee) =>
        Rule.Probability(_complete.GetValueOrDefault(mentor.Id, mentor), _complete.GetValueOrDefault(mentee.Id, mentee));

    /// <summary>
    /// True P(success) without the hidden mentor trait (see <see cref="GroundTruth.Visible"/>), on the complete
    /// applications like <see cref="TrueProbability"/>; what the written applications tell is
    /// <see cref="ObservableProbability"/>.
    /// </summary>
    public double VisibleProbability(Application mentor, Application mentee) =>
        Rule.Visible(_complete.GetValueOrDefault(mentor.Id, mentor), _complete.GetValueOrDefault(mentee.Id, mentee));

    /// <summary>The synthetic "today": the day the cohort's applications close (a constant, never the wall clock).</summary>
    public DateOnly Today { get; }

    public IReadOnlyList<Application> History { get; }
    public IReadOnlyList<Application> Cohort { get; }
    public IReadOnlyList<Outcome> Outcomes { get; }
    public IReadOnlyList<Relationship> Relationships { get; }
    public IReadOnlyList<Testimonial> Testimonials { get; }
    public IReadOnlyList<PlatformDay> Platform { get; }

    public static SyntheticData Generate(SynthOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Mentors);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Mentees);
        var random = new Random(options.Seed);
        var faker = new Faker("en") { Random = new Randomizer(options.Seed) };
        var world = options.World;
        var rule = GroundTruth.For(world, options.Seed);
        var today = options.Start.AddMonths(14);

        // World-specific changes use their own random stream, so the classic world's files stay as they were.
        var worldRandom = new Random(unchecked((options.Seed * 31) + (int)world));
        var completeHistory = People(random, faker, "HM", options.HistoryMentors ?? options.Mentors, Role.Mentor)
            .Concat(People(random, faker, "HE", options.HistoryMentees ?? options.Mentees, Role.Mentee))
            .Select(a => Complete(worldRandom, world, Offered(a, options.Lengths))).ToList();
        var completeCohort = People(random, faker, "M", options.Mentors, Role.Mentor)
            .Concat(People(random, faker, "E", options.Mentees, Role.Mentee))
            .Select(a => Complete(worldRandom, world, Offered(a, options.Lengths))).ToList();
        var complete = completeHistory.Concat(completeCohort).ToDictionary(a => a.Id, StringComparer.Ordinal);
        var history = completeHistory.Select(a => Observed(worldRandom, world, a)).ToList();
        var cohort = completeCohort.Select(a => Observed(worldRandom, world, a)).ToList();

        var relationships = new List<Relationship>();
        var outcomes = new List<Outcome>();
        var testimonials = new List<Testimonial>();
        foreach (var (mentor, mentee, index) in PastMatching(random, history))
        {
            var programme = index % 5 < 3 ? "2025-spring" : "2025-autumn";
            var started = programme == "2025-spring" ? options.Start.AddDays(56) : options.Start.AddDays(238);
            var p = rule.Probability(complete[mentor.Id], complete[mentee.Id]);
            Past(random, world == SyntheticWorld.Noisy ? worldRandom : null, p, today, mentor, mentee, programme, started, relationships, outcomes, testimonials);
        }

        var platform = PlatformDays(random, options.Start, today);
        return new SyntheticData(world, options.Seed, rule, complete, today, history, cohort, outcomes, relationships, testimonials, platform);
    }

    /// <summary>
    /// The whole truth about a person in a world. Thresholds: people in a zone with a local language speak English
    /// less often (45% instead of 75%), so incompatible pairs are common.
    /// </summary>
    private static Application Complete(Random random, SyntheticWorld world, Application a)
    {
        var languages = SpokenInWorld(random, world, a.Languages);
        return ReferenceEquals(languages, a.Languages) ? a : a with { Languages = languages };
    }

    /// <summary>What the person wrote. Noisy: a third leave languages, hours and communication empty, a fifth the statement.</summary>
    private static Application Observed(Random random, SyntheticWorld world, Application a)
    {
        if (world != SyntheticWorld.Noisy)
        {
            return a;
        }

        var observed = a;
        if (random.NextDouble() < 1 / 3.0)
        {
            observed = observed with { Languages = [], HoursPerMonth = null, Communication = [] };
        }

        if (random.NextDouble() < 0.2)
        {
            observed = observed with { Statement = null };
        }

        return observed;
    }

    /// <summary>Writes every file of the data contract into <paramref name="directory"/> (created if needed).</summary>
    public IReadOnlyList<string> WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        Write(HistoryFile, p => ApplicationsCsv.Write(p, History));
        Write(CohortFile, p => ApplicationsCsv.Write(p, Cohort));
        Write(OutcomesFile, p => OutcomesCsv.Write(p, Outcomes));
        Write(RelationshipsFile, p => RelationshipsCsv.Write(p, Relationships));
        Write(TestimonialsFile, p => TestimonialsCsv.Write(p, Testimonials));
        Write(PlatformFile, p => PlatformCsv.Write(p, Platform));
        return files;

        void Write(string name, Action<string> write)
        {
            var path = Path.Combine(directory, name);
            write(path);
            files.Add(path);
        }
    }

    private static List<Application> People(Random random, Faker faker, string prefix, int count, Role role)
    {
        var people = new List<Application>(count);
        var width = Math.Max(4, count.ToString(CultureInfo.InvariantCulture).Length);
        for (var i = 1; i <= count; i++)
        {
            var id = prefix + i.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
            people.Add(Person(random, faker, id, role));
        }

        return people;
    }

    /// <summary>The person's preferred length, or the nearest length the programme offers (no random draw, so the rest of the world is unchanged).</summary>
    private static Application Offered(Application person, IReadOnlyList<ProgrammeLength> offered) =>
        offered.Count == 0 || offered.Contains(person.PreferredLength)
            ? person
            : person with { PreferredLength = offered.MinBy(length => (Math.Abs((int)length - (int)person.PreferredLength), -(int)length)) };

    private static Application Person(Random random, Faker faker, string id, Role role)
    {
        var mentor = role == Role.Mentor;
        var career = Pick(random, SyntheticCatalogue.CareerPaths.Select(c => (c.Path, c.Weight)));
        var family = CareerFamilies.Of(career);
        var familyInterests = SyntheticCatalogue.InterestsByFamily[family];
        var interests = new List<string>();
        var interestCount = random.Next(2, 6);
        while (interests.Count < interestCount)
        {
            var pool = random.NextDouble() < 0.7 ? familyInterests : SyntheticCatalogue.GeneralInterests;
            Add(interests, pool[random.Next(pool.Length)]);
        }

        var goals = new List<string>();
        var goalCount = random.Next(mentor ? 2 : 1, mentor ? 5 : 4);
        while (goals.Count < goalCount)
        {
            Add(goals, SyntheticCatalogue.Goals[random.Next(SyntheticCatalogue.Goals.Length)]);
        }

        if (!mentor && random.NextDouble() < 0.2)
        {
            // A career switcher: the target path is one of the goals.
            var target = Pick(random, SyntheticCatalogue.CareerPaths.Where(c => c.Path != career).Select(c => (c.Path, c.Weight)));
            goals.Add(target);
        }

        var expertise = new List<string>();
        if (mentor)
        {
            var expertiseCount = random.Next(2, 6);
            while (expertise.Count < expertiseCount)
            {
                var pool = random.NextDouble() < 0.75 ? familyInterests : SyntheticCatalogue.Goals;
                Add(expertise, pool[random.Next(pool.Length)]);
            }
        }

        var zone = SyntheticCatalogue.TimeZones[PickIndex(random, SyntheticCatalogue.TimeZones.Select(z => z.Weight))];
        var languages = DrawLanguages(random, zone.Language);
        var communication = DrawChannels(random);

        var first = faker.Name.FirstName();
        var last = faker.Name.LastName();
        var email = $"{Ascii(first)}.{Ascii(last)}.{id.ToLowerInvariant()}@example.org";
        var templates = mentor ? SyntheticCatalogue.MentorStatements : SyntheticCatalogue.MenteeStatements;
        var statement = string.Format(
            CultureInfo.InvariantCulture, templates[random.Next(templates.Length)], interests[0].Replace('-', ' '),
            goals[0].Replace('-', ' '), career.Replace('-', ' '));

        return new Application
        {
            Id = id,
            Role = role,
            Name = $"{first} {last}",
            Email = email,
            TimeZone = zone.Zone,
            Interests = interests,
            CareerPath = career,
            Goals = goals,
            Expertise = expertise,
            SeniorityYears = mentor ? (random.NextDouble() < 0.05 ? random.Next(1, 4) : random.Next(4, 26)) : random.Next(0, 11),
            HoursPerMonth = DrawHours(random, role),
            PreferredLength = (ProgrammeLength)PickIndex(random, [3, 5, 2]),
            Communication = communication,
            Languages = languages,
            Capacity = mentor ? 1 + PickIndex(random, [30, 35, 20, 15]) : 0,
            Statement = statement,
        };
    }

    /// <summary>
    /// The past programmes' matching, which the model learns from: half the mentees got a random mentor, half the
    /// best of five random mentors by shared interests (a typical hand-tuned process), under mentor capacity.
    /// </summary>
    private static IEnumerable<(Application Mentor, Application Mentee, int Index)> PastMatching(Random random, List<Application> history)
    {
        var mentors = history.Where(a => a.IsMentor).ToList();
        var room = mentors.Select(m => m.Capacity).ToArray();
        var index = 0;
        foreach (var mentee in history.Where(a => !a.IsMentor))
        {
            var open = Enumerable.Range(0, mentors.Count).Where(m => room[m] > 0).ToList();
            if (open.Count == 0)
            {
                yield break;
            }

            int chosen;
            if (random.NextDouble() < 0.5)
            {
                chosen = open[random.Next(open.Count)];
            }
            else
            {
                var sample = Enumerable.Range(0, 5).Select(_ => open[random.Next(open.Count)]).ToList();
                chosen = sample.OrderByDescending(m => mentors[m].Interests.Count(mentee.Interests.Contains)).First();
            }

            room[chosen]--;
            yield return (mentors[chosen], mentee, index++);
        }
    }

    private static void Past(
        Random random, Random? noise, double p, DateOnly today, Application mentor, Application mentee, string programme, DateOnly started,
        List<Relationship> relationships, List<Outcome> outcomes, List<Testimonial> testimonials)
    {
        var success = random.NextDouble() < p;
        var completed = random.NextDouble() < (success ? 0.95 : 0.35);
        var goalMet = random.NextDouble() < (success ? 0.9 : 0.12);
        // Satisfaction (mean of both sides, in half points) reflects how well the pair fits, not only whether it
        // reached its goal: it carries more information than the yes/no signals.
        var satisfaction = Math.Clamp(Math.Round(2 * Normal(random, 2.0 + (2.0 * p) + (success ? 0.8 : 0), 0.45)) / 2, 1, 5);
        if (noise is not null)
        {
            // Noisy world: records are unreliable — satisfaction gets extra noise (sd 0.9 in all) and 15% of the
            // completed / goal-met flags are flipped.
            satisfaction = Math.Clamp(Math.Round(2 * (satisfaction + Normal(noise, 0, 0.78))) / 2, 1, 5);
            completed = noise.NextDouble() < 0.15 ? !completed : completed;
            goalMet = noise.NextDouble() < 0.15 ? !goalMet : goalMet;
        }
        var months = mentee.PreferredLength switch
        {
            ProgrammeLength.ThreeToSix => 6,
            ProgrammeLength.SixToNine => 9,
            _ => 12,
        };
        var plannedEnd = started.AddMonths(months);
        var ended = completed ? plannedEnd : started.AddDays(random.Next(20, Math.Max(21, plannedEnd.DayNumber - started.DayNumber - 10)));
        var active = ended > today;
        var last = active ? today : ended;
        var meetings = Math.Max(0, (int)Math.Round((last.DayNumber - started.DayNumber) / 30.0 * (success ? 1.6 : 0.9)));
        var lastMeeting = meetings == 0 ? (DateOnly?)null : last.AddDays(-random.Next(0, 14));
        if (lastMeeting < started)
        {
            lastMeeting = started;
        }

        relationships.Add(new Relationship
        {
            MentorId = mentor.Id,
            MenteeId = mentee.Id,
            Programme = programme,
            Started = started,
            PlannedEnd = plannedEnd,
            Ended = active ? null : ended,
            Status = active ? RelationshipStatus.Active : completed ? RelationshipStatus.Completed : RelationshipStatus.ClosedEarly,
            Meetings = meetings,
            LastMeeting = lastMeeting,
            GoalMet = active ? null : goalMet,
            Satisfaction = active ? null : satisfaction,
        });

        if (active)
        {
            return;
        }

        outcomes.Add(new Outcome(mentor.Id, mentee.Id, completed, satisfaction, goalMet));
        if (satisfaction >= 4)
        {
            foreach (var (person, chance) in new[] { (mentee, 0.3), (mentor, 0.15) })
            {
                var date = ended.AddDays(random.Next(3, 21));
                if (random.NextDouble() < chance && date <= today)
                {
                    var text = string.Format(
                        CultureInfo.InvariantCulture,
                        SyntheticCatalogue.Testimonials[random.Next(SyntheticCatalogue.Testimonials.Length)],
                        mentee.Goals[0].Replace('-', ' '));
                    testimonials.Add(new Testimonial(person.Id, person.Role, date, text, random.NextDouble() < 0.8));
                }
            }
        }
    }

    private static List<PlatformDay> PlatformDays(Random random, DateOnly start, DateOnly today)
    {
        var days = new List<PlatformDay>();
        var openings = new[] { start.AddDays(28), start.AddDays(210), today.AddDays(-28) };
        for (var day = start; day <= today; day = day.AddDays(1))
        {
            var growth = 1 + ((day.DayNumber - start.DayNumber) / 365.0 * 0.4);
            var weekday = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.6 : 1.0;
            var bump = openings.Sum(o => day >= o && day < o.AddDays(21) ? 1.8 * Math.Exp(-(day.DayNumber - o.DayNumber) / 7.0) : 0);
            var visitors = (int)Math.Max(0, Math.Round(220 * growth * weekday * (1 + bump) * (0.85 + (0.3 * random.NextDouble()))));
            var newMembers = (int)Math.Round(visitors * (0.02 + (0.03 * random.NextDouble())) * (1 + bump));
            days.Add(new PlatformDay(day, visitors, newMembers));
        }

        return days;
    }

    private static double Normal(Random random, double mean, double sd)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return mean + (sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    private static void Add(List<string> list, string tag)
    {
        if (!list.Contains(tag))
        {
            list.Add(tag);
        }
    }

    private static string Pick(Random random, IEnumerable<(string Value, double Weight)> items)
    {
        var list = items.ToList();
        return list[PickIndex(random, list.Select(i => i.Weight))].Value;
    }

    private static int PickIndex(Random random, IEnumerable<double> weights)
    {
        var list = weights.ToList();
        var r = random.NextDouble() * list.Sum();
        for (var i = 0; i < list.Count; i++)
        {
            r -= list[i];
            if (r < 0)
            {
                return i;
            }
        }

        return list.Count - 1;
    }

    private static string Ascii(string name)
    {
        var letters = name.Normalize(System.Text.NormalizationForm.FormD).Where(char.IsAsciiLetter).ToArray();
        return letters.Length == 0 ? "person" : new string(letters).ToLowerInvariant();
    }
}
