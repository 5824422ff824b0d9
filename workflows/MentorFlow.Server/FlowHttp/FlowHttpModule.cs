namespace MentorFlow.Server.FlowHttp;

/// <summary>
/// The flow HTTP module of the server: requests under <c>/workflows/{path}</c> start or resume published flows whose
/// HTTP Endpoint claims that path (<see cref="FlowHttpApi"/>), with the per-client rate limit
/// (<see cref="FlowHttpRateLimiter"/>) and the request reading (<see cref="FlowHttpRequestReader"/>).
/// </summary>
public static class FlowHttpModule
{
    public static IHostApplicationBuilder AddFlowHttp(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FlowHttpRateLimiter>();
        return builder;
    }

    public static WebApplication MapFlowHttp(this WebApplication app)
    {
        app.MapFlowHttpApi();
        return app;
    }
}
