using System.Text;
using Ical.Net;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Graph.Sandbox.Pages;
using MentorFlow.Graph.Tests.Infrastructure;

namespace MentorFlow.Graph.Tests;

/// <summary>The .ics download as RFC 5545 asks: text that cannot break the file, lines folded at 75 octets, series as RRULE.</summary>
public sealed class IcsFileTests : IAsyncLifetime
{
    private const string HostileSubject = "Check-in; with, commas \\ and\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Injected\u0000\u001b — Café 🎉 " +
        "a long subject that goes on and on beyond seventy-five octets with ünïcödé everywhere 日本語のテキスト";

    private SandboxServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync();
        _http = _server.CreateManagerHttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public void IcsFile_OfAnAllDayEvent_HasDatesWithoutTimesOrZone()
    {
        var item = new SandboxEvent
        {
            Id = "AAMkAllDay",
            ICalUId = "040000008200E00074C5B7101A82E008000000002",
            Mailbox = "programmes@contoso.test",
            CreatedAt = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero),
            Subject = "Programme away days",
            Start = new DateTime(2026, 3, 13, 0, 0, 0),
            End = new DateTime(2026, 3, 15, 0, 0, 0),
            TimeZone = "Europe/Berlin",
            IsAllDay = true,
        };

        var text = EventCalendarFile.Write(item);

        Assert.Contains("DTSTART;VALUE=DATE:20260313\r\n", text, StringComparison.Ordinal);
        Assert.Contains("DTEND;VALUE=DATE:20260315\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("TZID", text, StringComparison.Ordinal);
        var loaded = Assert.Single(Calendar.Load(text)!.Events);
        Assert.False(loaded.DtStart!.HasTime);
    }

    [Fact]
    public async Task IcsDownload_WithAHostileSummaryAndName_IsOneWellFormedEvent_FoldedAt75Octets()
    {
        var item = new SandboxEvent
        {
            Id = "AAMkHostile",
            ICalUId = "040000008200E00074C5B7101A82E008000000001",
            Mailbox = "programmes@contoso.test",
            CreatedAt = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero),
            LastModifiedAt = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero),
            Subject = HostileSubject,
            BodyContent = "<p>Line one</p><script>alert(1)</script><p>BEGIN:VCALENDAR</p>",
            Start = new DateTime(2026, 3, 2, 9, 0, 0),
            End = new DateTime(2026, 3, 2, 9, 30, 0),
            TimeZone = "W. Europe Standard Time",
            Location = "Room 1; \"B\"",
            Attendees = [new SandboxAttendee("mentee@contoso.test", "Ann \"The Hacker\"; ROLE=CHAIR:x\r\nATTENDEE:mailto:evil@evil.test", "required")],
            Recurrence = new SandboxRecurrence("weekly", 2, [DayOfWeek.Monday], DayOfWeek.Sunday, 0, 0, "first", "endDate",
                new DateOnly(2026, 3, 2), new DateOnly(2026, 4, 30), 0, null),
        };
        Assert.True(await _server.Sandbox.Store.TryAddEventAsync(item, CancellationToken.None));

        using var response = await _http.GetAsync(new Uri(_server.Origin, "mailbox/mentee%40contoso.test/events/AAMkHostile.ics"));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(bytes);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
        var lines = text.Split("\r\n");
        Assert.Equal(string.Empty, lines[^1]); // every line ends with CRLF
        Assert.DoesNotContain('\n', text.Replace("\r\n", string.Empty, StringComparison.Ordinal));
        Assert.All(lines, line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, $"line over 75 octets: {line}"));
        Assert.Equal(1, lines.Count(line => line == "BEGIN:VEVENT"));
        Assert.Equal(1, lines.Count(line => line == "END:VEVENT"));
        Assert.Equal(1, lines.Count(line => line.StartsWith("ATTENDEE", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, line => line.StartsWith("SUMMARY:Injected", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.StartsWith("BEGIN:VCALENDAR", StringComparison.Ordinal) && line != "BEGIN:VCALENDAR");

        // Parsed back, it is the same event: the text round-trips (control characters dropped), the rule is a series.
        var calendar = Calendar.Load(text)!;
        var parsed = Assert.Single(calendar.Events);
        Assert.Equal(item.ICalUId, parsed.Uid);
        Assert.Equal(HostileSubject.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\u0000", "", StringComparison.Ordinal).Replace("\u001b", "", StringComparison.Ordinal), parsed.Summary);
        Assert.Equal("Line one\nBEGIN:VCALENDAR", parsed.Description);
        Assert.Equal("Room 1; \"B\"", parsed.Location);
        Assert.Equal("Europe/Berlin", parsed.DtStart!.TzId);
        Assert.Equal(new DateTime(2026, 3, 2, 9, 0, 0), parsed.DtStart.Value);
        Assert.Equal("mailto:programmes@contoso.test", parsed.Organizer!.Value!.ToString());
        var attendee = Assert.Single(parsed.Attendees);
        Assert.Equal("mailto:mentee@contoso.test", attendee.Value!.ToString());
        Assert.DoesNotContain("\"", attendee.CommonName, StringComparison.Ordinal);
        var rule = parsed.RecurrenceRule!;
        Assert.Equal(FrequencyType.Weekly, rule.Frequency);
        Assert.Equal(2, rule.Interval);
        Assert.Single(calendar.TimeZones);
        Assert.Equal("REQUEST", calendar.Method);
        Assert.Equal(5, parsed.GetOccurrences().TakeWhile(o => o.Period.StartTime.Value < new DateTime(2026, 6, 1)).Count()); // 2, 16, 30 Mar, 13, 27 Apr
    }

    [Fact]
    public void Fold_SplitsLongLinesAt75Octets_NeverInsideAUtf8Sequence()
    {
        var line = "SUMMARY:" + string.Concat(Enumerable.Repeat("é🎉日", 40));

        var folded = EventCalendarFile.Fold(line + "\r\n");

        var lines = folded.Split("\r\n")[..^1];
        Assert.True(lines.Length > 3);
        Assert.All(lines, l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 75));
        Assert.All(lines.Skip(1), l => Assert.StartsWith(" ", l, StringComparison.Ordinal));
        Assert.Equal(line, string.Concat(lines.Select((l, i) => i == 0 ? l : l[1..])));
        Assert.DoesNotContain('\uFFFD', Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(folded)));
    }
}
