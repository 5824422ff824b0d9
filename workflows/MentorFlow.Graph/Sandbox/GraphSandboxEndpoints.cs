using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MentorFlow.Graph.Sandbox;

/// <summary>
/// The sandbox over HTTP: Graph v1.0 at the root path <c>/v1.0</c> (the SDK builds <c>$batch</c> step URLs assuming
/// exactly that base path), the mailbox view pages at <c>/mailbox/{address}</c>, one .ics per invite, and
/// <c>POST /sandbox/faults</c> (inject a fault, e.g. <c>{"status":503,"code":"ServiceUnavailable","message":"…",
/// "count":2,"retryAfterSeconds":5}</c>) and <c>POST /sandbox/reset</c> for manual experiments.
/// </summary>
public static class GraphSandboxEndpoints
{
    public static IEndpointRouteBuilder MapGraphSandbox(this IEndpointRouteBuilder app)
    {
        app.Map("/v1.0/{**path}", HandleGraphAsync).ExcludeFromDescription();
        app.MapGet("/", (GraphSandbox sandbox) => Html(MailboxView.Index(sandbox))).ExcludeFromDescription();
        app.MapGet("/mailbox/{address}", (string address, GraphSandbox sandbox) => Html(MailboxView.Mailbox(sandbox, address)))
            .ExcludeFromDescription();
        app.MapGet("/mailbox/{address}/events/{id}.ics", (string address, string id, GraphSandbox sandbox) =>
            MailboxView.Ics(sandbox, address, id) is { } ics
                ? Results.File(Encoding.UTF8.GetBytes(ics), "text/calendar; charset=utf-8", $"{SafeName(id)}.ics")
                : Results.NotFound()).ExcludeFromDescription();
        app.MapPost("/sandbox/faults", (SandboxFault fault, GraphSandbox sandbox) =>
        {
            if (fault.Status is < 400 or > 599 || fault.Count < 1 || string.IsNullOrWhiteSpace(fault.Code))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["status"] = ["A fault needs a status from 400 to 599, a code and a count of at least 1."],
                });
            }

            sandbox.InjectFault(fault);
            return Results.Accepted();
        }).ExcludeFromDescription();
        app.MapPost("/sandbox/reset", (GraphSandbox sandbox) =>
        {
            sandbox.Reset();
            return Results.NoContent();
        }).ExcludeFromDescription();
        return app;
    }

    private static async Task HandleGraphAsync(HttpContext context, GraphSandbox sandbox)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        path = path.Length >= 5 ? path[5..] : string.Empty;
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        string? body = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var clientRequestId = context.Request.Headers["client-request-id"].ToString();
        var response = await sandbox.HandleAsync(
            new SandboxRequest(context.Request.Method, path, query, body, string.IsNullOrEmpty(clientRequestId) ? null : clientRequestId),
            context.RequestAborted);
        context.Response.StatusCode = response.Status;
        context.Response.Headers["request-id"] = Guid.NewGuid().ToString();
        if (!string.IsNullOrEmpty(clientRequestId))
        {
            context.Response.Headers["client-request-id"] = clientRequestId;
        }

        foreach (var (name, value) in response.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.ContentType = value;
            }
            else
            {
                context.Response.Headers[name] = value;
            }
        }

        if (response.Body is { } text)
        {
            await context.Response.WriteAsync(text, context.RequestAborted);
        }
    }

    private static IResult Html(string page) => Results.Content(page, "text/html; charset=utf-8", Encoding.UTF8);

    private static string SafeName(string id) =>
        new(id.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-').Take(60).ToArray());

    internal static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    internal static string Stamp(DateTime value) => value.ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture);
}
