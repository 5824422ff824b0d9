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
using Microsoft.Extensions.Options;

namespace MentorFlow.Mentoring;

public static class MentoringServiceCollectionExtensions
{
    /// <summary>The participants' base URL in Development when <c>Mentoring:Links:PublicBaseUrl</c> is not set (the server's launch URL).</summary>
    public const string DevelopmentPublicBaseUrl = "http://localhost:5180";

    /// <summary>
    /// The mentoring domain on <typeparamref name="TContext"/> (which must call <c>AddMentoringModel()</c>):
    /// services, signed links (<c>Mentoring:Links</c>, validated on start; the signing key is required when
    /// <paramref name="requireSigningKey"/> (Production), else a missing key is made per process; the public base URL
    /// is required when <paramref name="requirePublicBaseUrl"/> (outside Development), else a missing one is
    /// <see cref="DevelopmentPublicBaseUrl"/>).
    /// </summary>
    public static IServiceCollection AddMentoring<TContext>(this IServiceCollection services, IConfiguration configuration, bool requireSigningKey,
        bool requirePublicBaseUrl = true)
        where TContext : DbContext
    {
        services.AddOptions<LinkOptions>()
            .Bind(configuration.GetSection(LinkOptions.Section))
            .PostConfigure(options =>
            {
                if (!requireSigningKey && string.IsNullOrEmpty(options.SigningKey) && options.SigningKeys.Count == 0)
                {
                    options.SigningKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
                }

                if (!requirePublicBaseUrl && string.IsNullOrWhiteSpace(options.PublicBaseUrl))
                {
                    options.PublicBaseUrl = DevelopmentPublicBaseUrl;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<LinkOptions>>(new LinkOptionsValidator(requireSigningKey, requirePublicBaseUrl));
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
        services.AddOptions<FlowReconciliationOptions>().Bind(configuration.GetSection(FlowReconciliationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
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
