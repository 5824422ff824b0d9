namespace MentorFlow.Server.Security;

/// <summary>
/// The security module of the server: manager authentication by API key (<see cref="ManagerAuthenticationExtensions"/>),
/// web protection (headers, CORS, rate limits, forwarded headers: <see cref="WebProtection"/>) and the manager keys API
/// (<see cref="ManagerKeysApi"/>, <c>/api/manager-keys</c>).
/// </summary>
public static class SecurityModule
{
    public static IHostApplicationBuilder AddSecurity(this IHostApplicationBuilder builder)
    {
        builder.AddManagerAuthentication();
        builder.AddWebProtection();
        return builder;
    }

    public static WebApplication MapSecurity(this WebApplication app)
    {
        app.MapManagerKeysApi();
        return app;
    }
}
