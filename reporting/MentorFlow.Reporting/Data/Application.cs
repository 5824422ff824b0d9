using System.Text.Json.Serialization;

namespace MentorFlow.Reporting.Data;

public enum Role
{
    Mentor,
    Mentee,
}

/// <summary>
/// A programme length in months, written <c>3-6</c>, <c>6-9</c> or <c>9-12</c> in CSV files and JSON: an applicant's
/// preferred length and the lengths a programme offers.
/// </summary>
public enum ProgrammeLength
{
    [JsonStringEnumMemberName("3-6")]
    ThreeToSix,

    [JsonStringEnumMemberName("6-9")]
    SixToNine,

    [JsonStringEnumMemberName("9-12")]
    NineToTwelve,
}

/// <summary>One row of applications.csv (mentors and mentees together). Tag lists are normalised (see <see cref="Tags"/>).</summary>
public sealed record Application
{
    public required string Id { get; init; }
    public required Role Role { get; init; }
    public required string Name { get; init; }
    public required string Email { get; init; }
    /// <summary>IANA time-zone id, e.g. <c>Europe/London</c>.</summary>
    public required string TimeZone { get; init; }
    public required IReadOnlyList<string> Interests { get; init; }
    public required string CareerPath { get; init; }
    public required IReadOnlyList<string> Goals { get; init; }
    public IReadOnlyList<string> Expertise { get; init; } = [];
    public required int SeniorityYears { get; init; }
    public double? HoursPerMonth { get; init; }
    public required ProgrammeLength PreferredLength { get; init; }
    public IReadOnlyList<string> Communication { get; init; } = [];
    public IReadOnlyList<string> Languages { get; init; } = [];
    /// <summary>How many mentees a mentor takes (≥ 1); always 0 for a mentee.</summary>
    public int Capacity { get; init; }
    public string? Statement { get; init; }

    public bool IsMentor => Role == Role.Mentor;
}

public static class ContractValues
{
    public static readonly IReadOnlyList<string> CommunicationTags = ["video", "phone", "chat", "email", "in-person"];

    public static string ToCsv(this Role role) => role == Role.Mentor ? "mentor" : "mentee";

    public static Role? ParseRole(string text) => text.Trim().ToLowerInvariant() switch
    {
        "mentor" => Role.Mentor,
        "mentee" => Role.Mentee,
        _ => null,
    };

    public static string ToCsv(this ProgrammeLength length) => length switch
    {
        ProgrammeLength.ThreeToSix => "3-6",
        ProgrammeLength.SixToNine => "6-9",
        _ => "9-12",
    };

    /// <summary>The middle of the range in months (4.5, 7.5 or 10.5).</summary>
    public static double MidMonths(this ProgrammeLength length) => length switch
    {
        ProgrammeLength.ThreeToSix => 4.5,
        ProgrammeLength.SixToNine => 7.5,
        _ => 10.5,
    };

    public static ProgrammeLength? ParseLength(string text) => text.Trim() switch
    {
        "3-6" => ProgrammeLength.ThreeToSix,
        "6-9" => ProgrammeLength.SixToNine,
        "9-12" => ProgrammeLength.NineToTwelve,
        _ => null,
    };

    /// <summary>True when <paramref name="id"/> is an IANA time-zone id known to this machine's tz database.</summary>
    public static bool IsIanaTimeZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId;

    /// <summary>A plain address (<c>local@domain.tld</c>), no display name.</summary>
    public static bool IsEmail(string text)
    {
        if (text.Any(char.IsWhiteSpace) || !System.Net.Mail.MailAddress.TryCreate(text, out var address))
        {
            return false;
        }

        return address.Address == text && address.Host.Contains('.', StringComparison.Ordinal) && !address.Host.EndsWith('.');
    }

    /// <summary>ISO 639-1: two ASCII letters.</summary>
    public static bool IsLanguageCode(string tag) => tag.Length == 2 && tag.All(char.IsAsciiLetterLower);
}
