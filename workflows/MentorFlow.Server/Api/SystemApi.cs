using MentorFlow.Graph;
using MentorFlow.Server.Persistence;
using MentorFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MentorFlow.Server.Api;

/// <summary>Facts about the running service, for managers and operators.</summary>
public static class SystemApi
{
    /// <summary>The product, its version, the database provider, the server's clock and where Graph calls go (<c>Sandbox</c> or <c>Tenant</c>).</summary>
    public sealed record SystemInfo(string Product, string Version, string DatabaseProvider, DateTimeOffset ServerTime, string GraphMode);

    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/system").WithTags("System").RequireAuthorization(ManagerAuthenticationExtensions.ManagerPolicy);
        group.MapGet("/", GetInfo).WithName("GetSystemInfo");
        return app;
    }

    private static Ok<SystemInfo> GetInfo(MentorFlowDbContext db, TimeProvider clock, IOptions<GraphOptions> graph)
    {
        var version = typeof(SystemApi).Assembly.GetName().Version?.ToString() ?? "0.0.0";
        var provider = db.Database.IsNpgsql() ? "Postgres" : "Sqlite";
        return TypedResults.Ok(new SystemInfo("MentorFlow", version, provider, clock.GetUtcNow(), graph.Value.ParsedMode.ToString()));
    }
}
