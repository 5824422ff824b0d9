using System.ComponentModel;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace MentorFlow.Server.Security;

/// <summary>Settings under <c>Security</c>.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>
    /// Manager API keys accepted besides those stored in the database (at least 16 characters each). Each entry is either
    /// the key itself (named "configured key {index}") or an object with <c>Name</c> and <c>Key</c>.
    /// </summary>
    public IList<ConfiguredManagerKey> ManagerApiKeys { get; } = [];

    /// <summary>Browser origins allowed to call the API (CORS is closed when empty).</summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>How often every replica reloads the stored keys (so a revoked key stops working everywhere within it).</summary>
    public TimeSpan ManagerKeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    public RateLimitingOptions RateLimiting { get; } = new();

    public ForwardedHeadersSettings ForwardedHeaders { get; } = new();

    /// <summary>The <c>max-age</c> of the Strict-Transport-Security header sent on HTTPS responses outside Development.</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);
}

/// <summary>A manager key from configuration: a plain string (the key) or <c>{ "Name": ..., "Key": ... }</c>.</summary>
[TypeConverter(typeof(ConfiguredManagerKeyConverter))]
public sealed class ConfiguredManagerKey
{
    public string? Name { get; set; }

    public string? Key { get; set; }
}

/// <summary>Lets the configuration binder read a plain string entry of <c>Security:ManagerApiKeys</c> as a key without a name.</summary>
internal sealed class ConfiguredManagerKeyConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        new ConfiguredManagerKey { Key = (string)value };
}

/// <summary>A fixed-window limit per client IP address.</summary>
public sealed class WindowLimit
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Settings under <c>Security:RateLimiting</c>.</summary>
public sealed class RateLimitingOptions
{
    /// <summary>Requests to the participant forms (<c>/forms/{token}</c>, opening and submitting) per client IP.</summary>
    public WindowLimit Forms { get; } = new() { PermitLimit = 60 };

    /// <summary>Requests with a wrong manager key per client IP; past it every key is refused with 429 until the window ends.</summary>
    public WindowLimit FailedAuthentication { get; } = new() { PermitLimit = 10 };
}

/// <summary>Settings under <c>Security:ForwardedHeaders</c>: trust X-Forwarded-For/-Proto from known proxies only.</summary>
public sealed class ForwardedHeadersSettings
{
    public bool Enabled { get; set; }

    /// <summary>IP addresses of the reverse proxies whose headers are trusted (loopback is always trusted).</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks (CIDR, e.g. <c>10.0.0.0/8</c>) whose proxies are trusted.</summary>
    public IList<string> KnownNetworks { get; } = [];

    /// <summary>How many proxies in front of the server to read back through.</summary>
    public int ForwardLimit { get; set; } = 1;
}

internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public const int MaxKeyNameLength = 100;

    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.ManagerApiKeys.Count; i++)
        {
            var key = options.ManagerApiKeys[i];
            if (key.Key is not { Length: >= 16 })
            {
                failures.Add($"Security:ManagerApiKeys:{i} must be at least 16 characters long.");
            }

            if (key.Name is { } keyName && (string.IsNullOrWhiteSpace(keyName) || keyName.Length > MaxKeyNameLength))
            {
                failures.Add($"Security:ManagerApiKeys:{i}:Name must be 1 to {MaxKeyNameLength} characters.");
            }
        }

        for (var i = 0; i < options.AllowedOrigins.Count; i++)
        {
            if (!Uri.TryCreate(options.AllowedOrigins[i], UriKind.Absolute, out _))
            {
                failures.Add($"Security:AllowedOrigins:{i} is not an absolute URL.");
            }
        }

        if (options.ManagerKeyRefreshInterval < TimeSpan.FromMilliseconds(100) || options.ManagerKeyRefreshInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add("Security:ManagerKeyRefreshInterval must be between 00:00:00.1 and 00:05:00.");
        }

        foreach (var (setting, limit) in (ReadOnlySpan<(string, WindowLimit)>)
            [("Forms", options.RateLimiting.Forms), ("FailedAuthentication", options.RateLimiting.FailedAuthentication)])
        {
            if (limit.PermitLimit < 1)
            {
                failures.Add($"Security:RateLimiting:{setting}:PermitLimit must be at least 1.");
            }

            if (limit.Window < TimeSpan.FromSeconds(1) || limit.Window > TimeSpan.FromDays(1))
            {
                failures.Add($"Security:RateLimiting:{setting}:Window must be between 00:00:01 and 1.00:00:00.");
            }
        }

        for (var i = 0; i < options.ForwardedHeaders.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(options.ForwardedHeaders.KnownProxies[i], out _))
            {
                failures.Add($"Security:ForwardedHeaders:KnownProxies:{i} is not an IP address.");
            }
        }

        for (var i = 0; i < options.ForwardedHeaders.KnownNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(options.ForwardedHeaders.KnownNetworks[i], out _))
            {
                failures.Add($"Security:ForwardedHeaders:KnownNetworks:{i} is not a network in CIDR notation (e.g. 10.0.0.0/8).");
            }
        }

        if (options.ForwardedHeaders.ForwardLimit is < 1 or > 10)
        {
            failures.Add("Security:ForwardedHeaders:ForwardLimit must be 1 to 10.");
        }

        if (options.HstsMaxAge < TimeSpan.Zero)
        {
            failures.Add("Security:HstsMaxAge must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
