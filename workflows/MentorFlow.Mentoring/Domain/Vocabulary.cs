using System.Globalization;
using System.Net.Mail;
using MentorFlow.Reporting.Data;

namespace MentorFlow.Mentoring.Domain;

/// <summary>The words of the CSV formats (docs/data-formats.md) and the checks shared by the API, the forms and CSV import.</summary>
public static class Vocabulary
{
    public static readonly IReadOnlyList<string> CommunicationMethods = ContractValues.CommunicationTags;

    private static readonly HashSet<string> IsoLanguages = CultureInfo.GetCultures(CultureTypes.NeutralCultures)
        .Select(culture => culture.TwoLetterISOLanguageName)
        .Where(code => code.Length == 2)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary><c>3-6</c>, <c>6-9</c> or <c>9-12</c>, as in applications.csv.</summary>
    public static string Format(this ProgrammeLength length) => length.ToCsv();

    public static bool TryParseLength(string? text, out ProgrammeLength length)
    {
        var parsed = text is null ? null : ContractValues.ParseLength(text);
        length = parsed.GetValueOrDefault();
        return parsed is not null;
    }

    /// <summary>The longest number of months of a length option (a pair's planned end is start + this).</summary>
    public static int Months(this ProgrammeLength length) => length switch
    {
        ProgrammeLength.ThreeToSix => 6,
        ProgrammeLength.SixToNine => 9,
        _ => 12,
    };

    public static string Format(this MeetingFrequency frequency) => frequency switch
    {
        MeetingFrequency.Weekly => "weekly",
        MeetingFrequency.EveryTwoWeeks => "every-2-weeks",
        _ => "monthly",
    };

    public static bool TryParseFrequency(string? text, out MeetingFrequency frequency)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "weekly": frequency = MeetingFrequency.Weekly; return true;
            case "every-2-weeks" or "every 2 weeks" or "everytwoweeks" or "biweekly": frequency = MeetingFrequency.EveryTwoWeeks; return true;
            case "monthly": frequency = MeetingFrequency.Monthly; return true;
            default: frequency = default; return false;
        }
    }

    public static string Format(this ParticipantRole role) => role == ParticipantRole.Mentor ? "mentor" : "mentee";

    public static bool TryParseRole(string? text, out ParticipantRole role)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "mentor": role = ParticipantRole.Mentor; return true;
            case "mentee": role = ParticipantRole.Mentee; return true;
            default: role = default; return false;
        }
    }

    /// <summary>Splits a <c>;</c>-separated cell (commas also accepted from forms), trims, lower-cases, de-duplicates.</summary>
    public static List<string> Tags(string? cell, bool acceptCommas = false)
    {
        if (string.IsNullOrWhiteSpace(cell))
        {
            return [];
        }

        var separators = acceptCommas ? new[] { ';', ',' } : [';'];
        return Tags(cell.Split(separators));
    }

    public static List<string> Tags(IEnumerable<string?>? items) =>
        items is null
            ? []
            : items.Select(item => item?.Trim().ToLowerInvariant() ?? "")
                .Where(item => item.Length > 0)
                .Distinct(StringComparer.Ordinal)
                .ToList();

    public static bool IsEmail(string? text) =>
        !string.IsNullOrWhiteSpace(text)
        && text.Length <= 320
        && MailAddress.TryCreate(text, out var address)
        && address.Address == text
        && address.Host.Contains('.', StringComparison.Ordinal);

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>True for an IANA time zone id this machine knows (Windows ids are refused).</summary>
    public static bool IsIanaTimeZone(string? id) =>
        !string.IsNullOrWhiteSpace(id)
        && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _)
        && (id == "UTC" || id.StartsWith("Etc/", StringComparison.Ordinal) || TimeZoneInfo.TryConvertIanaIdToWindowsId(id, out _));

    public static bool IsLanguage(string code) => code.Length == 2 && IsoLanguages.Contains(code);

    public static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
