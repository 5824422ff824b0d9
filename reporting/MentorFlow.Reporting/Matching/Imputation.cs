using System.Numerics;
using MentorFlow.Reporting.Data;

namespace MentorFlow.Reporting.Matching;

/// <summary>
/// What people who left a field empty likely wrote, learnt from the people of the same <see cref="ProfileSpace"/> who
/// did write it: the languages of their time zone (shrunk towards everyone's by <see cref="LanguagePriorWeight"/>
/// people, so a zone of few people leans on the whole population) and everyone's communication channels. A pair
/// feature that needs an empty field is its expected value over these (the chance of a common language, the expected
/// channel overlap, the chance both meet only live), so a mentee who wrote only German is still likely to share a
/// language with a mentor from Berlin who wrote none, and unlikely with one from Tokyo. The "unknown" indicators stay
/// beside them. Hours are not filled in: an empty hours field says nothing about a shortfall, and reading it as the
/// typical answer cost the thresholds world 0.03 of the oracle.
/// </summary>
internal sealed class Imputation
{
    /// <summary>People of the whole population added to a zone's own when estimating its languages.</summary>
    public const double LanguagePriorWeight = 5;

    private readonly Dictionary<string, TagSetMix> _languagesByZone = new(StringComparer.Ordinal);
    private readonly TagSetMix _languages;
    private readonly TagSetMix _channels;
    private readonly ChannelFit _channelsBothUnknown;

    /// <summary>The expected channel facts of a pair where one side left channels empty, by the other side's set (one entry per possible set).</summary>
    private readonly ChannelFit[] _channelsOneUnknown = new ChannelFit[1 << ContractValues.CommunicationTags.Count];

    public Imputation(IReadOnlyCollection<(Application Application, ulong Languages, uint Channels)> people)
    {
        var wroteLanguages = people.Where(p => p.Languages != 0).ToList();
        _languages = TagSetMix.Of(wroteLanguages.Select(p => p.Languages), null, 0);
        foreach (var zone in wroteLanguages.GroupBy(p => p.Application.TimeZone, StringComparer.Ordinal))
        {
            _languagesByZone[zone.Key] = TagSetMix.Of(zone.Select(p => p.Languages), _languages, LanguagePriorWeight);
        }

        _channels = TagSetMix.Of(people.Where(p => p.Channels != 0).Select(p => (ulong)p.Channels), null, 0);

        var overlap = 0.0;
        var common = 0.0;
        for (var i = 0; i < _channels.Sets.Length; i++)
        {
            var fit = Channels((uint)_channels.Sets[i], _channels);
            overlap += _channels.Shares[i] * fit.Overlap;
            common += _channels.Shares[i] * fit.Common;
        }

        for (var set = 1u; set < _channelsOneUnknown.Length; set++)
        {
            _channelsOneUnknown[set] = Channels(set, _channels);
        }

        var live = _channels.Expect(LiveShare);
        var liveOnly = _channels.Expect(set => LiveShare(set) >= 1 ? 1 : 0);
        _channelsBothUnknown = _channels.Sets.Length == 0
            ? new ChannelFit(0.5, 0.5, 0.25, 0)
            : new ChannelFit(overlap, common, live * live, liveOnly * liveOnly);
    }

    /// <summary>The languages someone in this time zone who wrote none likely speaks.</summary>
    public TagSetMix LanguagesIn(string timeZone) => _languagesByZone.GetValueOrDefault(timeZone) ?? _languages;

    /// <summary>The chance the two share a language (1 or 0 when both wrote theirs).</summary>
    public static double LanguageShare(PersonProfile mentor, PersonProfile mentee)
    {
        var first = mentor.Languages;
        var second = mentee.Languages;
        if (first != 0 && second != 0)
        {
            return (first & second) != 0 ? 1 : 0;
        }

        if (first != 0)
        {
            return mentee.LanguagesLikely?.ShareWith(second: first) ?? 0.5;
        }

        if (second != 0)
        {
            return mentor.LanguagesLikely?.ShareWith(second) ?? 0.5;
        }

        var a = mentor.LanguagesLikely;
        var b = mentee.LanguagesLikely;
        if (a is null || b is null || a.Sets.Length == 0 || b.Sets.Length == 0)
        {
            return 0.5;
        }

        var share = 0.0;
        for (var i = 0; i < a.Sets.Length; i++)
        {
            share += a.Shares[i] * b.ShareWith(a.Sets[i]);
        }

        return share;
    }

    /// <summary>Expected channel overlap (Jaccard), chance of a common channel, live shares' product and chance both meet only live.</summary>
    public ChannelFit Channels(uint mentor, uint mentee)
    {
        if (mentor != 0 && mentee != 0)
        {
            return new ChannelFit(
                (double)BitOperations.PopCount(mentor & mentee) / BitOperations.PopCount(mentor | mentee),
                (mentor & mentee) != 0 ? 1 : 0,
                LiveShare(mentor) * LiveShare(mentee),
                LiveShare(mentor) >= 1 && LiveShare(mentee) >= 1 ? 1 : 0);
        }

        if (mentor == 0 && mentee == 0)
        {
            return _channelsBothUnknown;
        }

        var known = mentor == 0 ? mentee : mentor;
        return known < _channelsOneUnknown.Length ? _channelsOneUnknown[known] : Channels(known, _channels);
    }

    private static ChannelFit Channels(uint known, TagSetMix other)
    {
        if (other.Sets.Length == 0)
        {
            return new ChannelFit(0.5, 0.5, LiveShare(known) * 0.5, 0);
        }

        double overlap = 0, common = 0, live = 0, liveOnly = 0;
        for (var i = 0; i < other.Sets.Length; i++)
        {
            var set = (uint)other.Sets[i];
            var share = other.Shares[i];
            overlap += share * BitOperations.PopCount(known & set) / BitOperations.PopCount(known | set);
            common += (known & set) != 0 ? share : 0;
            live += share * LiveShare(set);
            liveOnly += LiveShare(set) >= 1 ? share : 0;
        }

        return new ChannelFit(overlap, common, LiveShare(known) * live, LiveShare(known) >= 1 ? liveOnly : 0);
    }

    private static readonly uint LiveBits = Bit("video") | Bit("phone") | Bit("in-person");

    private static uint Bit(string channel)
    {
        for (var i = 0; i < ContractValues.CommunicationTags.Count; i++)
        {
            if (ContractValues.CommunicationTags[i] == channel)
            {
                return 1u << i;
            }
        }

        return 0;
    }

    /// <summary>Share of live channels (video, phone, in person) among a set's channels.</summary>
    public static double LiveShare(ulong set) =>
        set == 0 ? 0 : (double)BitOperations.PopCount((uint)set & LiveBits) / BitOperations.PopCount(set);
}

/// <summary>Expected channel facts of a pair (see <see cref="Imputation.Channels(uint, uint)"/>).</summary>
internal readonly record struct ChannelFit(double Overlap, double Common, double Live, double BothLiveOnly);

/// <summary>A distribution over tag sets (bitsets) with shares summing to 1; empty when nobody wrote any.</summary>
internal sealed class TagSetMix
{
    private TagSetMix(ulong[] sets, double[] shares)
    {
        Sets = sets;
        Shares = shares;
    }

    public ulong[] Sets { get; }

    public double[] Shares { get; }

    /// <summary>The shares of <paramref name="sets"/> (one per person), plus <paramref name="priorWeight"/> people drawn from <paramref name="prior"/>.</summary>
    public static TagSetMix Of(IEnumerable<ulong> sets, TagSetMix? prior, double priorWeight)
    {
        var counts = new Dictionary<ulong, double>();
        foreach (var set in sets)
        {
            counts[set] = counts.GetValueOrDefault(set) + 1;
        }

        if (prior is not null && priorWeight > 0)
        {
            for (var i = 0; i < prior.Sets.Length; i++)
            {
                counts[prior.Sets[i]] = counts.GetValueOrDefault(prior.Sets[i]) + (priorWeight * prior.Shares[i]);
            }
        }

        var total = counts.Values.Sum();
        var ordered = counts.OrderBy(c => c.Key).ToArray();
        return new TagSetMix([.. ordered.Select(c => c.Key)], [.. ordered.Select(c => total <= 0 ? 0 : c.Value / total)]);
    }

    /// <summary>The chance that someone drawn from this mix shares a tag with <paramref name="second"/> (0.5 when the mix is empty).</summary>
    public double ShareWith(ulong second)
    {
        if (Sets.Length == 0)
        {
            return 0.5;
        }

        var share = 0.0;
        for (var i = 0; i < Sets.Length; i++)
        {
            if ((Sets[i] & second) != 0)
            {
                share += Shares[i];
            }
        }

        return share;
    }

    public double Expect(Func<ulong, double> value)
    {
        var sum = 0.0;
        for (var i = 0; i < Sets.Length; i++)
        {
            sum += Shares[i] * value(Sets[i]);
        }

        return sum;
    }
}
