using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MentorFlow.Graph.Sandbox;

/// <summary>
/// Decides whether a key is a manager key, for the sandbox's pages and controls. The host application registers it
/// (the server checks its manager key ring); without one, no key is accepted and only the Graph bearer token works.
/// </summary>
public interface ISandboxAccessPolicy
{
    bool IsManagerKey(string key);
}

/// <summary>
/// Who may use the sandbox: the Graph bearer token for <c>/v1.0</c>; a manager key (<c>Authorization: ApiKey …</c>)
/// or a short-lived signed session cookie for the pages; the key header alone for the controls. Sessions are opened
/// by a manager key typed into the sandbox's sign-in page or by a one-time ticket the server issues to a signed-in
/// manager (<see cref="IssueTicket"/>), so the manager shell's "Mailbox" link opens the view across the two origins.
/// Tickets and sessions are signed with a key derived from <see cref="AccessToken"/>: replicas sharing a configured
/// <c>GraphSandbox:AccessToken</c> accept each other's tickets and sessions (a random token keeps them to this
/// process). A ticket is redeemed once across every replica: the redemption is recorded in the database
/// (<see cref="SandboxStore.TryRedeemTicketAsync"/>).
/// </summary>
public sealed class SandboxAccess
{
    public const string CookieName = "mf_sandbox_session";
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromSeconds(60);

    private readonly GraphSandboxOptions _options;
    private readonly TimeProvider _clock;
    private readonly ISandboxAccessPolicy? _policy;
    private readonly SandboxStore _store;
    private readonly byte[] _secret;

    public SandboxAccess(GraphSandboxOptions options, TimeProvider clock, ISandboxAccessPolicy? policy, SandboxStore store)
    {
        _options = options;
        _clock = clock;
        _policy = policy;
        _store = store;
        AccessToken = string.IsNullOrEmpty(options.AccessToken)
            ? "mf_sandbox_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))
            : options.AccessToken;
        _secret = HMACSHA256.HashData(Encoding.UTF8.GetBytes(AccessToken), "mentorflow-sandbox-sessions-v1"u8);
    }

    /// <summary>The bearer token <c>/v1.0</c> demands (configured, or random for this process).</summary>
    public string AccessToken { get; }

    public bool IsManagerKey(string? key) =>
        _policy is not null && key is { Length: > 0 and <= 512 } && _policy.IsManagerKey(key);

    public bool IsGraphToken(string? token) =>
        token is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(AccessToken));

    /// <summary>The manager key of <c>Authorization: ApiKey …</c> or <c>X-Api-Key</c>, if any.</summary>
    public static string? ReadManagerKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["ApiKey ".Length..].Trim();
        }

        var header = request.Headers["X-Api-Key"].ToString().Trim();
        return header.Length > 0 ? header : null;
    }

    /// <summary>The token of <c>Authorization: Bearer …</c>, if any.</summary>
    public static string? ReadBearer(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    /// <summary>Whether the request carries a valid manager key header.</summary>
    public bool HasManagerKey(HttpRequest request) => IsManagerKey(ReadManagerKey(request));

    /// <summary>Whether the request may see the pages: a manager key header or a valid session cookie.</summary>
    public bool MaySee(HttpRequest request) =>
        HasManagerKey(request) || (request.Cookies.TryGetValue(CookieName, out var cookie) && IsSession(cookie));

    /// <summary>A one-time ticket (valid <see cref="TicketLifetime"/>) that opens a session and then shows <paramref name="returnPath"/>.</summary>
    public string IssueTicket(string returnPath)
    {
        if (!IsLocalPath(returnPath))
        {
            throw new ArgumentException("The return path must be a path of the sandbox.", nameof(returnPath));
        }

        var expires = (_clock.GetUtcNow() + TicketLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var body = $"t1.{expires}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}.{Base64Url(Encoding.UTF8.GetBytes(returnPath))}";
        return body + "." + Sign(body);
    }

    /// <summary>The return path of a valid, unexpired, not yet redeemed ticket (then redeemed), else null.</summary>
    public async Task<string?> RedeemTicketAsync(string? ticket, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (!TryOpen(ticket, "t1", 5, now, out var parts))
        {
            return null;
        }

        string path;
        try
        {
            path = Encoding.UTF8.GetString(Base64UrlDecode(parts[3]));
        }
        catch (FormatException)
        {
            return null;
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[1], CultureInfo.InvariantCulture));
        return IsLocalPath(path) && await _store.TryRedeemTicketAsync(parts[2], expires, now, cancellationToken) ? path : null;
    }

    /// <summary>A session cookie value valid for <see cref="GraphSandboxOptions.SessionLifetime"/>.</summary>
    public string IssueSession()
    {
        var expires = (_clock.GetUtcNow() + _options.SessionLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var body = $"s1.{expires}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
        return body + "." + Sign(body);
    }

    public bool IsSession(string? cookie) => TryOpen(cookie, "s1", 4, _clock.GetUtcNow(), out _);

    /// <summary>Sets the session cookie: HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS.</summary>
    public void StartSession(HttpResponse response, bool https) =>
        response.Cookies.Append(CookieName, IssueSession(), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = https,
            Path = "/",
            MaxAge = _options.SessionLifetime,
            IsEssential = true,
        });

    /// <summary>A path of the sandbox (<c>/</c> or <c>/mailbox/…</c>), never another site.</summary>
    public static bool IsLocalPath(string? path) =>
        path is { Length: > 0 and <= 600 } && path[0] == '/' && !path.StartsWith("//", StringComparison.Ordinal)
        && !path.Contains('\\', StringComparison.Ordinal) && path.All(c => c is > ' ' and < (char)127)
        && (path == "/" || path.StartsWith("/mailbox/", StringComparison.Ordinal));

    private bool TryOpen(string? value, string kind, int count, DateTimeOffset now, out string[] parts)
    {
        parts = [];
        if (value is null || value.Length > 2_000)
        {
            return false;
        }

        var split = value.Split('.');
        if (split.Length != count || split[0] != kind)
        {
            return false;
        }

        var body = value[..value.LastIndexOf('.')];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(split[^1]), Encoding.ASCII.GetBytes(Sign(body)))
            || !long.TryParse(split[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || DateTimeOffset.FromUnixTimeSeconds(expires) <= now)
        {
            return false;
        }

        parts = split;
        return true;
    }

    private string Sign(string body) => Base64Url(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(body)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => "" });
    }
}
