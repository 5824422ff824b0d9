using System.Globalization;

namespace MentorFlow.Graph.Model;

/// <summary>
/// Checks a request before anything is queued or sent to Graph. Errors are keyed by the failing field (camelCase
/// path, e.g. <c>attendees[1].email</c>) so they map straight onto a validation problem.
/// </summary>
public static class GraphRequestValidator
{
    public const int MaxRecipients = 500;
    public const int MaxAttendees = 500;

    public static IReadOnlyDictionary<string, string[]> ValidateMailbox(string? mailbox)
    {
        var errors = new ErrorBag();
        CheckMailbox(errors, "organizerMailbox", mailbox);
        return errors.Result;
    }

    public static IReadOnlyDictionary<string, string[]> Validate(string? mailbox, InviteRequest invite)
    {
        var errors = new ErrorBag();
        CheckMailbox(errors, "organizerMailbox", mailbox);
        CheckInvite(errors, string.Empty, invite);
        return errors.Result;
    }

    public static IReadOnlyDictionary<string, string[]> Validate(string? mailbox, SeriesRequest series)
    {
        var errors = new ErrorBag();
        CheckMailbox(errors, "organizerMailbox", mailbox);
        CheckInvite(errors, "firstOccurrence.", series.FirstOccurrence);
        if (!Enum.IsDefined(series.Cadence))
        {
            errors.Add("cadence", $"'{series.Cadence}' is not a cadence; use Weekly, EveryTwoWeeks or Monthly.");
        }

        var firstDate = DateOnly.FromDateTime(series.FirstOccurrence.Start);
        if (series.EndDate < firstDate)
        {
            errors.Add("endDate", $"The series ends ({Format(series.EndDate)}) before it starts ({Format(firstDate)}).");
        }

        if (series.ProgrammeEnd is { } programmeEnd && series.EndDate > programmeEnd)
        {
            errors.Add("endDate", $"The series ends ({Format(series.EndDate)}) after the programme ends ({Format(programmeEnd)}).");
        }

        if (series.Cadence == RecurrenceCadence.Monthly && series.FirstOccurrence.Start.Day > 28)
        {
            errors.Add("firstOccurrence.start", "A monthly series must start on day 1 to 28 so every month has the meeting.");
        }

        return errors.Result;
    }

    public static IReadOnlyDictionary<string, string[]> Validate(string? mailbox, InviteUpdate update)
    {
        var errors = new ErrorBag();
        CheckMailbox(errors, "organizerMailbox", mailbox);
        if (update.Start is null && update.End is null && update.Attendees is null && update.Subject is null
            && update.HtmlBody is null && update.TimeZone is null)
        {
            errors.Add("update", "Nothing to change: give a new start, end, time zone, attendees, subject or body.");
        }

        if ((update.Start is null) != (update.End is null))
        {
            errors.Add(update.Start is null ? "start" : "end", "A new time needs both start and end.");
        }
        else if (update.Start is { } start && update.End is { } end && end <= start)
        {
            errors.Add("end", "The end must be after the start.");
        }

        if (update.TimeZone is not null && !GraphTimeZones.TryToGraph(update.TimeZone, out _))
        {
            errors.Add("timeZone", $"'{update.TimeZone}' is not a known IANA time zone.");
        }

        if (update.Attendees is not null)
        {
            CheckPeople(errors, "attendees", update.Attendees, MaxAttendees, required: true);
        }

        if (update.Subject is not null && string.IsNullOrWhiteSpace(update.Subject))
        {
            errors.Add("subject", "The subject must not be blank.");
        }

        return errors.Result;
    }

    public static IReadOnlyDictionary<string, string[]> Validate(string? mailbox, MailRequest mail)
    {
        var errors = new ErrorBag();
        CheckMailbox(errors, "organizerMailbox", mailbox);
        if (string.IsNullOrWhiteSpace(mail.Subject))
        {
            errors.Add("subject", "The subject is required.");
        }

        if (mail.HtmlBody is null)
        {
            errors.Add("htmlBody", "The body is required.");
        }

        CheckPeople(errors, "to", mail.To, MaxRecipients, required: true);
        CheckPeople(errors, "cc", mail.Cc ?? [], MaxRecipients, required: false);
        CheckPeople(errors, "replyTo", mail.ReplyTo ?? [], MaxRecipients, required: false);
        if (mail.To.Count + (mail.Cc?.Count ?? 0) > MaxRecipients)
        {
            errors.Add("to", $"Graph accepts at most {MaxRecipients} recipients per message.");
        }

        return errors.Result;
    }

    /// <summary>An email address (UPN) or an object id (GUID): what Graph accepts in <c>/users/{id}</c>.</summary>
    public static bool IsMailboxId(string? mailbox) =>
        !string.IsNullOrWhiteSpace(mailbox) && (Guid.TryParse(mailbox, out _) || IsEmail(mailbox));

    /// <summary>A plain address <c>local@domain.tld</c> (no display name, no spaces).</summary>
    public static bool IsEmail(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 320 || value.Any(char.IsWhiteSpace))
        {
            return false;
        }

        if (!System.Net.Mail.MailAddress.TryCreate(value, out var parsed) || parsed.Address != value)
        {
            return false;
        }

        var host = parsed.Host;
        var at = value.LastIndexOf('@');
        return at > 0 && host.Contains('.', StringComparison.Ordinal) && !host.StartsWith('.') && !host.EndsWith('.')
               && !host.Contains("..", StringComparison.Ordinal);
    }

    private static void CheckInvite(ErrorBag errors, string prefix, InviteRequest invite)
    {
        if (string.IsNullOrWhiteSpace(invite.Subject))
        {
            errors.Add(prefix + "subject", "The subject is required.");
        }

        if (invite.HtmlBody is null)
        {
            errors.Add(prefix + "htmlBody", "The body is required (it may be empty).");
        }

        if (!GraphTimeZones.TryToGraph(invite.TimeZone, out _))
        {
            errors.Add(prefix + "timeZone", $"'{invite.TimeZone}' is not a known IANA time zone.");
        }

        if (invite.Start == default)
        {
            errors.Add(prefix + "start", "The start is required.");
        }

        if (invite.End <= invite.Start)
        {
            errors.Add(prefix + "end", $"The end ({invite.End:s}) must be after the start ({invite.Start:s}).");
        }
        else if (invite.End - invite.Start > TimeSpan.FromDays(14))
        {
            errors.Add(prefix + "end", "An invite may last at most 14 days.");
        }

        CheckPeople(errors, prefix + "attendees", invite.Attendees, MaxAttendees, required: true);
    }

    private static void CheckPeople(ErrorBag errors, string field, IReadOnlyList<EmailContact>? people, int max, bool required)
    {
        if (people is null || people.Count == 0)
        {
            if (required)
            {
                errors.Add(field, "At least one address is required.");
            }

            return;
        }

        if (people.Count > max)
        {
            errors.Add(field, $"At most {max} addresses are allowed.");
        }

        for (var i = 0; i < people.Count; i++)
        {
            var email = people[i]?.Email;
            if (!IsEmail(email))
            {
                errors.Add($"{field}[{i}].email", $"'{email}' is not a valid email address.");
            }
        }
    }

    private static void CheckMailbox(ErrorBag errors, string field, string? mailbox)
    {
        if (string.IsNullOrWhiteSpace(mailbox))
        {
            errors.Add(field, "The organizer mailbox is missing (set Graph:OrganizerMailbox or give one).");
        }
        else if (!IsMailboxId(mailbox))
        {
            errors.Add(field, $"'{mailbox}' is neither an email address nor an object id.");
        }
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class ErrorBag
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var list))
            {
                _errors[field] = list = [];
            }

            list.Add(message);
        }

        public IReadOnlyDictionary<string, string[]> Result =>
            _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }
}

/// <summary>A request failed validation before any Graph call; <see cref="Errors"/> is keyed by field.</summary>
public sealed class GraphValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("Invalid Graph request: " + string.Join("; ", errors.Select(pair => $"{pair.Key}: {string.Join(" ", pair.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static void ThrowIfInvalid(IReadOnlyDictionary<string, string[]> errors)
    {
        if (errors.Count > 0)
        {
            throw new GraphValidationException(errors);
        }
    }
}
