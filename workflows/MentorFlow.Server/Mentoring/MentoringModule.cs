using MentorFlow.Mentoring;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using MentorFlow.Server.Mentoring.Forms;
using MentorFlow.Server.Persistence;

namespace MentorFlow.Server.Mentoring;

/// <summary>The mentoring module of the server: domain services, the programme API, the programme dashboard and the participant forms.</summary>
public static class MentoringModule
{
    public static IHostApplicationBuilder AddMentoring(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMentoring<MentorFlowDbContext>(builder.Configuration, requireSigningKey: builder.Environment.IsProduction(),
            requirePublicBaseUrl: !builder.Environment.IsDevelopment());
        builder.Services.AddOptions<DashboardOptions>()
            .Bind(builder.Configuration.GetSection(DashboardOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ProgrammeDashboardService>();

        // The participant pages: words from .resx through IStringLocalizer, and HTML that keeps every script's letters
        // readable (only markup characters are encoded).
        builder.Services.AddLocalization();
        builder.Services.AddWebEncoders(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddSingleton<FormStringsFactory>();
        return builder;
    }

    public static WebApplication MapMentoring(this WebApplication app)
    {
        app.MapProgrammeApi();
        app.MapProgrammeDashboardApi();
        app.MapParticipantFormPages();
        return app;
    }
}
