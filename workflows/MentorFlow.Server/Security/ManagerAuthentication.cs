using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace MentorFlow.Server.Security;

/// <summary>
/// Accepts <c>Authorization: ApiKey &lt;key&gt;</c> (what Elsa Studio sends), <c>Authorization: Bearer &lt;key&gt;</c>
/// or <c>X-Api-Key: &lt;key&gt;</c>. The signed-in manager is the key: its name and id are the claims the audit trail
/// records. A missing or wrong key is a 401 problem; a client past its wrong-key limit gets 429 with Retry-After.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ManagerKeyRing keys,
    FailedAuthenticationLimiter limiter)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ManagerRole = "manager";
    private const string RetryAfterItem = "mentorflow:auth-retry-after";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey(Request);
        if (key is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var client = FailedAuthenticationLimiter.ClientOf(Context);
        if (limiter.RetryAfter(client) is { } wait)
        {
            Context.Items[RetryAfterItem] = wait;
            return Task.FromResult(AuthenticateResult.Fail("Too many wrong API keys from this client."));
        }

        if (keys.Find(key) is not { } owner)
        {
            limiter.RecordFailure(client);
            LogRefused(Logger);
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, owner.Name), new Claim(ManagerKeyIdentity.IdClaim, owner.Id), new Claim(ClaimTypes.Role, ManagerRole)],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (Context.Items[RetryAfterItem] is TimeSpan wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many wrong API keys.",
                    Detail = $"Too many requests from your address had a wrong manager API key. Try again in {seconds} seconds with the right key.",
                },
            });
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "ApiKey";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = "Send a manager API key as 'Authorization: ApiKey <key>'.",
            },
        });
    }

    internal static string? ReadKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        foreach (var scheme in (string[])["ApiKey ", "Bearer "])
        {
            if (authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                var value = authorization[scheme.Length..].Trim();
                return value.Length > 0 ? value : null;
            }
        }

        var header = request.Headers["X-Api-Key"].ToString().Trim();
        return header.Length > 0 ? header : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A request with a wrong manager API key was refused")]
    private static partial void LogRefused(ILogger logger);
}

public static class ManagerAuthenticationExtensions
{
    public const string ManagerPolicy = "manager";

    /// <summary>
    /// Manager keys (configured and stored), the API-key scheme, the <c>manager</c> policy, which is also the fallback
    /// policy (an endpoint is for managers unless it says <c>AllowAnonymous</c>), and CORS for <c>Security:AllowedOrigins</c>.
    /// </summary>
    public static IHostApplicationBuilder AddManagerAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>()
            .Bind(builder.Configuration.GetSection(SecurityOptions.Section))
            .PostConfigure(options => ReadManagerKeys(builder.Configuration, options))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        builder.Services.AddSingleton<ManagerKeyRing>();
        builder.Services.AddSingleton<ManagerKeyStore>();
        builder.Services.AddSingleton<FailedAuthenticationLimiter>();
        builder.Services.AddHostedService<ManagerKeyRefresher>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        var manager = new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireRole(ApiKeyAuthenticationHandler.ManagerRole)
            .Build();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ManagerPolicy, manager)
            .SetFallbackPolicy(manager);

        var origins = builder.Configuration.GetSection($"{SecurityOptions.Section}:AllowedOrigins").Get<string[]>() ?? [];
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            if (origins.Length > 0)
            {
                policy.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod()
                    .WithExposedHeaders("x-elsa-workflow-instance-id", "x-elsa-workflow-cannot-start");
            }
        }));
        return builder;
    }

    /// <summary>Each entry of <c>Security:ManagerApiKeys</c> is the key itself or <c>{ "Name": ..., "Key": ... }</c>.</summary>
    internal static void ReadManagerKeys(IConfiguration configuration, SecurityOptions options)
    {
        options.ManagerApiKeys.Clear();
        foreach (var entry in configuration.GetSection($"{SecurityOptions.Section}:ManagerApiKeys").GetChildren()
            .OrderBy(e => int.TryParse(e.Key, out var index) ? index : int.MaxValue))
        {
            options.ManagerApiKeys.Add(entry.GetChildren().Any()
                ? new ConfiguredManagerKey { Name = entry["Name"], Key = entry["Key"] }
                : new ConfiguredManagerKey { Key = entry.Value });
        }
    }

    /// <summary>
    /// Checks the settings, then loads the keys. With none configured or stored, a Development server generates one and
    /// prints it once with the server's URLs; any other environment stops here with a line naming
    /// <c>Security:ManagerApiKeys</c>.
    /// </summary>
    public static async Task EnsureManagerKeyAsync(this WebApplication app)
    {
        // Report a bad setting (of any module) before the missing key: the operator fixes the first thing first.
        app.Services.GetService<IStartupValidator>()?.Validate();
        var generated = await app.Services.GetRequiredService<ManagerKeyStore>().InitializeAsync();
        if (generated is not null)
        {
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                var urls = string.Join(", ", app.Urls);
                Console.WriteLine($"MentorFlow is listening on {urls}");
                Console.WriteLine($"Development manager API key (shown once, store it): {generated}");
                Console.WriteLine("Send it as 'Authorization: ApiKey <key>'; set Security:ManagerApiKeys to use your own.");
            });
        }
    }
}
