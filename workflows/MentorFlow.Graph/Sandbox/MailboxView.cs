using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using static MentorFlow.Graph.Sandbox.GraphSandboxEndpoints;

namespace MentorFlow.Graph.Sandbox;

/// <summary>
/// What a participant would see in Outlook: the invites they organize or attend (series expanded into occurrences,
/// cancelled ones marked) and the mails they received or sent, plus an iCalendar file per invite.
/// </summary>
public static class MailboxView
{
    private const int MaxOccurrences = 200;

    public static async Task<string> IndexAsync(GraphSandbox sandbox, CancellationToken cancellationToken)
    {
        var html = Page("MentorFlow Graph sandbox", home: false);
        html.Append("<p>Every invite and mail MentorFlow sent to this sandbox, per mailbox: what each person would see in Outlook. Graph v1.0 is served at <code>/v1.0</code>.</p>");
        var mailboxes = await sandbox.Store.MailboxesAsync(cancellationToken);
        if (mailboxes.Count == 0)
        {
            return html.Append("<p class=\"empty\">Nothing has been sent here yet. Invites and mails appear as flows send them (the outbox is dispatched every second).</p></main></body></html>").ToString();
        }

        html.Append($"<div class=\"scroll\"><table><caption>{mailboxes.Count} mailboxes</caption><thead><tr><th scope=\"col\">Mailbox</th><th scope=\"col\">Invites</th><th scope=\"col\">Mails</th></tr></thead><tbody>");
        foreach (var (address, invites, mails) in mailboxes)
        {
            html.Append($"<tr><td><a href=\"/mailbox/{Uri.EscapeDataString(address)}\">{Encode(address)}</a></td><td>{invites}</td><td>{mails}</td></tr>");
        }

        return html.Append("</tbody></table></div></main></body></html>").ToString();
    }

    public static async Task<string> MailboxAsync(GraphSandbox sandbox, string address, CancellationToken cancellationToken)
    {
        var html = Page($"Mailbox of {address}");
        var events = await sandbox.Store.EventsAsync(person: address, cancellationToken: cancellationToken);
        html.Append($"<h2>Calendar ({events.Count} invites)</h2>");
        html.Append(events.Count == 0 ? "<div hidden>" : "<div class=\"scroll\">")
            .Append("<table><thead><tr><th>When</th><th>Subject</th><th>Organizer</th><th>Location</th><th>Status</th><th></th></tr></thead><tbody>");
        var rows = events
            .SelectMany(e => GraphSandbox.Occurrences(e, address, MaxOccurrences).Select(o => (Event: e, o.Start, o.End, o.StartUtc)))
            .OrderBy(o => o.StartUtc);
        foreach (var (item, start, end, _) in rows)
        {
            var status = item.IsCancelled ? $"Cancelled: {Encode(item.CancellationComment)}" : item.Recurrence is null ? "Invite" : "Occurrence of a series";
            var teams = item.JoinUrl is null ? string.Empty : $" <a href=\"{Encode(item.JoinUrl)}\">Join Teams meeting</a>";
            html.Append("<tr").Append(item.IsCancelled ? " class=\"cancelled\"" : string.Empty).Append('>')
                .Append($"<td>{Stamp(start)} – {end:HH:mm} ({Encode(item.TimeZone)})</td>")
                .Append($"<td><details><summary>{Encode(item.Subject)}</summary>")
                .Append($"<p>Attendees: {Encode(string.Join(", ", item.Attendees.Select(a => a.Address)))}</p>")
                .Append($"<iframe sandbox=\"\" srcdoc=\"{Encode(item.BodyContent)}\"></iframe></details></td>")
                .Append($"<td>{Encode(item.Mailbox)}</td><td>{Encode(item.Location)}{teams}</td><td>{status}</td>")
                .Append($"<td><a href=\"/mailbox/{Uri.EscapeDataString(address)}/events/{Uri.EscapeDataString(item.Id)}.ics\">.ics</a></td></tr>");
        }

        html.Append("</tbody></table></div>");
        if (events.Count == 0)
        {
            html.Append("<p class=\"empty\">No invites for this mailbox.</p>");
        }

        var mails = (await sandbox.Store.MessagesAsync(person: address, cancellationToken: cancellationToken))
            .OrderByDescending(m => m.SentAt)
            .ToList();
        html.Append($"<h2>Mail ({mails.Count})</h2>").Append(mails.Count == 0 ? "<div hidden>" : "<div class=\"scroll\">").Append($"<table><thead><tr><th>Sent</th><th>From</th><th>To</th><th>Subject</th></tr></thead><tbody>");
        foreach (var mail in mails)
        {
            var replyTo = mail.ReplyTo.Count == 0 ? string.Empty : $"<p>Reply to: {Encode(string.Join(", ", mail.ReplyTo.Select(r => r.Address)))}</p>";
            html.Append($"<tr><td>{mail.SentAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC</td><td>{Encode(mail.Sender)}</td>")
                .Append($"<td>{Encode(string.Join(", ", mail.To.Select(r => r.Address)))}</td>")
                .Append($"<td><details><summary>{Encode(mail.Subject)}</summary>{replyTo}")
                .Append(mail.BodyContentType == "html"
                    ? $"<iframe sandbox=\"\" srcdoc=\"{Encode(mail.BodyContent)}\"></iframe>"
                    : $"<pre>{Encode(mail.BodyContent)}</pre>")
                .Append("</details></td></tr>");
        }

        html.Append("</tbody></table></div>");
        if (mails.Count == 0)
        {
            html.Append("<p class=\"empty\">No mail for this mailbox.</p>");
        }

        return html.Append("</main></body></html>").ToString();
    }

    /// <summary>The invite as an iCalendar file (RRULE for a series, METHOD:CANCEL once cancelled); null if unknown.</summary>
    public static async Task<string?> IcsAsync(GraphSandbox sandbox, string address, string id, CancellationToken cancellationToken)
    {
        var item = (await sandbox.Store.EventsAsync(person: address, cancellationToken: cancellationToken)).FirstOrDefault(e => e.Id == id);
        if (item is null)
        {
            return null;
        }

        var zone = Model.GraphTimeZones.TryFromGraph(item.TimeZone, out var iana) ? iana : "UTC";
        var calendarEvent = new CalendarEvent
        {
            Uid = item.ICalUId,
            Summary = item.Subject,
            Description = item.BodyContent,
            Location = item.Location,
            DtStart = new CalDateTime(item.Start, zone),
            DtEnd = new CalDateTime(item.End, zone),
            Organizer = new Organizer($"mailto:{item.Mailbox}"),
            Status = item.IsCancelled ? EventStatus.Cancelled : EventStatus.Confirmed,
            Sequence = item.ChangeNumber - 1,
        };
        foreach (var attendee in item.Attendees)
        {
            calendarEvent.Attendees.Add(new Attendee($"mailto:{attendee.Address}")
            {
                CommonName = attendee.Name,
                Role = attendee.Type == "optional" ? ParticipationRole.OptionalParticipant : ParticipationRole.RequiredParticipant,
                Rsvp = true,
            });
        }

        if (item.Recurrence is { } rule && ToRule(rule) is { } pattern)
        {
            calendarEvent.RecurrenceRule = pattern;
        }

        var calendar = new Calendar { Method = item.IsCancelled ? "CANCEL" : "REQUEST" };
        calendar.AddTimeZone(zone);
        calendar.Events.Add(calendarEvent);
        return new CalendarSerializer().SerializeToString(calendar);
    }

    private static RecurrencePattern? ToRule(SandboxRecurrence rule)
    {
        var pattern = rule.PatternType switch
        {
            "daily" => new RecurrencePattern(FrequencyType.Daily, rule.Interval),
            "weekly" => new RecurrencePattern(FrequencyType.Weekly, rule.Interval)
            {
                ByDay = rule.DaysOfWeek.Select(d => new WeekDay(d)).ToList(),
                FirstDayOfWeek = rule.FirstDayOfWeek,
            },
            "absoluteMonthly" => new RecurrencePattern(FrequencyType.Monthly, rule.Interval) { ByMonthDay = [rule.DayOfMonth] },
            "absoluteYearly" => new RecurrencePattern(FrequencyType.Yearly, rule.Interval) { ByMonth = [rule.Month], ByMonthDay = [rule.DayOfMonth] },
            _ => null,
        };
        if (pattern is null)
        {
            return null;
        }

        if (rule.RangeType == "endDate" && rule.EndDate is { } end)
        {
            pattern.Until = new CalDateTime(end.Year, end.Month, end.Day, 23, 59, 59, CalDateTime.UtcTzId);
        }
        else if (rule.RangeType == "numbered")
        {
            pattern.Count = rule.NumberOfOccurrences;
        }

        return pattern;
    }

    private static StringBuilder Page(string title, bool home = true) => new StringBuilder()
        .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
        .Append(Encode(title)).Append("</title>")
        .Append("<style>body{font-family:Segoe UI,Arial,sans-serif;margin:0;color:#1b2333;background:#f5f7fa}")
        .Append("header{background:#1b2540;color:#fff;padding:.8em 1.5em}header a{color:#fff}main{padding:1em 1.5em;max-width:72em}")
        .Append("table{border-collapse:collapse;width:100%;background:#fff}caption{text-align:left;padding:.4em 0;color:#4a5568}")
        .Append("td,th{border-bottom:1px solid #d9dee7;padding:.4em;text-align:left;vertical-align:top}.cancelled{color:#5f6b7a;text-decoration:line-through}")
        .Append(".scroll{overflow-x:auto}.empty{font-style:italic;color:#4a5568}a{color:#1d4f91}iframe{width:100%;height:12em;border:1px solid #d9dee7;background:#fff}</style></head><body>")
        .Append("<header><strong>MentorFlow Graph sandbox</strong>").Append(home ? " · <a href=\"/\">All mailboxes</a>" : string.Empty).Append("</header>")
        .Append("<main><h1>").Append(Encode(title)).Append("</h1>");

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
