using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MentorFlow.Graph.Sandbox.Pages;

/// <summary>
/// The mailbox view: <c>/</c> (every mailbox), <c>/mailbox/{address}</c> (mail and invitations),
/// <c>/mailbox/{address}/calendar?view=week|month&amp;date=yyyy-MM-dd&amp;zone=IANA</c> (the calendar grid),
/// <c>…/events/{id}?date=yyyy-MM-dd&amp;zone=IANA</c> (an invite opened from the calendar),
/// <c>…/messages/{id}/body</c> and <c>…/events/{id}/body</c> (a body as its own sandboxed document),
/// <c>…/events/{id}.ics</c>, plus the stylesheet and icon. Pages are Razor components rendered on the server
/// (<see cref="RazorComponentResult{TComponent}"/>) under <see cref="PagePolicy"/>: no script, no inline style.
/// </summary>
public static class MailboxPages
{
    /// <summary>The Content-Security-Policy of every page of the sandbox.</summary>
    public const string PagePolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private const int MaxAddressLength = 320;

    public static IEndpointRouteBuilder MapMailboxPages(this IEndpointRouteBuilder app)
    {
        app.MapGet(SandboxAssets.StylesheetPath, SandboxAssets.StylesheetFile).ExcludeFromDescription();
        app.MapGet("/favicon.ico", SandboxAssets.IconFile).ExcludeFromDescription();
        app.MapGet("/", async (GraphSandbox sandbox, CancellationToken cancellationToken) =>
            Page<MailboxesPage>(new() { ["Mailboxes"] = await sandbox.Store.MailboxesAsync(cancellationToken) })).ExcludeFromDescription();
        app.MapGet("/mailbox/{address}", async (string address, GraphSandbox sandbox, CancellationToken cancellationToken) =>
        {
            if (BadAddress(address) is { } problem)
            {
                return problem;
            }

            var mails = await sandbox.Store.MessagesAsync(person: address, cancellationToken: cancellationToken);
            var events = await sandbox.Store.EventsAsync(person: address, cancellationToken: cancellationToken);
            return Page<MailboxPage>(new()
            {
                ["Address"] = address,
                ["Mails"] = mails.OrderByDescending(m => m.SentAt).Select(MailItem.Of).ToList(),
                ["Invites"] = events.OrderBy(e => e.StartUtc).Select(InviteItem.Of).ToList(),
            });
        }).ExcludeFromDescription();
        app.MapGet("/mailbox/{address}/calendar", async (string address, string? view, string? date, string? zone,
            GraphSandbox sandbox, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            if (BadAddress(address) is { } problem)
            {
                return problem;
            }

            if (!TryReadSpan(view, out var span))
            {
                return Invalid("view", "The view is 'week' or 'month'.");
            }

            if (ReadDateAndZone(date, zone, out var asked) is { } invalid)
            {
                return invalid;
            }

            var events = await sandbox.Store.EventsAsync(person: address, cancellationToken: cancellationToken);
            var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), CalendarGrid.ShownZone(events, zone).Zone).DateTime;
            var anchor = asked ?? DateOnly.FromDateTime(now);
            var grid = CalendarGrid.Build(address, events, span, anchor, now, zone);
            return Page<CalendarPage>(new() { ["Grid"] = grid, ["Zone"] = zone });
        }).ExcludeFromDescription();
        app.MapGet("/mailbox/{address}/events/{id}", async (string address, string id, string? date, string? zone,
            GraphSandbox sandbox, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            if (BadAddress(address) is { } problem)
            {
                return problem;
            }

            if (ReadDateAndZone(date, zone, out var asked) is { } invalid)
            {
                return invalid;
            }

            var events = await sandbox.Store.EventsAsync(person: address, cancellationToken: cancellationToken);
            if (events.FirstOrDefault(e => e.Id == id) is not { } item)
            {
                return Results.NotFound();
            }

            var (shownZone, label) = CalendarGrid.ShownZone(events, zone);
            var day = asked ?? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), shownZone).DateTime);
            var occurrence = CalendarGrid.Occurrences(item, shownZone)
                .TakeWhile(e => DateOnly.FromDateTime(e.Start) <= day)
                .FirstOrDefault(e => DateOnly.FromDateTime(e.Start) == day);
            return Page<EventPage>(new()
            {
                ["Address"] = address,
                ["Invite"] = InviteItem.Of(item),
                ["Occurrence"] = occurrence,
                ["Date"] = day,
                ["ZoneLabel"] = label,
                ["Zone"] = zone,
            });
        }).ExcludeFromDescription();
        app.MapGet("/mailbox/{address}/messages/{id}/body", async (string address, string id, HttpContext http, GraphSandbox sandbox, CancellationToken cancellationToken) =>
        {
            var mail = BadAddress(address) is null
                ? (await sandbox.Store.MessagesAsync(person: address, cancellationToken: cancellationToken)).FirstOrDefault(m => m.Id == id)
                : null;
            return mail is null ? Results.NotFound() : Body(http, mail.BodyContentType, mail.BodyContent);
        }).ExcludeFromDescription();
        app.MapGet("/mailbox/{address}/events/{id}/body", async (string address, string id, HttpContext http, GraphSandbox sandbox, CancellationToken cancellationToken) =>
            await FindEventAsync(sandbox, address, id, cancellationToken) is { } item
                ? Body(http, item.BodyContentType, item.BodyContent)
                : Results.NotFound()).ExcludeFromDescription();
        app.MapGet("/mailbox/{address}/events/{id}.ics", async (string address, string id, GraphSandbox sandbox, CancellationToken cancellationToken) =>
            await FindEventAsync(sandbox, address, id, cancellationToken) is { } item
                ? Results.File(Encoding.UTF8.GetBytes(EventCalendarFile.Write(item)), "text/calendar; charset=utf-8", $"{SafeName(item.Subject, item.Id)}.ics")
                : Results.NotFound()).ExcludeFromDescription();
        return app;
    }

    /// <summary>The sign-in page (401 unless <paramref name="status"/> says otherwise).</summary>
    public static IResult SignIn(string returnUrl, string? error, int status = StatusCodes.Status401Unauthorized) =>
        Page<SignInPage>(new() { ["ReturnUrl"] = returnUrl, ["Error"] = error }, status);

    private static IResult Page<TPage>(Dictionary<string, object?> parameters, int status = StatusCodes.Status200OK)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        new RazorComponentResult<TPage>(parameters) { StatusCode = status, ContentType = "text/html; charset=utf-8", PreventStreamingRendering = true };

    private static IResult Body(HttpContext http, string contentType, string body)
    {
        http.Response.Headers.ContentSecurityPolicy = MailBody.ContentSecurityPolicy;
        http.Response.Headers.XFrameOptions = "SAMEORIGIN";
        return Results.Content(MailBody.Document(contentType, body), "text/html; charset=utf-8", Encoding.UTF8);
    }

    private static async Task<SandboxEvent?> FindEventAsync(GraphSandbox sandbox, string address, string id, CancellationToken cancellationToken) =>
        BadAddress(address) is null
            ? (await sandbox.Store.EventsAsync(person: address, cancellationToken: cancellationToken)).FirstOrDefault(e => e.Id == id)
            : null;

    /// <summary>Reads the <c>date</c> (none when absent) and checks the <c>zone</c>; a 400 problem naming the bad one.</summary>
    private static IResult? ReadDateAndZone(string? date, string? zone, out DateOnly? day)
    {
        day = null;
        if (date is not null)
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                return Invalid("date", "The date is a day written yyyy-MM-dd, e.g. 2026-03-02.");
            }

            day = parsed;
        }

        return zone is not null && (zone.Length > 64 || !Model.GraphTimeZones.TryFind(zone, out _))
            ? Invalid("zone", "The zone is an IANA time zone, e.g. Europe/Berlin.")
            : null;
    }

    private static bool TryReadSpan(string? view, out CalendarSpan span)
    {
        span = string.Equals(view, "week", StringComparison.OrdinalIgnoreCase) ? CalendarSpan.Week : CalendarSpan.Month;
        return view is null || span == CalendarSpan.Week || string.Equals(view, "month", StringComparison.OrdinalIgnoreCase);
    }

    private static IResult? BadAddress(string address) =>
        address.Length is 0 or > MaxAddressLength ? Invalid("address", $"A mailbox address has 1 to {MaxAddressLength} characters.") : null;

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>A file name from the subject (letters, digits, '-' and '_'), else from the id.</summary>
    private static string SafeName(string subject, string id)
    {
        var name = new string(subject.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').Take(60).ToArray()).Trim('-');
        return name.Length > 0 ? name : new string(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').Take(60).ToArray());
    }
}
