using System.Data.Common;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MentorFlow.Workflows.Persistence;

/// <summary>
/// For SQLite in WAL mode: sets <c>PRAGMA synchronous</c> on every connection, <see cref="SqliteSynchronous.Full"/>
/// by default, so a committed burst (with its outbox rows) and a dispatcher's "sent" mark survive a power loss. Other
/// providers are left untouched. It also sets <c>PRAGMA secure_delete=ON</c> (deleted content is overwritten with zeros).
/// Both are settings of the database connection, which the pool keeps open between uses: they are set the first time a
/// physical connection is opened and stay in force for its life, so reopening a pooled connection costs no statement.
/// Add it with <c>options.UseSqlite(...).AddInterceptors(new SqliteDurabilityInterceptor())</c>.
/// </summary>
public sealed class SqliteDurabilityInterceptor(SqliteSynchronous synchronous = SqliteSynchronous.Full) : DbConnectionInterceptor
{
    // secure_delete: deleted and overwritten content is zeroed in the file, so an erased person's data does not linger
    // in free pages or in the free space of a page (the privacy erase relies on it).
    private readonly string _pragma = (synchronous == SqliteSynchronous.Full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;")
        + " PRAGMA secure_delete=ON;";

    // The native handles (one per physical connection, reused by the pool) and the settings in force on each. Keyed by
    // the handle object, so an entry goes when its connection is closed for good and a new connection is never taken
    // for an old one; shared by every interceptor, so one with other settings re-applies its own.
    private static readonly ConditionalWeakTable<object, string> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (NeedsPragmas(connection, out var handle))
        {
            using (var command = connection.CreateCommand())
            {
                command.CommandText = _pragma;
                command.ExecuteNonQuery();
            }

            Remember(handle);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (NeedsPragmas(connection, out var handle))
        {
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = _pragma;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            Remember(handle);
        }
    }

    private static PropertyInfo? _handleProperty;

    /// <summary>
    /// True for a SQLite connection whose native handle has not had the settings yet (or whose handle cannot be read:
    /// then they are set on every open). The engine does not reference the SQLite provider, hence the property by name.
    /// </summary>
    private bool NeedsPragmas(DbConnection connection, out object? handle)
    {
        handle = null;
        if (connection.GetType().FullName != "Microsoft.Data.Sqlite.SqliteConnection")
        {
            return false;
        }

        handle = (_handleProperty ??= connection.GetType().GetProperty("Handle"))?.GetValue(connection);
        return handle is null || !Configured.TryGetValue(handle, out var applied) || !string.Equals(applied, _pragma, StringComparison.Ordinal);
    }

    private void Remember(object? handle)
    {
        if (handle is not null)
        {
            Configured.AddOrUpdate(handle, _pragma);
        }
    }
}
