using MentorFlow.Mentoring.Automation;
using MentorFlow.Mentoring.Links;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Mentoring.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Mentoring;

public static class MentoringServiceCollectionExtensions
{
    /// <summary>
    /// The mentoring domain on <typeparamref name="TContext"/> (which must call <c>AddMentoringModel()</c>):
    /// services, signed links (<c>Mentoring:Links</c>, validated on start).
    /// </summary>
    public static IServiceCollection AddMentoring<TContext>(this IServiceCollection services, IConfiguration configuration)
        where TContext : DbContext
    {
        services.AddOptions<LinkOptions>()
            .Bind(configuration.GetSection(LinkOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IMentoringDb, MentoringDb<TContext>>();
        services.AddSingleton<ParticipantLinks>();
        services.AddSingleton<ProgrammeService>();
        services.AddSingleton<ParticipationService>();
        services.AddSingleton<PartnershipService>();
        services.AddSingleton<ExportService>();
        services.AddSingleton<PrivacyService>();
        services.AddSingleton<MentoringAutomationHub>();
        return services;
    }
}
