using MentorFlow.Graph;
using MentorFlow.Server.Persistence;
using MentorFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace MentorFlow.Server.Api;

/// <summary>
/// The server describing itself: facts about the running service for managers and operators (<c>/api/system</c>), the
/// OpenAPI document (<c>/openapi/v1.json</c>) and the Scalar UI (<c>/scalar</c>: served from this server, no web fonts
/// from a CDN, no AI agent, MCP or telemetry calls out; its "try it" offers the manager key scheme the document declares).
/// </summary>
public static class SystemApi
{
    /// <summary>The product, its version, the database provider, the server's clock and where Graph calls go (<c>Sandbox</c> or <c>Tenant</c>).</summary>
    public sealed record SystemInfo(string Product, string Version, string DatabaseProvider, DateTimeOffset ServerTime, string GraphMode);

    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/system").WithTags("System").RequireAuthorization(ManagerAuthenticationExtensions.ManagerPolicy);
        group.MapGet("/", GetInfo).WithName("GetSystemInfo");
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(options => options
            .WithTitle("MentorFlow API")
            .DisableDefaultFonts()
            .DisableAgent()
            .DisableMcp()
            .DisableTelemetry()
            .AddPreferredSecuritySchemes([ApiKeyAuthenticationHandler.SchemeName])).AllowAnonymous();
        return app;
    }

    private static Ok<SystemInfo> GetInfo(MentorFlowDbContext db, TimeProvider clock, IOptions<GraphOptions> graph)
    {
        var version = typeof(SystemApi).Assembly.GetName().Version?.ToString() ?? "0.0.0";
        var provider = db.Database.IsNpgsql() ? "Postgres" : "Sqlite";
        return TypedResults.Ok(new SystemInfo("MentorFlow", version, provider, clock.GetUtcNow(), graph.Value.ParsedMode.ToString()));
    }
}
