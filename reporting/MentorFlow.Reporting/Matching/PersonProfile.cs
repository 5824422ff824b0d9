using MentorFlow.Reporting.Data;

namespace MentorFlow.Reporting.Matching;

/// <summary>
/// An application prepared for fast pair features: tags as bitsets over a shared vocabulary, the time zone as a UTC
/// offset, the statement as a normalised term vector. Built by <see cref="ProfileSpace"/>.
/// </summary>
public sealed class PersonProfile
{
    internal PersonProfile(Application application, Imputation imputed)
    {
        Application = application;
        Imputed = imputed;
    }

    public Application Application { get; }

    public string Id => Application.Id;

    internal ulong[] Interests { get; init; } = [];
    internal int InterestCount { get; init; }
    internal ulong[] Goals { get; init; } = [];
    internal int GoalCount { get; init; }
    /// <summary>Mentor: goals ∪ expertise (what they can help with).</summary>
    internal ulong[] Offers { get; init; } = [];
    internal ulong[] Expertise { get; init; } = [];
    /// <summary>Mentee: goals ∪ interests (what they want to develop).</summary>
    internal ulong[] Wants { get; init; } = [];
    internal int WantCount { get; init; }
    /// <summary>Vocabulary bit of the career path (same vocabulary as the tags).</summary>
    internal int CareerPath { get; init; }
    internal int CareerFamily { get; init; }
    internal int SeniorityYears { get; init; }
    internal double UtcOffsetHours { get; init; }
    internal ulong Languages { get; init; }

    /// <summary>Languages left empty: what people of the same time zone speak (<see cref="Imputation"/>); null when written.</summary>
    internal TagSetMix? LanguagesLikely { get; init; }

    /// <summary>What people of this profile's space who left a field empty likely wrote.</summary>
    internal Imputation Imputed { get; }
    internal uint Communication { get; init; }
    internal ProgrammeLength PreferredLength { get; init; }
    internal double? HoursPerMonth { get; init; }
    internal double? HoursPerMentee { get; init; }
    internal StatementVector Statement { get; init; } = StatementVector.Empty;
    /// <summary>One of the goals names another career path: the person wants to change careers.</summary>
    internal bool Switching { get; init; }
}

/// <summary>
/// The shared vocabulary of a set of applications: every tag and career path gets a bit, every language a bit, and
/// every career family an id. Profiles built by one space can be compared with each other only.
/// </summary>
public sealed class ProfileSpace
{
    private readonly Dictionary<string, int> _tags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _families = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _languages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _offsets = new(StringComparer.Ordinal);
    private readonly HashSet<string> _paths = new(CareerFamilies.KnownPaths, StringComparer.Ordinal);
    private readonly int _words;
    private readonly Imputation _imputation;

    public ProfileSpace(IEnumerable<Application> applications)
    {
        var list = applications as IReadOnlyCollection<Application> ?? applications.ToList();
        foreach (var a in list)
        {
            foreach (var tag in a.Interests.Concat(a.Goals).Concat(a.Expertise).Append(a.CareerPath))
            {
                _tags.TryAdd(tag, _tags.Count);
            }

            _families.TryAdd(CareerFamilies.Of(a.CareerPath), _families.Count);
            _paths.Add(a.CareerPath);
            foreach (var language in a.Languages)
            {
                // 64 distinct languages in one cohort is far beyond real programmes; later ones share the last bit.
                _languages.TryAdd(language, Math.Min(_languages.Count, 63));
            }
        }

        _words = Math.Max(1, (_tags.Count + 63) / 64);
        _imputation = new Imputation([.. list.Select(a => (a, LanguageBits(a), ChannelBits(a)))]);
    }

    private ulong LanguageBits(Application a) =>
        a.Languages.Aggregate(0UL, (bits, l) => _languages.TryGetValue(l, out var b) ? bits | (1UL << b) : bits);

    private static uint ChannelBits(Application a) =>
        a.Communication.Aggregate(0u, (bits, c) =>
        {
            var i = IndexOf(ContractValues.CommunicationTags, c);
            return i < 0 ? bits : bits | (1u << i);
        });

    public PersonProfile Profile(Application a)
    {
        var interests = a.Interests.Select(Tag).ToList();
        var goals = a.Goals.Select(Tag).ToList();
        var expertise = a.Expertise.Select(Tag).ToList();
        var wants = goals.Union(interests).ToList();
        return new PersonProfile(a, _imputation)
        {
            Interests = Bits.Of(interests, _words),
            InterestCount = interests.Count,
            Goals = Bits.Of(goals, _words),
            GoalCount = goals.Count,
            Offers = Bits.Of(goals.Union(expertise), _words),
            Expertise = Bits.Of(expertise, _words),
            Wants = Bits.Of(wants, _words),
            WantCount = wants.Count,
            CareerPath = Tag(a.CareerPath),
            CareerFamily = _families.TryGetValue(CareerFamilies.Of(a.CareerPath), out var family) ? family : -1,
            SeniorityYears = a.SeniorityYears,
            UtcOffsetHours = Offset(a.TimeZone),
            Languages = LanguageBits(a),
            LanguagesLikely = LanguageBits(a) != 0 ? null : _imputation.LanguagesIn(a.TimeZone),
            Communication = ChannelBits(a),
            PreferredLength = a.PreferredLength,
            HoursPerMonth = a.HoursPerMonth,
            HoursPerMentee = a.HoursPerMonth is { } h && a.IsMentor ? h / Math.Max(1, a.Capacity) : null,
            Statement = StatementVector.Of(a.Statement),
            Switching = a.Goals.Any(g => g != a.CareerPath && _paths.Contains(g)),
        };
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    private int Tag(string tag) => _tags.TryGetValue(tag, out var bit) ? bit : -1;

    private double Offset(string timeZone)
    {
        if (!_offsets.TryGetValue(timeZone, out var hours))
        {
            // The standard (winter) offset: deterministic, never the wall clock. Daylight saving moves most pairs
            // by the same hour, so it hardly changes a distance.
            hours = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) ? zone.BaseUtcOffset.TotalHours : 0;
            _offsets[timeZone] = hours;
        }

        return hours;
    }
}
