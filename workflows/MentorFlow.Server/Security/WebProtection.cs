using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using MentorFlow.Server.Mentoring;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MentorFlow.Server.Security;

/// <summary>
/// What every response gets: security headers (a Content-Security-Policy per kind of page, no framing, nosniff,
/// no referrer), HSTS on HTTPS outside Development, X-Forwarded-For/-Proto from known proxies when enabled, and rate
/// limits per client IP on the anonymous participant forms (429 with Retry-After and a friendly page).
/// </summary>
public static partial class WebProtection
{
    public const string FormsRateLimit = "participant-forms";

    /// <summary>Pages, API and the manager shell: only this server's own scripts, styles, images and connections.</summary>
    public const string DefaultPolicy =
        "default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; "
        + "script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'";

    /// <summary>
    /// Elsa Studio (Blazor WebAssembly, MudBlazor, Radzen, Monaco): WebAssembly compilation ('wasm-unsafe-eval'), the
    /// inline styles the components set, Monaco's blob workers, and by their hashes the two inline scripts the Studio 3.8.2
    /// workflow pages render (<c>window.editorHotkeys</c>: Ctrl+S / Ctrl+Shift+S in the designer, Ctrl+R in the
    /// runner); still nothing from other origins.
    /// </summary>
    public const string StudioPolicy =
        "default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; "
        + "script-src 'self' 'wasm-unsafe-eval' 'sha256-snlP1jz0gjwc5cTz9ErZcliXuCK63+Mmf68RRCeptgc=' 'sha256-vu6sQrKXQHR4Yn3FMMihA/9TxxfIXnCxKwvLrTPJ5ts=' "
        + "'report-sample'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:";

    /// <summary>
    /// The Scalar API reference (its script served from this server, web fonts off): its inline configuration script and
    /// styles. No 'unsafe-eval': the bundle only probes for it (and falls back when refused).
    /// </summary>
    public const string ScalarPolicy =
        "default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; "
        + "script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        + "connect-src 'self'; worker-src 'self' blob:";

    public static IHostApplicationBuilder AddWebProtection(this IHostApplicationBuilder builder)
    {
        var security = new SecurityOptions();
        builder.Configuration.GetSection(SecurityOptions.Section).Bind(security);
        builder.Services.AddHsts(options => options.MaxAge = security.HstsMaxAge);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = security.ForwardedHeaders.ForwardLimit;
            foreach (var proxy in security.ForwardedHeaders.KnownProxies)
            {
                if (IPAddress.TryParse(proxy, out var address))
                {
                    options.KnownProxies.Add(address);
                }
            }

            foreach (var network in security.ForwardedHeaders.KnownNetworks)
            {
                if (System.Net.IPNetwork.TryParse(network, out var parsed))
                {
                    options.KnownIPNetworks.Add(parsed);
                }
            }
        });

        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(FormsRateLimit, http =>
            {
                var limit = http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.RateLimiting.Forms;
                return RateLimitPartition.GetFixedWindowLimiter(FailedAuthenticationLimiter.ClientOf(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit.PermitLimit,
                    Window = limit.Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            options.OnRejected = RejectAsync;
        });
        return builder;
    }

    /// <summary>Forwarded headers (when enabled), HSTS (outside Development), the security headers and the rate limiter.</summary>
    public static WebApplication UseWebProtection(this WebApplication app)
    {
        var security = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        if (security.ForwardedHeaders.Enabled)
        {
            app.UseForwardedHeaders();
        }

        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            var allowedHosts = app.Configuration["AllowedHosts"];
            if (string.IsNullOrWhiteSpace(allowedHosts) || allowedHosts.Trim() == "*")
            {
                LogAnyHost(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MentorFlow.Security"));
            }
        }

        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                ApplyHeaders((HttpContext)state);
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
        return app;
    }

    /// <summary>The rate limiter: after routing (so endpoints' policies apply), before the endpoints.</summary>
    public static WebApplication UseRequestLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    public static string PolicyFor(PathString path) =>
        path.StartsWithSegments("/studio") ? StudioPolicy
        : path.StartsWithSegments("/scalar") ? ScalarPolicy
        : path.StartsWithSegments("/forms") ? ParticipantFormPages.ContentSecurityPolicy
        : DefaultPolicy;

    private static void ApplyHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        if (!headers.ContainsKey("Content-Security-Policy"))
        {
            headers.ContentSecurityPolicy = PolicyFor(context.Request.Path);
        }
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 60;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (http.Request.Path.StartsWithSegments("/forms"))
        {
            await ParticipantFormPages.TooManyRequestsPage(http, seconds).ExecuteAsync(http);
            return;
        }

        await TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests.",
            detail: $"Too many requests from your address. Try again in {seconds} seconds.").ExecuteAsync(http);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "AllowedHosts is '*': set AllowedHosts to the host names this server answers to (e.g. mentorflow.example.org) so requests for other hosts are refused")]
    private static partial void LogAnyHost(ILogger logger);
}
