using System.Text.Json.Serialization;

namespace MentorFlow.Graph.Model;

/// <summary>A person on an invite or a mail.</summary>
public sealed record EmailContact(string Email, string? Name = null);

/// <summary>
/// A single calendar invite. <see cref="Start"/> and <see cref="End"/> are wall-clock times in <see cref="TimeZone"/>,
/// an IANA id as stored in our data (converted to a Windows id for Graph).
/// </summary>
public sealed record InviteRequest(
    string Subject,
    string HtmlBody,
    DateTime Start,
    DateTime End,
    string TimeZone,
    IReadOnlyList<EmailContact> Attendees,
    string? Location = null,
    bool TeamsMeeting = false);

[JsonConverter(typeof(JsonStringEnumConverter<RecurrenceCadence>))]
public enum RecurrenceCadence
{
    Weekly,
    EveryTwoWeeks,
    Monthly,
}

/// <summary>
/// A recurring series: <see cref="FirstOccurrence"/> is the first meeting (the series start date is its date, as Graph
/// requires); the series ends on <see cref="EndDate"/> (inclusive), which may not pass <see cref="ProgrammeEnd"/>.
/// </summary>
public sealed record SeriesRequest(
    InviteRequest FirstOccurrence,
    RecurrenceCadence Cadence,
    DateOnly EndDate,
    DateOnly? ProgrammeEnd = null);

/// <summary>Changes to an existing event or series; null members stay as they are.</summary>
public sealed record InviteUpdate(
    DateTime? Start = null,
    DateTime? End = null,
    string? TimeZone = null,
    IReadOnlyList<EmailContact>? Attendees = null,
    string? Subject = null,
    string? HtmlBody = null);

/// <summary>An HTML mail from the organizer mailbox.</summary>
public sealed record MailRequest(
    IReadOnlyList<EmailContact> To,
    string Subject,
    string HtmlBody,
    IReadOnlyList<EmailContact>? Cc = null,
    IReadOnlyList<EmailContact>? ReplyTo = null);

/// <summary>What Graph returned for a created or updated event (kept so later steps can update or cancel it).</summary>
public sealed record GraphEventRef(string EventId, string? ICalUId, string? WebLink = null);
