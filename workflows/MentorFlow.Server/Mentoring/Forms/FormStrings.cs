using System.Globalization;
using MentorFlow.Mentoring.Domain;
using Microsoft.Extensions.Localization;

namespace MentorFlow.Server.Mentoring.Forms;

/// <summary>
/// The participant pages' words in one programme language (<c>en</c>, <c>es</c>): <c>FormStrings.resx</c> and
/// <c>FormStrings.es.resx</c> beside this file, read through <see cref="IStringLocalizer{T}"/> in that language.
/// </summary>
public sealed class FormStrings
{
    /// <summary>The languages the participant pages speak; any other programme language gets English.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "es"];

    private readonly IStringLocalizer<FormStrings> _localizer;

    public FormStrings(IStringLocalizer<FormStrings> localizer, string? language)
    {
        _localizer = localizer;
        Language = language is not null && Languages.Contains(language) ? language : "en";
        Culture = CultureInfo.GetCultureInfo(Language);
    }

    /// <summary>The page's language (the <c>lang</c> of its <c>html</c> element).</summary>
    public string Language { get; }

    public CultureInfo Culture { get; }

    public string this[string key] => InCulture(() => _localizer[key].Value);

    public string Format(string key, params object[] values) => string.Format(Culture, this[key], values);

    public string Title(LinkPurpose purpose) => this[purpose + ".Title"];

    public string Intro(LinkPurpose purpose) => this[purpose + ".Intro"];

    public string Label(string field) => this["Field." + field];

    /// <summary>
    /// Every key with a text of this language itself (English is the neutral resource; a translation lists only what it
    /// translates): the both-languages test compares them.
    /// </summary>
    public IReadOnlyDictionary<string, string> Own() =>
        InCulture(() => _localizer.GetAllStrings(includeParentCultures: Language == "en").ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal));

    /// <summary>The localizer reads the current UI culture: set it to this page's language for the lookup only.</summary>
    private T InCulture<T>(Func<T> read)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = Culture;
        try
        {
            return read();
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}

/// <summary>Makes the <see cref="FormStrings"/> of a programme language.</summary>
public sealed class FormStringsFactory(IStringLocalizer<FormStrings> localizer)
{
    public FormStrings For(string? language) => new(localizer, language);
}
