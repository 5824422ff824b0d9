using System.Security.Cryptography;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Server.Hosting;
using MentorFlow.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MentorFlow.Server.Security;

/// <summary>A key as listed to managers (never the key itself, nor its hash).</summary>
public sealed record ManagerKeyInfo(
    string Id, string Name, string Source, DateTimeOffset? CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, bool Revocable);

/// <summary>A key just created: the only time the key itself is shown.</summary>
public sealed record CreatedManagerKey(string Id, string Name, DateTimeOffset CreatedAt, string Key);

/// <summary>Why a key cannot be revoked (the API turns it into a 409 problem).</summary>
public sealed class ManagerKeyConflictException(string message) : Exception(message);

/// <summary>
/// Stored manager keys: create (a 256-bit random key, only its SHA-256 hash kept), list, revoke, and the periodic
/// refresh that loads the unrevoked keys into the <see cref="ManagerKeyRing"/> and records when keys were last used.
/// </summary>
public sealed partial class ManagerKeyStore(
    IDbContextFactory<MentorFlowDbContext> contexts,
    ManagerKeyRing ring,
    TimeProvider clock,
    IHostEnvironment environment,
    ILogger<ManagerKeyStore> logger)
{
    public const int KeyBytes = 32;

    /// <summary>Reloads the unrevoked keys and writes the last-use times noted since the previous refresh.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var uses = ring.TakeUses();
        foreach (var (id, at) in uses)
        {
            await db.ManagerApiKeys.Where(k => k.Id == id)
                .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, at), cancellationToken);
        }

        var active = await db.ManagerApiKeys.AsNoTracking().Where(k => k.RevokedAt == null).ToListAsync(cancellationToken);
        ring.SetStored(active);
    }

    public async Task<IReadOnlyList<ManagerKeyInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await RefreshAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = await db.ManagerApiKeys.AsNoTracking().ToListAsync(cancellationToken);
        return ring.Configured
            .Select(c => new ManagerKeyInfo(c.Id, c.Name, "configuration", null, null, null, Revocable: false))
            .Concat(stored.OrderBy(k => k.CreatedAt).ThenBy(k => k.Name, StringComparer.Ordinal)
                .Select(k => new ManagerKeyInfo(k.Id.ToString("N"), k.Name, "stored", k.CreatedAt, k.LastUsedAt, k.RevokedAt, Revocable: k.RevokedAt is null)))
            .ToList();
    }

    public async Task<CreatedManagerKey> CreateAsync(string name, string actor, CancellationToken cancellationToken = default)
    {
        var key = "mf_" + Base64Url(RandomNumberGenerator.GetBytes(KeyBytes));
        var record = new ManagerApiKey { Id = Guid.NewGuid(), Name = name, KeyHash = ManagerApiKey.Hash(key), CreatedAt = clock.GetUtcNow() };
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            db.ManagerApiKeys.Add(record);
            AddAudit(db, actor, "manager-key.created", record);
            await db.SaveChangesAsync(cancellationToken);
        }

        await RefreshAsync(cancellationToken);
        return new CreatedManagerKey(record.Id.ToString("N"), record.Name, record.CreatedAt, key);
    }

    /// <summary>Revokes a stored key (idempotent); null when there is no such key. Refuses to revoke the last key that works.</summary>
    public async Task<ManagerKeyInfo?> RevokeAsync(string id, string actor, CancellationToken cancellationToken = default)
    {
        if (!Guid.TryParse(id, out var keyId))
        {
            if (ring.Configured.Any(c => c.Id == id))
            {
                throw new ManagerKeyConflictException("A configured key cannot be revoked here: remove it from Security:ManagerApiKeys and restart the servers.");
            }

            return null;
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var record = await db.ManagerApiKeys.FirstOrDefaultAsync(k => k.Id == keyId, cancellationToken);
            if (record is null)
            {
                return null;
            }

            if (record.RevokedAt is null)
            {
                var othersActive = await db.ManagerApiKeys.CountAsync(k => k.RevokedAt == null && k.Id != keyId, cancellationToken);
                if (othersActive == 0 && !ring.HasConfiguredKeys)
                {
                    throw new ManagerKeyConflictException("This is the last key that works: create another key first, then revoke this one.");
                }

                record.RevokedAt = clock.GetUtcNow();
                AddAudit(db, actor, "manager-key.revoked", record);
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        return (await ListAsync(cancellationToken)).First(k => k.Id == keyId.ToString("N"));
    }

    /// <summary>
    /// At start: loads the keys. With no configured and no working stored key, a Development server generates one (the
    /// same row id on every replica, so replicas starting together keep the first one) and returns it to print; any other
    /// environment refuses to start, naming <c>Security:ManagerApiKeys</c>.
    /// </summary>
    public async Task<string?> InitializeAsync(CancellationToken cancellationToken = default)
    {
        await RefreshAsync(cancellationToken);
        if (ring.HasConfiguredKeys || ring.StoredCount > 0)
        {
            return null;
        }

        if (!environment.IsDevelopment())
        {
            throw new ConfigurationException(
                "configuration error: no manager API key: set Security:ManagerApiKeys:0 to a secret of at least 16 characters "
                + "(keys are generated on first run only in Development).");
        }

        var generated = "mf_dev_" + Base64Url(RandomNumberGenerator.GetBytes(KeyBytes));
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var first = await db.ManagerApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == ManagerApiKey.FirstDevelopmentKeyId, cancellationToken);
            if (first is { RevokedAt: null })
            {
                // Another replica generated the first key since this one looked: use theirs (that replica prints it).
                await RefreshAsync(cancellationToken);
                return null;
            }

            var firstExists = first is not null;
            var record = new ManagerApiKey
            {
                Id = firstExists ? Guid.NewGuid() : ManagerApiKey.FirstDevelopmentKeyId,
                Name = "development key (generated on first run)",
                KeyHash = ManagerApiKey.Hash(generated),
                CreatedAt = clock.GetUtcNow(),
            };
            db.ManagerApiKeys.Add(record);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                LogGenerated(logger, record.Id);
            }
            catch (DbUpdateException)
            {
                // Another replica inserted the first key at the same moment: use theirs (that replica prints it).
                generated = null;
            }
        }

        await RefreshAsync(cancellationToken);
        return generated;
    }

    private static void AddAudit(MentorFlowDbContext db, string actor, string action, ManagerApiKey key) =>
        db.Add(new AuditEntry { At = key.RevokedAt ?? key.CreatedAt, Actor = actor, Action = action, Subject = $"{key.Name} ({key.Id:N})" });

    internal static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generated a development manager key {KeyId} (Development only)")]
    private static partial void LogGenerated(ILogger logger, Guid keyId);
}

/// <summary>
/// Refreshes the key ring from the database every <see cref="SecurityOptions.ManagerKeyRefreshInterval"/>. A one-shot
/// delay per round, not a <see cref="PeriodicTimer"/>: after a long pause (or a test clock jumping months ahead) the
/// next refresh runs once, instead of the timer replaying every missed tick (five-second ticks over a simulated year
/// are millions of callbacks, with this loop refreshing back to back until they are all replayed).
/// </summary>
internal sealed partial class ManagerKeyRefresher(
    ManagerKeyStore store, IOptions<SecurityOptions> options, TimeProvider clock, ILogger<ManagerKeyRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ManagerKeyRefreshInterval;
        try
        {
            var next = Task.Delay(interval, clock, stoppingToken);
            while (true)
            {
                await next;

                // The next round's delay starts before this refresh, so refreshes keep one interval apart.
                next = Task.Delay(interval, clock, stoppingToken);
                try
                {
                    await store.RefreshAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is DbUpdateException or System.Data.Common.DbException or InvalidOperationException or TimeoutException)
                {
                    // Keep the last known keys until the database answers again.
                    LogRefreshFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the manager keys from the database; keeping the last known keys")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
