using System.Globalization;
using System.Resources;

namespace MentorFlow.Mentoring.Domain;

/// <summary>
/// What participants read about their match and their partnership, in the programme's language (<c>en</c>, <c>es</c>;
/// <c>ParticipantWords.resx</c> and <c>ParticipantWords.es.resx</c> beside this file): why two people were matched in
/// plain words (never a score or a model's terms, which stay on the manager pages), "every two weeks", "3 June 2027".
/// </summary>
public sealed class ParticipantWords
{
    /// <summary>The languages these words exist in; any other programme language gets English.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "es"];

    private static readonly ResourceManager Resources = new(typeof(ParticipantWords).FullName!, typeof(ParticipantWords).Assembly);

    private ParticipantWords(string language)
    {
        Language = language;
        Culture = CultureInfo.GetCultureInfo(language);
    }

    public string Language { get; }

    public CultureInfo Culture { get; }

    public static ParticipantWords For(string? language) => new(language is not null && Languages.Contains(language) ? language : "en");

    public string this[string key] => Resources.GetString(key, Culture) ?? key;

    /// <summary>
    /// Every key with a text of this language itself (English is the neutral resource; a translation lists only what it
    /// translates): the both-languages test compares them.
    /// </summary>
    public IReadOnlyDictionary<string, string> Own() =>
        (Resources.GetResourceSet(Language == "en" ? CultureInfo.InvariantCulture : Culture, createIfNotExists: true, tryParents: false)
            ?? throw new InvalidOperationException($"No participant words in '{Language}'."))
        .Cast<System.Collections.DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);

    /// <summary>"every two weeks", "cada dos semanas".</summary>
    public string Frequency(MeetingFrequency frequency) => this["Frequency." + frequency.Format()];

    /// <summary>"video call", "videollamada" (an unknown method stays as it is).</summary>
    public string Communication(string method) => Resources.GetString("Communication." + method, Culture) ?? method;

    /// <summary>"3 June 2027", "3 de junio de 2027".</summary>
    public string Date(DateOnly date) => date.ToString(this["Date.Long"], Culture);

    /// <summary>"Friday 8 November 2026, 09:00" in the programme's time zone.</summary>
    public string DateTime(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone).ToString(this["DateTime.Long"], Culture);

    /// <summary>"a, b and c".</summary>
    public string List(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " " + this["List.And"] + " " + items[^1],
    };

    /// <summary>A tag as a person writes it: <c>engineering-management</c> → "engineering management".</summary>
    public static string Tag(string tag) => tag.Replace('-', ' ').Replace('_', ' ');

    /// <summary>
    /// Why a mentor and a mentee were matched, in plain sentences drawn from their own answers: shared interests, the
    /// same field, the mentee's goals the mentor's experience covers, close time zones. Never empty.
    /// </summary>
    public IReadOnlyList<string> WhyMatched(Application mentor, Application mentee)
    {
        var reasons = new List<string>();
        var interests = mentee.Interests.Intersect(mentor.Interests, StringComparer.Ordinal).Take(3).Select(Tag).ToList();
        if (interests.Count > 0)
        {
            reasons.Add(string.Format(Culture, this["Why.Interests"], List(interests)));
        }

        if (string.Equals(mentor.CareerPath, mentee.CareerPath, StringComparison.Ordinal) && mentor.CareerPath.Length > 0)
        {
            reasons.Add(string.Format(Culture, this["Why.SameCareer"], Tag(mentor.CareerPath)));
        }

        var offered = mentor.Expertise.Concat(mentor.Goals).Concat(mentor.Interests).ToHashSet(StringComparer.Ordinal);
        var goals = mentee.Goals.Where(offered.Contains).Take(3).Select(Tag).ToList();
        if (goals.Count > 0)
        {
            reasons.Add(string.Format(Culture, this["Why.Goals"], List(goals)));
        }

        if (HoursApart(mentor.TimeZone, mentee.TimeZone) is { } hours)
        {
            if (hours == 0)
            {
                reasons.Add(this["Why.SameTimeZone"]);
            }
            else if (hours <= 3)
            {
                reasons.Add(this["Why.NearTimeZone"]);
            }
        }

        return reasons.Count == 0 ? [this["Why.Default"]] : reasons;
    }

    private static double? HoursApart(string a, string b) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(a, out var first) && TimeZoneInfo.TryFindSystemTimeZoneById(b, out var second)
            ? Math.Abs((first.BaseUtcOffset - second.BaseUtcOffset).TotalHours)
            : null;
}
