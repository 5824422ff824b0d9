using System.Security.Cryptography;
using MentorFlow.Mentoring.Activities;
using MentorFlow.Mentoring.Automation;
using MentorFlow.Mentoring.Links;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Mentoring.Services;
using MentorFlow.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Mentoring;

public static class MentoringServiceCollectionExtensions
{
    /// <summary>
    /// The mentoring domain on <typeparamref name="TContext"/> (which must call <c>AddMentoringModel()</c>):
    /// services, signed links (<c>Mentoring:Links</c>, validated on start; the signing key is
    /// required when <paramref name="requireSigningKey"/>, e.g. in Production).
    /// </summary>
    public static IServiceCollection AddMentoring<TContext>(this IServiceCollection services, IConfiguration configuration, bool requireSigningKey)
        where TContext : DbContext
    {
        services.AddOptions<LinkOptions>()
            .Bind(configuration.GetSection(LinkOptions.Section))
            .PostConfigure(options =>
            {
                if (!requireSigningKey && string.IsNullOrEmpty(options.SigningKey))
                {
                    options.SigningKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
                }
            })
            .ValidateDataAnnotations()
            .Validate(options => options.SigningKey.Length >= 32, "Mentoring:Links:SigningKey is required (at least 32 characters).")
            .ValidateOnStart();
        services.AddSingleton<IMentoringDb, MentoringDb<TContext>>();
        services.AddSingleton<ParticipantLinks>();
        services.AddSingleton<ProgrammeService>();
        services.AddSingleton<ParticipationService>();
        services.AddSingleton<PartnershipService>();
        services.AddSingleton<ExportService>();
        services.AddSingleton<PrivacyService>();
        services.AddSingleton<MentoringAutomationHub>();
        services.AddOptions<MatchingOptions>().Bind(configuration.GetSection(MatchingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MatchingService>();
        services.AddSingleton<MentorChoiceService>();
        AutomationRegistration.Add(services);
        services.AddActivity<LoadProgramme>();
        services.AddActivity<LoadPair>();
        services.AddActivity<IssuePairLinks>();
        services.AddActivity<SendProgrammeInvitations>();
        services.AddActivity<CheckPollBalance>();
        services.AddActivity<CheckPair>();
        services.AddActivity<ClosePair>();
        services.AddActivity<ExpireMatch>();
        services.AddActivity<ClaimWelcome>();
        services.AddActivity<LoadMentorChoice>();
        services.AddActivity<FallBackToBestMentor>();
        return services;
    }
}
