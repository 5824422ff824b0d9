using System.Text.Json;
using System.Text.Json.Serialization;
using MentorFlow.Server.Mentoring;
using MentorFlow.Server.Security;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;

namespace MentorFlow.Server.Api;

/// <summary>
/// What every endpoint shares: camelCase JSON with enums as strings, RFC 9457 problem details for every error
/// (including unreadable bodies and unknown routes), endpoint validation, the OpenAPI document and the Scalar UI.
/// </summary>
public static class ApiDefaults
{
    public static IHostApplicationBuilder AddApiDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier));
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<UnexpectedExceptionHandler>();
        builder.Services.AddValidation();
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<OpenApiDocumentShape>();
            options.AddOperationTransformer<OpenApiDocumentShape>();
        });
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// The pipeline: errors as problems, the manager shell's static files (public: the sign-in is in the page), CORS,
    /// rate limits, then authentication and authorization (every endpoint needs a manager key unless it allows
    /// anonymous access).
    /// </summary>
    public static WebApplication UseApiDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseCors();
        app.UseRequestLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>The server's own endpoints: facts about it, its OpenAPI document and API reference (<see cref="SystemApi"/>).</summary>
    public static WebApplication MapApiDefaults(this WebApplication app)
    {
        app.MapSystemApi();
        return app;
    }
}

/// <summary>
/// Unreadable requests (malformed JSON, a value of the wrong type, a missing body) become a 400 problem whose
/// detail names the parameter and, for JSON, the path of the bad value.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var detail = badRequest.InnerException is JsonException { Path: { } path } json
            ? $"{badRequest.Message} The value at '{path}' is not valid: {FirstLine(json.Message)}"
            : badRequest.Message;
        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = badRequest.StatusCode, Title = "The request could not be read.", Detail = detail },
        });
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}

/// <summary>
/// Every other exception: a generic problem (500, or 409 when two writes collided on a unique key) with the trace id
/// to quote, never the exception's message or stack trace (they name tables, constraints and values); a friendly page
/// on the participant forms. The exception itself goes to the log with the trace id.
/// </summary>
internal sealed partial class UnexpectedExceptionHandler(IProblemDetailsService problems, ILogger<UnexpectedExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var conflict = IsUniqueViolation(exception);
        var status = conflict ? StatusCodes.Status409Conflict : StatusCodes.Status500InternalServerError;
        var traceId = httpContext.TraceIdentifier;
        LogUnexpected(logger, exception, traceId);
        httpContext.Response.StatusCode = status;
        if (httpContext.Request.Path.StartsWithSegments("/forms"))
        {
            await ParticipantFormPages.ErrorPage(httpContext, status, traceId).ExecuteAsync(httpContext);
            return true;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = status,
                Title = conflict ? "The change crossed another one." : "Something went wrong on our side.",
                Detail = conflict
                    ? "Another change to the same record was saved at the same moment, so this one was not. Reload and try again."
                    : $"Try again in a few minutes. If it keeps happening, give the operator the trace id {traceId}.",
            },
        });
    }

    /// <summary>A unique-key violation on SQLite (error 19) or PostgreSQL (23505), whatever wraps it.</summary>
    internal static bool IsUniqueViolation(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SqliteException { SqliteErrorCode: 19 } or Npgsql.PostgresException { SqlState: "23505" })
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception (trace id {TraceId})")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string traceId);
}
