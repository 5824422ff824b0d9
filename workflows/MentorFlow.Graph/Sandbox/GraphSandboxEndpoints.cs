using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MentorFlow.Graph.Sandbox.Pages;
using Microsoft.AspNetCore.Routing;

namespace MentorFlow.Graph.Sandbox;

/// <summary>
/// The sandbox over HTTP: Graph v1.0 at the root path <c>/v1.0</c> (the SDK builds <c>$batch</c> step URLs assuming
/// exactly that base path; <c>Authorization: Bearer &lt;GraphSandbox:AccessToken&gt;</c>), the mailbox view pages at
/// <c>/</c> and <c>/mailbox/{address}</c> with one .ics per invite (a manager key or a session), the manager's sign-in
/// (<c>/sandbox/sign-in</c>, <c>/sandbox/session</c>, <c>/sandbox/sign-out</c>), and <c>POST /sandbox/faults</c>
/// (inject a fault, e.g. <c>{"status":503,"code":"ServiceUnavailable","message":"…","count":2,"retryAfterSeconds":5}</c>)
/// and <c>POST /sandbox/reset</c> for manual experiments (the <c>Authorization: ApiKey</c> header only: no cookie, so no
/// cross-site post).
/// </summary>
public static class GraphSandboxEndpoints
{
    /// <summary>Refuses every request without the credentials its path needs (see <see cref="SandboxAccess"/>).</summary>
    public static IApplicationBuilder UseSandboxAccess(this IApplicationBuilder app, SandboxAccess access) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var path = request.Path.Value ?? "/";
            context.Response.Headers.CacheControl = "no-store";
            if (path.StartsWith("/v1.0", StringComparison.OrdinalIgnoreCase))
            {
                if (!access.IsGraphToken(SandboxAccess.ReadBearer(request)))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(
                        """{"error":{"code":"InvalidAuthenticationToken","message":"Send the sandbox's access token (GraphSandbox:AccessToken) as 'Authorization: Bearer <token>'."}}""",
                        context.RequestAborted);
                    return;
                }

                await next(context);
                return;
            }

            context.Response.Headers.XFrameOptions = "DENY";
            context.Response.Headers.ContentSecurityPolicy = MailboxPages.PagePolicy;
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            if (path is "/sandbox/faults" or "/sandbox/reset")
            {
                if (!access.HasManagerKey(request))
                {
                    await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                        detail: "Send a manager API key as 'Authorization: ApiKey <key>'.").ExecuteAsync(context);
                    return;
                }
            }
            else if (path is not ("/sandbox/sign-in" or "/sandbox/session" or "/sandbox/sign-out" or "/favicon.ico" or SandboxAssets.StylesheetPath)
                && !access.MaySee(request))
            {
                context.Response.Headers.WWWAuthenticate = "ApiKey";
                var returnUrl = HttpMethods.IsGet(request.Method) && SandboxAccess.IsLocalPath(path) ? path : "/";
                await MailboxPages.SignIn(returnUrl, error: null).ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    public static IEndpointRouteBuilder MapGraphSandbox(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sandbox/sign-in", (string? returnUrl) =>
                MailboxPages.SignIn(SandboxAccess.IsLocalPath(returnUrl) ? returnUrl! : "/", error: null, StatusCodes.Status200OK))
            .ExcludeFromDescription();
        app.MapPost("/sandbox/sign-in", async (HttpContext context, SandboxAccess access) =>
        {
            if (!context.Request.HasFormContentType)
            {
                return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send the sign-in form (application/x-www-form-urlencoded).");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var returnUrl = form["returnUrl"].ToString();
            returnUrl = SandboxAccess.IsLocalPath(returnUrl) ? returnUrl : "/";
            if (!access.IsManagerKey(form["key"].ToString().Trim()))
            {
                return MailboxPages.SignIn(returnUrl, "This key was not accepted. Enter a manager API key.");
            }

            access.StartSession(context.Response, context.Request.IsHttps);
            return SeeOther(returnUrl);
        }).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/sandbox/session", async (HttpContext context, SandboxAccess access) =>
        {
            if (!context.Request.HasFormContentType)
            {
                return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send the ticket as a form field 'ticket'.");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (await access.RedeemTicketAsync(form["ticket"].ToString(), context.RequestAborted) is not { } returnUrl)
            {
                return MailboxPages.SignIn("/", "The sign-in link from MentorFlow has expired or was already used. Open the Mailbox again from MentorFlow, or enter a manager API key.");
            }

            access.StartSession(context.Response, context.Request.IsHttps);
            return SeeOther(returnUrl);
        }).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/sandbox/sign-out", (HttpContext context) =>
        {
            context.Response.Cookies.Delete(SandboxAccess.CookieName, new CookieOptions { Path = "/" });
            return SeeOther("/sandbox/sign-in");
        }).DisableAntiforgery().ExcludeFromDescription();

        app.Map("/v1.0/{**path}", HandleGraphAsync).ExcludeFromDescription();
        app.MapMailboxPages();
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
        app.MapPost("/sandbox/reset", async (GraphSandbox sandbox, CancellationToken cancellationToken) =>
        {
            await sandbox.ResetAsync(cancellationToken);
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

    /// <summary>303 to a path of the sandbox (after a POST the browser follows with a GET).</summary>
    private static IResult SeeOther(string path) => new SeeOtherResult(path);

    private sealed class SeeOtherResult(string path) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = path;
            return Task.CompletedTask;
        }
    }
}
