using System.Globalization;
using MentorFlow.Graph.Model;

namespace MentorFlow.Graph.Activities;

/// <summary>Turns the designer's text inputs into typed requests; every problem names the input.</summary>
internal static class GraphActivityInputs
{
    /// <summary>Addresses separated by commas, semicolons or new lines.</summary>
    public static List<EmailContact> People(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split([',', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(address => new EmailContact(address))
                .ToList();

    /// <summary>
    /// A wall-clock time in <paramref name="timeZone"/>: <c>2026-03-02T09:00</c> as is, or an instant with an offset
    /// (<c>...Z</c>, <c>+01:00</c>) converted to that zone.
    /// </summary>
    public static DateTime? WallClock(string? text, string? timeZone, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        var hasOffset = trimmed.EndsWith('Z') || (trimmed.Length > 19 && (trimmed[^6] is '+' or '-'));
        if (hasOffset && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            if (!GraphTimeZones.TryFind(timeZone, out var zone))
            {
                return instant.UtcDateTime;
            }

            return TimeZoneInfo.ConvertTime(instant, zone).DateTime;
        }

        if (DateTime.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        }

        errors[field] = [$"'{text}' is not a date and time (e.g. 2026-03-02T09:00)."];
        return null;
    }

    public static DateOnly? Date(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParse(text.Trim()[..Math.Min(10, text.Trim().Length)], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors[field] = [$"'{text}' is not a date (e.g. 2026-06-30)."];
        return null;
    }

    public static void ThrowIfInvalid(Dictionary<string, string[]> errors) => GraphValidationException.ThrowIfInvalid(errors);
}
