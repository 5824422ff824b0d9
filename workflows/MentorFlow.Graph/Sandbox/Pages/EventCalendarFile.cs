using System.Text;
using AngleSharp.Html.Parser;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace MentorFlow.Graph.Sandbox.Pages;

/// <summary>
/// An invite as an RFC 5545 iCalendar file: one VEVENT with the event's iCalUId as UID, DTSTART/DTEND with the
/// event's TZID (and its VTIMEZONE) or UTC (an all-day event: dates, <c>VALUE=DATE</c>), an RRULE for a series, ORGANIZER and ATTENDEEs, SUMMARY, LOCATION and a
/// plain-text DESCRIPTION (the mail body without markup), METHOD:REQUEST, or METHOD:CANCEL once cancelled. Text is
/// escaped by Ical.Net (backslash, semicolon, comma, newline); control characters a participant's text may carry
/// are dropped and names lose the quotes a parameter cannot hold, so no text can end a property or the event early.
/// Lines are folded at 75 octets, never inside a UTF-8 sequence.
/// </summary>
public static class EventCalendarFile
{
    public const int MaxLineOctets = 75;

    public static string Write(SandboxEvent item)
    {
        var zone = Model.GraphTimeZones.TryFromGraph(item.TimeZone, out var iana) ? iana : "UTC";
        var calendarEvent = new CalendarEvent
        {
            Uid = Text(item.ICalUId),
            Summary = Text(item.Subject),
            Description = Text(PlainText(item.BodyContentType, item.BodyContent)),
            Location = string.IsNullOrEmpty(item.Location) ? null : Text(item.Location),
            DtStart = item.IsAllDay ? Date(item.Start) : new CalDateTime(item.Start, zone),
            DtEnd = item.IsAllDay ? Date(item.End) : new CalDateTime(item.End, zone),
            DtStamp = new CalDateTime((item.LastModifiedAt == default ? item.CreatedAt : item.LastModifiedAt).UtcDateTime, CalDateTime.UtcTzId),
            Organizer = new Organizer($"mailto:{item.Mailbox}"),
            Status = item.IsCancelled ? EventStatus.Cancelled : EventStatus.Confirmed,
            Sequence = Math.Max(0, item.ChangeNumber - 1),
        };
        foreach (var attendee in item.Attendees)
        {
            calendarEvent.Attendees.Add(new Attendee($"mailto:{attendee.Address}")
            {
                CommonName = string.IsNullOrWhiteSpace(attendee.Name) ? null : ParameterText(attendee.Name),
                Role = attendee.Type == "optional" ? ParticipationRole.OptionalParticipant : ParticipationRole.RequiredParticipant,
                Rsvp = true,
            });
        }

        if (item.Recurrence is { } rule && ToRule(rule) is { } pattern)
        {
            calendarEvent.RecurrenceRule = pattern;
        }

        var calendar = new Calendar { Method = item.IsCancelled ? "CANCEL" : "REQUEST", ProductId = "-//MentorFlow//Graph sandbox//EN" };
        if (zone != "UTC" && !item.IsAllDay)
        {
            calendar.AddTimeZone(zone);
        }

        calendar.Events.Add(calendarEvent);
        return Fold(new CalendarSerializer().SerializeToString(calendar) ?? string.Empty);
    }

    /// <summary>An all-day event's day (<c>VALUE=DATE</c>): the same dates in every zone, as Outlook shows it.</summary>
    private static CalDateTime Date(DateTime value) => new(value.Year, value.Month, value.Day);

    /// <summary>Unfolds the serializer's lines and folds each again at <see cref="MaxLineOctets"/> octets (RFC 5545 §3.1).</summary>
    public static string Fold(string text)
    {
        var unfolded = text.Replace("\r\n ", string.Empty, StringComparison.Ordinal).Replace("\r\n\t", string.Empty, StringComparison.Ordinal);
        var output = new StringBuilder(unfolded.Length + unfolded.Length / 70 * 3);
        foreach (var line in unfolded.Split("\r\n"))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var octets = 0;
            var limit = MaxLineOctets;
            for (var i = 0; i < line.Length; i++)
            {
                var width = char.IsHighSurrogate(line[i]) && i + 1 < line.Length ? 2 : 1;
                var size = Encoding.UTF8.GetByteCount(line.AsSpan(i, width));
                if (octets + size > limit)
                {
                    output.Append("\r\n ");
                    octets = 0;
                    limit = MaxLineOctets - 1; // the leading space of a continuation line counts
                }

                output.Append(line, i, width);
                octets += size;
                i += width - 1;
            }

            output.Append("\r\n");
        }

        return output.ToString();
    }

    /// <summary>Text without control characters other than newline and tab (TSAFE-CHAR of RFC 5545 excludes them).</summary>
    private static string Text(string value) =>
        new(value.Replace("\r\n", "\n", StringComparison.Ordinal).Where(c => c is '\n' or '\t' || !char.IsControl(c)).ToArray());

    /// <summary>A parameter value (CN): no control characters, no double quote (a quoted-string cannot hold one).</summary>
    private static string ParameterText(string value) =>
        new(value.Where(c => !char.IsControl(c) && c != '"').ToArray());

    private static string PlainText(string contentType, string body)
    {
        if (!string.Equals(contentType, "html", StringComparison.OrdinalIgnoreCase))
        {
            return body;
        }

        var document = new HtmlParser().ParseDocument(body);
        foreach (var element in document.QuerySelectorAll("script, style, head"))
        {
            element.Remove();
        }

        foreach (var element in document.QuerySelectorAll("br, p, div, li, tr, h1, h2, h3, h4"))
        {
            element.After(document.CreateTextNode("\n"));
        }

        var lines = (document.Body?.TextContent ?? string.Empty).Split('\n').Select(line => line.Trim());
        return string.Join('\n', lines.Where(line => line.Length > 0));
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
            "relativeMonthly" => new RecurrencePattern(FrequencyType.Monthly, rule.Interval)
            {
                ByDay = rule.DaysOfWeek.Select(d => new WeekDay(d, RelativeIndex(rule.Index))).ToList(),
            },
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

    private static int RelativeIndex(string index) => index switch
    {
        "second" => 2,
        "third" => 3,
        "fourth" => 4,
        "last" => -1,
        _ => 1,
    };
}
