using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MentorFlow.Workflows.Persistence;

/// <summary>How SQLite (in WAL mode) waits for the disk at commit.</summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// <c>PRAGMA synchronous=NORMAL</c>: no fsync per commit. A process crash loses nothing committed, but a power loss
    /// may roll back the last commits, e.g. a mail's "sent" mark, so the mail is queued and sent again.
    /// </summary>
    Normal,

    /// <summary><c>PRAGMA synchronous=FULL</c>: every commit is on disk (the WAL is synced) before it returns.</summary>
    Full,
}

/// <summary>
/// For SQLite in WAL mode: sets <c>PRAGMA synchronous</c> on every opened connection, <see cref="SqliteSynchronous.Full"/>
/// by default, so a committed burst (with its outbox rows) and a dispatcher's "sent" mark survive a power loss. Other
/// providers are left untouched. It also sets <c>PRAGMA secure_delete=ON</c> (deleted content is overwritten with zeros).
/// Add it with <c>options.UseSqlite(...).AddInterceptors(new SqliteDurabilityInterceptor())</c>.
/// </summary>
public sealed class SqliteDurabilityInterceptor(SqliteSynchronous synchronous = SqliteSynchronous.Full) : DbConnectionInterceptor
{
    // secure_delete: deleted and overwritten content is zeroed in the file, so an erased person's data does not linger
    // in free pages or in the free space of a page (the privacy erase relies on it).
    private readonly string _pragma = (synchronous == SqliteSynchronous.Full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;")
        + " PRAGMA secure_delete=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsSqlite(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = _pragma;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsSqlite(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = _pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static bool IsSqlite(DbConnection connection) =>
        connection.GetType().FullName == "Microsoft.Data.Sqlite.SqliteConnection";
}
