using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MentorFlow.Graph.Sandbox;

/// <summary>
/// The sandbox's last line: a request that throws is logged as an error with its exception, its method and a
/// sanitised path (no query, no addresses or ids: <see cref="SanitisedPath"/>) and a request id, and answered 500
/// with that request id only (Graph's error body on <c>/v1.0</c>; no exception text in any response). The sandbox
/// runs on an empty host of its own, so without this a failure would reach no log at all. A request the client
/// abandoned is not a failure (logged at debug level).
/// </summary>
public static class SandboxFailureLogging
{
    private const int MaxLoggedPathLength = 200;

    public static IApplicationBuilder UseSandboxFailureLogging(this IApplicationBuilder app, ILogger logger) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    logger.LogDebug("Graph sandbox: {Method} {Path} was abandoned by the client", context.Request.Method,
                        SanitisedPath(context.Request.Path.Value));
                }
            }
            catch (Exception exception)
            {
                var requestId = Guid.NewGuid().ToString();
                logger.LogError(exception, "Graph sandbox: {Method} {Path} failed with {ExceptionType}; answered 500 (request-id {RequestId})",
                    context.Request.Method, SanitisedPath(context.Request.Path.Value), exception.GetType().Name, requestId);
                if (context.Response.HasStarted)
                {
                    throw;
                }

                await WriteFailureAsync(context, requestId);
            }
        });

    /// <summary>
    /// The path with every value a caller put in it replaced by its role: the segment after <c>users</c> is
    /// <c>{mailbox}</c>, after <c>mailbox</c> <c>{address}</c>, after <c>events</c> <c>{id}</c>; any other segment
    /// holding an address, an escape or more than 40 characters is <c>{value}</c>. Bounded in length.
    /// </summary>
    public static string SanitisedPath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        var segments = path.Split('/');
        var sanitised = new StringBuilder();
        for (var i = 0; i < segments.Length; i++)
        {
            if (i > 0)
            {
                sanitised.Append('/');
            }

            var previous = i > 0 ? segments[i - 1] : string.Empty;
            sanitised.Append(previous.ToLowerInvariant() switch
            {
                "users" => "{mailbox}",
                "mailbox" => "{address}",
                "events" => "{id}",
                _ when segments[i].Length > 40 || segments[i].IndexOfAny(['@', '%', '\'', '(', ' ']) >= 0 => "{value}",
                _ => segments[i],
            });
        }

        return sanitised.Length > MaxLoggedPathLength ? sanitised.ToString(0, MaxLoggedPathLength) + "…" : sanitised.ToString();
    }

    private static async Task WriteFailureAsync(HttpContext context, string requestId)
    {
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["request-id"] = requestId;
        var message = $"The sandbox could not handle this request; its log names the failure under request-id {requestId}.";
        if (context.Request.Path.StartsWithSegments("/v1.0", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.ContentType = "application/json";
            var body = new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["code"] = "InternalServerError",
                    ["message"] = message,
                    ["innerError"] = new JsonObject { ["request-id"] = requestId },
                },
            };
            await context.Response.WriteAsync(body.ToJsonString());
            return;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message);
    }
}
