using MentorFlow.Server.Studio.ElsaApi;
using Microsoft.Extensions.Options;

namespace MentorFlow.Server.Studio;

/// <summary>
/// The Studio module of the server: the Elsa Studio host pages and the Studio's static files under <c>/studio/</c>
/// (<see cref="StudioPages"/>) and the Elsa-compatible API under <c>/elsa/api</c> (<see cref="ElsaStudioApi"/>). The
/// manager web shell in wwwroot is served by the API defaults, before authorization.
/// </summary>
public static partial class StudioModule
{
    public static IHostApplicationBuilder AddStudio(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StudioOptions>().Bind(builder.Configuration.GetSection(StudioOptions.Section));
        builder.Services.AddSingleton(sp => StudioPackage.Locate(
            sp.GetRequiredService<IOptions<StudioOptions>>(), sp.GetRequiredService<IHostEnvironment>()));
        return builder;
    }

    public static WebApplication MapStudio(this WebApplication app)
    {
        app.MapStudioPages();
        app.MapElsaStudioApi();

        var package = app.Services.GetRequiredService<StudioPackage>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MentorFlow.Studio");
        if (package.IsInstalled)
        {
            LogStudioFound(logger, package.Root!);
        }
        else
        {
            var searched = string.Join(", ", package.Searched);
            LogStudioMissing(logger, searched, StudioPages.InstallHint);
        }

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (app.Urls.FirstOrDefault() is { } url)
            {
                var studioUrl = url.TrimEnd('/') + "/studio/";
                LogStudioUrl(logger, studioUrl);
            }
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Elsa Studio is served from {Root}")]
    private static partial void LogStudioFound(ILogger logger, string root);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Elsa Studio is not installed (looked in {Searched}). {Hint}")]
    private static partial void LogStudioMissing(ILogger logger, string searched, string hint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Elsa Studio: {Url}")]
    private static partial void LogStudioUrl(ILogger logger, string url);
}
