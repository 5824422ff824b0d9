using MentorFlow.Mentoring;
using MentorFlow.Server.Persistence;

namespace MentorFlow.Server.Mentoring;

/// <summary>The mentoring module of the server: domain services, the programme API, the programme dashboard and the participant forms.</summary>
public static class MentoringModule
{
    public static IHostApplicationBuilder AddMentoring(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMentoring<MentorFlowDbContext>(builder.Configuration, requireSigningKey: builder.Environment.IsProduction(),
            requirePublicBaseUrl: !builder.Environment.IsDevelopment());
        builder.AddProgrammeDashboard();
        return builder;
    }

    public static WebApplication MapMentoring(this WebApplication app)
    {
        app.MapProgrammeApi();
        app.MapProgrammeDashboardApi();
        app.MapParticipantForms();
        return app;
    }
}
