using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace MentorFlow.Server.Security;

/// <summary>Who a manager key belongs to: its id (a stored key's GUID, or <c>configured-…</c>) and its name.</summary>
public sealed record ManagerKeyIdentity(string Id, string Name, Guid? StoredId)
{
    public const string IdClaim = "mentorflow:key-id";

    /// <summary>The actor written to the audit trail for what this key does.</summary>
    public string Actor => $"manager:{Name} ({Id})";

    /// <summary>The audit actor of a signed-in manager: the key's name and id.</summary>
    public static string ActorOf(ClaimsPrincipal user)
    {
        var id = user.FindFirst(IdClaim)?.Value ?? "unknown";
        var name = user.Identity?.Name ?? "unknown";
        return $"manager:{name} ({id})";
    }
}

/// <summary>
/// The keys accepted right now: the configured ones (fixed at start) and the stored, unrevoked ones (replaced by
/// <see cref="ManagerKeyStore.RefreshAsync"/> every <see cref="SecurityOptions.ManagerKeyRefreshInterval"/>). A key is
/// compared by its SHA-256 hash against every known hash in constant time.
/// </summary>
public sealed class ManagerKeyRing
{
    private sealed record Entry(byte[] Hash, ManagerKeyIdentity Identity);

    private readonly Entry[] _configured;
    private volatile Entry[] _stored = [];
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _used = new();
    private readonly TimeProvider _clock;

    public ManagerKeyRing(IOptions<SecurityOptions> options, TimeProvider clock)
    {
        _clock = clock;
        _configured = options.Value.ManagerApiKeys
            .Select((key, index) =>
            {
                var hash = HashBytes(key.Key ?? "");
                var id = "configured-" + Convert.ToHexStringLower(hash)[..8];
                return new Entry(hash, new ManagerKeyIdentity(id, string.IsNullOrWhiteSpace(key.Name) ? $"configured key {index}" : key.Name.Trim(), null));
            })
            .ToArray();
    }

    public bool HasConfiguredKeys => _configured.Length > 0;

    public IReadOnlyList<ManagerKeyIdentity> Configured => _configured.Select(e => e.Identity).ToList();

    /// <summary>How many stored keys are accepted (unrevoked) as of the last refresh.</summary>
    public int StoredCount => _stored.Length;

    /// <summary>True when the key is configured or stored and not revoked.</summary>
    public bool IsValid(string key) => Find(key) is not null;

    /// <summary>The key's owner, or null when the key is unknown or revoked. Notes the use of a stored key.</summary>
    public ManagerKeyIdentity? Find(string key)
    {
        var hash = HashBytes(key);
        ManagerKeyIdentity? found = null;
        foreach (var entry in _configured)
        {
            if (CryptographicOperations.FixedTimeEquals(entry.Hash, hash))
            {
                found ??= entry.Identity;
            }
        }

        foreach (var entry in _stored)
        {
            if (CryptographicOperations.FixedTimeEquals(entry.Hash, hash))
            {
                found ??= entry.Identity;
            }
        }

        if (found?.StoredId is { } storedId)
        {
            _used[storedId] = _clock.GetUtcNow();
        }

        return found;
    }

    internal void SetStored(IEnumerable<ManagerApiKey> keys) =>
        _stored = keys.Select(k => new Entry(Convert.FromHexString(k.KeyHash), new ManagerKeyIdentity(k.Id.ToString("N"), k.Name, k.Id))).ToArray();

    /// <summary>Takes the stored keys used since the last call, with their latest use.</summary>
    internal IReadOnlyDictionary<Guid, DateTimeOffset> TakeUses()
    {
        var taken = new Dictionary<Guid, DateTimeOffset>();
        foreach (var id in _used.Keys)
        {
            if (_used.TryRemove(id, out var at))
            {
                taken[id] = at;
            }
        }

        return taken;
    }

    internal static byte[] HashBytes(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
