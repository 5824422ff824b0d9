using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using MentorFlow.Server.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MentorFlow.Server.Security;

/// <summary>Settings under <c>Security</c>.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Manager API keys accepted besides those stored in the database (at least 16 characters each).</summary>
    public IList<string> ManagerApiKeys { get; } = [];

    /// <summary>Browser origins allowed to call the API (CORS is closed when empty).</summary>
    public IList<string> AllowedOrigins { get; } = [];
}

internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        for (var i = 0; i < options.ManagerApiKeys.Count; i++)
        {
            if (options.ManagerApiKeys[i] is not { Length: >= 16 })
            {
                return ValidateOptionsResult.Fail($"Security:ManagerApiKeys:{i} must be at least 16 characters long.");
            }
        }

        for (var i = 0; i < options.AllowedOrigins.Count; i++)
        {
            if (!Uri.TryCreate(options.AllowedOrigins[i], UriKind.Absolute, out _))
            {
                return ValidateOptionsResult.Fail($"Security:AllowedOrigins:{i} is not an absolute URL.");
            }
        }

        return ValidateOptionsResult.Success;
    }
}

/// <summary>The set of valid manager key hashes: configured keys plus those stored in the database.</summary>
public sealed class ManagerKeyRing(IOptions<SecurityOptions> options)
{
    private volatile HashSet<string> _stored = [];
    private readonly HashSet<string> _configured =
        options.Value.ManagerApiKeys.Select(ManagerApiKey.Hash).ToHashSet(StringComparer.Ordinal);

    public bool HasConfiguredKeys => _configured.Count > 0;

    public bool IsValid(string key)
    {
        var hash = ManagerApiKey.Hash(key);
        return _configured.Contains(hash) || _stored.Contains(hash);
    }

    internal void SetStored(IEnumerable<string> hashes) => _stored = hashes.ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// Accepts <c>Authorization: ApiKey &lt;key&gt;</c> (what Elsa Studio sends), <c>Authorization: Bearer &lt;key&gt;</c>
/// or <c>X-Api-Key: &lt;key&gt;</c>. A missing or wrong key is a 401 problem.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ManagerKeyRing keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey(Request);
        if (key is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!keys.IsValid(key))
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "manager"), new Claim(ClaimTypes.Role, "manager")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "ApiKey";
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
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
}

public static class ManagerAuthenticationExtensions
{
    public const string ManagerPolicy = "manager";

    public static IHostApplicationBuilder AddManagerAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>()
            .Bind(builder.Configuration.GetSection(SecurityOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        builder.Services.AddSingleton<ManagerKeyRing>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ManagerPolicy, policy => policy.RequireAuthenticatedUser())
            .SetFallbackPolicy(null);

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

    /// <summary>
    /// Loads stored keys; on a first run with no key configured or stored, generates a development key, stores its
    /// hash and prints the key once with the server's URLs.
    /// </summary>
    public static async Task EnsureManagerKeyAsync(this WebApplication app)
    {
        var ring = app.Services.GetRequiredService<ManagerKeyRing>();
        var clock = app.Services.GetService<TimeProvider>() ?? TimeProvider.System;
        var factory = app.Services.GetRequiredService<IDbContextFactory<MentorFlowDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var stored = await db.ManagerApiKeys.Select(key => key.KeyHash).ToListAsync();
        string? generated = null;
        if (stored.Count == 0 && !ring.HasConfiguredKeys)
        {
            generated = "mf_dev_" + Base64Url(RandomNumberGenerator.GetBytes(24));
            var record = new ManagerApiKey
            {
                Id = Guid.NewGuid(),
                Name = "development key (generated on first run)",
                KeyHash = ManagerApiKey.Hash(generated),
                CreatedAt = clock.GetUtcNow(),
            };
            db.ManagerApiKeys.Add(record);
            try
            {
                await db.SaveChangesAsync();
                stored.Add(record.KeyHash);
            }
            catch (DbUpdateException)
            {
                // Another replica generated one at the same moment: use theirs (printed by that replica).
                generated = null;
                stored = await db.ManagerApiKeys.AsNoTracking().Select(key => key.KeyHash).ToListAsync();
            }
        }

        ring.SetStored(stored);
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

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
