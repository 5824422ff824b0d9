using System.Globalization;
using MentorFlow.Mentoring.Domain;

namespace MentorFlow.Server.Mentoring.Forms;

/// <summary>The lists the application form offers: IANA time zones, languages by name, the programme's terms.</summary>
public static class FormChoices
{
    /// <summary>Every IANA time zone id this machine knows (regions only, plus UTC), sorted; the value posted is the id.</summary>
    public static readonly IReadOnlyList<string> TimeZones = TimeZoneInfo.GetSystemTimeZones()
        .Select(zone => zone.Id)
        .Where(id => id == "UTC" || (id.Contains('/', StringComparison.Ordinal) && !id.StartsWith("Etc/", StringComparison.Ordinal)
            && !id.StartsWith("SystemV/", StringComparison.Ordinal) && Vocabulary.IsIanaTimeZone(id)))
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>A time zone as people read it: <c>America/New_York</c> → "America / New York".</summary>
    public static string TimeZoneName(string id) => id.Replace("_", " ", StringComparison.Ordinal).Replace("/", " / ", StringComparison.Ordinal);

    /// <summary>
    /// The ISO 639-1 languages by their own name ("Español"), with the name in the page's language beside it when it
    /// differs and the page is in English ("Español (Spanish)"); sorted by that label.
    /// </summary>
    public static IReadOnlyList<(string Value, string Text)> Languages(string pageLanguage) =>
        [.. CultureInfo.GetCultures(CultureTypes.NeutralCultures)
            .Where(culture => culture.TwoLetterISOLanguageName.Length == 2 && Vocabulary.IsLanguage(culture.TwoLetterISOLanguageName)
                && culture.Name == culture.TwoLetterISOLanguageName)
            .Select(culture => (culture.Name, Text: LanguageName(culture, pageLanguage)))
            .DistinctBy(language => language.Name)
            .OrderBy(language => language.Text, StringComparer.Create(CultureInfo.GetCultureInfo(pageLanguage), CompareOptions.IgnoreCase))];

    /// <summary>A language's name for a page ("Español"; "Español (Spanish)" on an English page), or its code when unknown.</summary>
    public static string LanguageName(string code, string pageLanguage)
    {
        try
        {
            return LanguageName(CultureInfo.GetCultureInfo(code), pageLanguage);
        }
        catch (CultureNotFoundException)
        {
            return code;
        }
    }

    /// <summary>The programme's terms of one list as options: the value is the term's tag, the text the manager's spelling.</summary>
    public static IReadOnlyList<(string Value, string Text)> Terms(IEnumerable<string> terms) =>
        [.. terms.Select(term => (ProgrammeVocabulary.TagOf(term), term))];

    private static string LanguageName(CultureInfo culture, string pageLanguage)
    {
        var own = Capitalized(culture.NativeName, culture);
        return pageLanguage == "en" && !string.Equals(culture.EnglishName, culture.NativeName, StringComparison.OrdinalIgnoreCase)
            ? $"{own} ({culture.EnglishName})"
            : own;
    }

    private static string Capitalized(string text, CultureInfo culture) =>
        text.Length == 0 ? text : char.ToUpper(text[0], culture) + text[1..];
}
