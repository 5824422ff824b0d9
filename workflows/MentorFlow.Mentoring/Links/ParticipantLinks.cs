using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MentorFlow.Mentoring.Domain;
using Microsoft.Extensions.Options;

namespace MentorFlow.Mentoring.Links;

/// <summary>Settings under <c>Mentoring:Links</c>.</summary>
public sealed class LinkOptions
{
    public const string Section = "Mentoring:Links";

    /// <summary>
    /// HMAC-SHA256 key for participant links (at least 32 characters; keep it secret). Required in Production; in
    /// other environments a random key is made per process when none is set (links then die with the process).
    /// </summary>
    [MinLength(32)]
    public string SigningKey { get; set; } = "";

    /// <summary>Public base URL of the server as participants reach it, e.g. <c>https://mentoring.example.org</c>.</summary>
    [Required]
    [Url]
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";

    /// <summary>How long a link stays valid unless its purpose gives its own expiry.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00")]
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromDays(14);
}

/// <summary>What a participant link grants: one purpose, for one participant (and subject), until it expires.</summary>
public sealed record LinkClaims(
    LinkPurpose Purpose,
    Guid ProgrammeId,
    string Participant,
    string Subject,
    DateTimeOffset ExpiresAt,
    string Nonce);

public enum LinkState
{
    Valid,
    Malformed,
    Tampered,
    Expired,
    Used,
}

public sealed record LinkCheck(LinkState State, LinkClaims? Claims);

/// <summary>
/// Signs and verifies participant links: <c>{payload}.{mac}</c>, both base64url, the payload
/// <c>v1|purpose|programme|participant|subject|expiresUnix|nonce</c>, the MAC HMAC-SHA256 over the payload.
/// Single use is enforced by recording the nonce (<see cref="UsedLink"/>) in the same transaction as the submission.
/// </summary>
public sealed class ParticipantLinks(IOptions<LinkOptions> options, TimeProvider clock)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.SigningKey);

    public string PublicBaseUrl => options.Value.PublicBaseUrl.TrimEnd('/');

    /// <summary>Issues a token (lifetime defaults to <see cref="LinkOptions.DefaultLifetime"/>).</summary>
    public string Issue(LinkPurpose purpose, Guid programmeId, string participant, string subject = "", TimeSpan? lifetime = null)
    {
        if (participant.Contains('|', StringComparison.Ordinal) || subject.Contains('|', StringComparison.Ordinal))
        {
            throw new ArgumentException("Link participant and subject must not contain '|'.");
        }

        var expires = clock.GetUtcNow() + (lifetime ?? options.Value.DefaultLifetime);
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var payload = string.Join('|', "v1", purpose.ToString(), programmeId.ToString("N"), participant, subject,
            expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), nonce);
        var bytes = Encoding.UTF8.GetBytes(payload);
        return Base64Url(bytes) + "." + Base64Url(HMACSHA256.HashData(_key, bytes));
    }

    /// <summary>The full URL of the form for a token.</summary>
    public string Url(string token) => $"{PublicBaseUrl}/forms/{token}";

    /// <summary>Checks signature and expiry (not single use: that is checked against the database).</summary>
    public LinkCheck Verify(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2000)
        {
            return new LinkCheck(LinkState.Malformed, null);
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !TryDecode(token[..dot], out var payload) || !TryDecode(token[(dot + 1)..], out var mac))
        {
            return new LinkCheck(LinkState.Malformed, null);
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, payload)))
        {
            return new LinkCheck(LinkState.Tampered, null);
        }

        var parts = Encoding.UTF8.GetString(payload).Split('|');
        if (parts.Length != 7 || parts[0] != "v1"
            || !Enum.TryParse<LinkPurpose>(parts[1], out var purpose)
            || !Guid.TryParseExact(parts[2], "N", out var programmeId)
            || !long.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresUnix))
        {
            return new LinkCheck(LinkState.Malformed, null);
        }

        var claims = new LinkClaims(purpose, programmeId, parts[3], parts[4], DateTimeOffset.FromUnixTimeSeconds(expiresUnix), parts[6]);
        return claims.ExpiresAt <= clock.GetUtcNow()
            ? new LinkCheck(LinkState.Expired, claims)
            : new LinkCheck(LinkState.Valid, claims);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return false;
        }

        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 1 => "===", _ => "" };
        try
        {
            bytes = Convert.FromBase64String(padded);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
