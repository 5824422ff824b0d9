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

    /// <summary>The key id of <see cref="SigningKey"/> (the single-key setting).</summary>
    public const string DefaultKeyId = "default";

    /// <summary>
    /// A single HMAC-SHA256 key for participant links, with key id <c>default</c> (at least 32 random characters;
    /// keep it secret). Use <see cref="SigningKeys"/> to rotate. One of the two is required in Production; elsewhere
    /// a random key is made per process when none is set (links then die with the process).
    /// </summary>
    public string SigningKey { get; set; } = "";

    /// <summary>
    /// Link keys with ids (<c>Mentoring:Links:SigningKeys:0:Id</c> / <c>:Key</c>). Links signed with any configured key
    /// verify; new links are signed with <see cref="ActiveKeyId"/>. Removing a key invalidates its links.
    /// </summary>
    public IList<LinkSigningKey> SigningKeys { get; } = [];

    /// <summary>The id of the key that signs new links; may be omitted when only one key is configured.</summary>
    public string? ActiveKeyId { get; set; }

    /// <summary>
    /// Public base URL of the server as participants reach it, e.g. <c>https://mentoring.example.org</c>; every mailed
    /// link starts with it. Required outside Development.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>How long a link stays valid unless its purpose gives its own expiry.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00")]
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Every verification key by id: <see cref="SigningKeys"/> plus <see cref="SigningKey"/> as <c>default</c>.</summary>
    public IReadOnlyDictionary<string, string> KeysById()
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in SigningKeys)
        {
            keys.TryAdd(key.Id, key.Key);
        }

        if (!string.IsNullOrEmpty(SigningKey))
        {
            keys.TryAdd(DefaultKeyId, SigningKey);
        }

        return keys;
    }

    /// <summary>The id that signs new links: <see cref="ActiveKeyId"/>, else the only key configured.</summary>
    public string? EffectiveActiveKeyId()
    {
        if (!string.IsNullOrWhiteSpace(ActiveKeyId))
        {
            return ActiveKeyId;
        }

        var ids = KeysById().Keys.ToList();
        return ids.Count == 1 ? ids[0] : null;
    }
}

/// <summary>One link-signing key with its id (letters, digits, <c>-</c> and <c>_</c>, up to 32 characters).</summary>
public sealed class LinkSigningKey
{
    public string Id { get; set; } = "";

    public string Key { get; set; } = "";
}

/// <summary>
/// Checks <c>Mentoring:Links</c> on start; every message names the setting. Keys must be at least 32 characters and,
/// where a key is required (Production), have an estimated entropy of at least 96 bits (so a repeated or dictionary
/// passphrase is refused).
/// </summary>
public sealed class LinkOptionsValidator(bool requireSigningKey, bool requirePublicBaseUrl) : IValidateOptions<LinkOptions>
{
    public const int MinKeyLength = 32;
    public const double MinKeyBits = 96;

    public ValidateOptionsResult Validate(string? name, LinkOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.PublicBaseUrl))
        {
            if (requirePublicBaseUrl)
            {
                failures.Add($"{LinkOptions.Section}:PublicBaseUrl is required: the server's public URL as participants reach it (e.g. https://mentoring.example.org); every mailed link starts with it.");
            }
        }
        else if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            failures.Add($"{LinkOptions.Section}:PublicBaseUrl '{options.PublicBaseUrl}' must be an absolute http(s) URL without query or fragment.");
        }

        if (!string.IsNullOrEmpty(options.SigningKey) && Weakness(options.SigningKey, requireSigningKey) is { } weak)
        {
            failures.Add($"{LinkOptions.Section}:SigningKey {weak}");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(options.SigningKey))
        {
            ids.Add(LinkOptions.DefaultKeyId);
        }

        for (var i = 0; i < options.SigningKeys.Count; i++)
        {
            var key = options.SigningKeys[i];
            if (!IsKeyId(key.Id))
            {
                failures.Add($"{LinkOptions.Section}:SigningKeys:{i}:Id '{key.Id}' must be 1 to 32 letters, digits, '-' or '_'.");
            }
            else if (!ids.Add(key.Id))
            {
                failures.Add($"{LinkOptions.Section}:SigningKeys:{i}:Id '{key.Id}' is used twice (the single SigningKey has id 'default').");
            }

            if (Weakness(key.Key, requireSigningKey) is { } weakKey)
            {
                failures.Add($"{LinkOptions.Section}:SigningKeys:{i}:Key {weakKey}");
            }
        }

        if (ids.Count == 0)
        {
            if (requireSigningKey)
            {
                failures.Add($"{LinkOptions.Section}:SigningKey (or {LinkOptions.Section}:SigningKeys) is required: at least {MinKeyLength} random characters, e.g. from 'openssl rand -base64 32'.");
            }
        }
        else if (!string.IsNullOrWhiteSpace(options.ActiveKeyId) && !ids.Contains(options.ActiveKeyId))
        {
            failures.Add($"{LinkOptions.Section}:ActiveKeyId '{options.ActiveKeyId}' is not the id of a configured key ({string.Join(", ", ids.Order(StringComparer.Ordinal))}).");
        }
        else if (options.EffectiveActiveKeyId() is null)
        {
            failures.Add($"{LinkOptions.Section}:ActiveKeyId is required when several link keys are configured ({string.Join(", ", ids.Order(StringComparer.Ordinal))}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Why <paramref name="key"/> is too weak to sign links, or null (<paramref name="checkEntropy"/>: also too predictable).</summary>
    public static string? Weakness(string? key, bool checkEntropy = true)
    {
        if (string.IsNullOrEmpty(key) || key.Length < MinKeyLength)
        {
            return $"must be at least {MinKeyLength} characters of random text (e.g. 'openssl rand -base64 32'); it has {key?.Length ?? 0}.";
        }

        return checkEntropy && EstimatedBits(key) < MinKeyBits
            ? $"is too predictable (repeated or few distinct characters): use {MinKeyLength}+ random characters, e.g. 'openssl rand -base64 32'."
            : null;
    }

    /// <summary>Length times the Shannon entropy of the key's own character frequencies (a rough upper bound).</summary>
    public static double EstimatedBits(string key)
    {
        var perChar = key.GroupBy(c => c)
            .Select(g => (double)g.Count() / key.Length)
            .Sum(p => -p * Math.Log2(p));
        return perChar * key.Length;
    }

    public static bool IsKeyId(string? id) =>
        id is { Length: > 0 and <= 32 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
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
/// Signs and verifies participant links: <c>{keyId}.{payload}.{mac}</c>, payload and MAC base64url, the payload
/// <c>v1|purpose|programme|participant|subject|expiresUnix|nonce</c>, the MAC HMAC-SHA256 with the key
/// <c>keyId</c> over <c>"{keyId}."</c> followed by the payload. Links made before key ids (<c>{payload}.{mac}</c>)
/// verify with the key <c>default</c>. Single use is enforced by recording the nonce (<see cref="UsedLink"/>) in the
/// same transaction as the submission.
/// </summary>
public sealed class ParticipantLinks(IOptions<LinkOptions> options, TimeProvider clock)
{
    private readonly Dictionary<string, byte[]> _keys = options.Value.KeysById()
        .ToDictionary(pair => pair.Key, pair => Encoding.UTF8.GetBytes(pair.Value), StringComparer.Ordinal);

    private readonly string? _activeKeyId = options.Value.EffectiveActiveKeyId();

    public string PublicBaseUrl => options.Value.PublicBaseUrl.TrimEnd('/');

    /// <summary>The id of the key that signs new links.</summary>
    public string ActiveKeyId => _activeKeyId
        ?? throw new InvalidOperationException($"{LinkOptions.Section}:ActiveKeyId names no configured key.");

    /// <summary>Issues a token (lifetime defaults to <see cref="LinkOptions.DefaultLifetime"/>).</summary>
    public string Issue(LinkPurpose purpose, Guid programmeId, string participant, string subject = "", TimeSpan? lifetime = null)
    {
        if (participant.Contains('|', StringComparison.Ordinal) || subject.Contains('|', StringComparison.Ordinal))
        {
            throw new ArgumentException("Link participant and subject must not contain '|'.");
        }

        var keyId = ActiveKeyId;
        var expires = clock.GetUtcNow() + (lifetime ?? options.Value.DefaultLifetime);
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var payload = string.Join('|', "v1", purpose.ToString(), programmeId.ToString("N"), participant, subject,
            expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), nonce);
        var bytes = Encoding.UTF8.GetBytes(payload);
        return keyId + "." + Base64Url(bytes) + "." + Base64Url(Mac(_keys[keyId], keyId, bytes));
    }

    /// <summary>The full URL of the form for a token.</summary>
    public string Url(string token) => $"{PublicBaseUrl}/forms/{token}";

    /// <summary>
    /// Checks signature and expiry (not single use: that is checked against the database). A link whose key id is no
    /// longer configured is <see cref="LinkState.Tampered"/> (it cannot be verified).
    /// </summary>
    public LinkCheck Verify(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2000)
        {
            return new LinkCheck(LinkState.Malformed, null);
        }

        var parts = token.Split('.');
        string? keyId;
        byte[] payload;
        byte[] mac;
        if (parts.Length == 3 && LinkOptionsValidator.IsKeyId(parts[0]) && TryDecode(parts[1], out payload) && TryDecode(parts[2], out mac))
        {
            keyId = parts[0];
        }
        else if (parts.Length == 2 && TryDecode(parts[0], out payload) && TryDecode(parts[1], out mac))
        {
            keyId = null;
        }
        else
        {
            return new LinkCheck(LinkState.Malformed, null);
        }

        if (!_keys.TryGetValue(keyId ?? LinkOptions.DefaultKeyId, out var key)
            || !CryptographicOperations.FixedTimeEquals(mac, keyId is null ? HMACSHA256.HashData(key, payload) : Mac(key, keyId, payload)))
        {
            return new LinkCheck(LinkState.Tampered, null);
        }

        var fields = Encoding.UTF8.GetString(payload).Split('|');
        if (fields.Length != 7 || fields[0] != "v1"
            || !Enum.TryParse<LinkPurpose>(fields[1], out var purpose)
            || !Guid.TryParseExact(fields[2], "N", out var programmeId)
            || !long.TryParse(fields[5], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresUnix))
        {
            return new LinkCheck(LinkState.Malformed, null);
        }

        var claims = new LinkClaims(purpose, programmeId, fields[3], fields[4], DateTimeOffset.FromUnixTimeSeconds(expiresUnix), fields[6]);
        return claims.ExpiresAt <= clock.GetUtcNow()
            ? new LinkCheck(LinkState.Expired, claims)
            : new LinkCheck(LinkState.Valid, claims);
    }

    private static byte[] Mac(byte[] key, string keyId, byte[] payload)
    {
        byte[] message = [.. Encoding.ASCII.GetBytes(keyId + "."), .. payload];
        return HMACSHA256.HashData(key, message);
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
