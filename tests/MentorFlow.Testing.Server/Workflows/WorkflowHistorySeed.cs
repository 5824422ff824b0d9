using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MentorFlow.Testing.Server.Workflows;

/// <summary>
/// A large history written straight into the engine's tables with raw SQL (far faster than running it): finished
/// instances with a journal entry each, and one in ten waiting on <c>Reply</c> with its bookmark. Every NOT NULL column
/// of <c>wf_instances</c> must be named here, so a new one fails this seeding, and the test that runs it, at once.
/// </summary>
public static class WorkflowHistorySeed
{
    /// <summary>The definition version id of every seeded instance (no such version is published; named in the SQL below).</summary>
    public const string VersionId = "old";

    /// <summary>Seeds <paramref name="count"/> instances of the <c>history</c> flow into <paramref name="bench"/>'s database; returns the rows then in its tables.</summary>
    public static async Task<HistoryRows> SeedAsync(WorkflowBenchHost bench, int count)
    {
        ArgumentNullException.ThrowIfNull(bench);
        await using var connection = new SqliteConnection(bench.ConnectionString);
        await connection.OpenAsync();
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
        {
            await WriteAsync(connection, transaction, count, bench.Settings.Clock.GetUtcNow().AddDays(-200).ToUnixTimeMilliseconds());
            await transaction.CommitAsync();
        }

        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);";
        await analyze.ExecuteNonQueryAsync();
        return new HistoryRows(
            await CountAsync(connection, "SELECT COUNT(*) FROM wf_instances"),
            await CountAsync(connection, "SELECT COUNT(*) FROM wf_journal"),
            await CountAsync(connection, "SELECT COUNT(*) FROM wf_bookmarks"));
    }

    private static async Task WriteAsync(SqliteConnection connection, SqliteTransaction transaction, int count, long t0)
    {
        await using var instance = connection.CreateCommand();
        instance.Transaction = transaction;
        instance.CommandText = """
            INSERT INTO wf_instances (id, definition_id, definition_version_id, version, name, correlation_id, status, sub_status,
              incident_count, has_pending_work, lease_owner, lease_expires_at, burst_attempts, state, created_at, updated_at, finished_at)
            VALUES ($id, 'history', 'old', 1, 'history', $c, $s, $ss, 0, 0, NULL, 0, 0, '{}', $t, $t, NULL)
            """;
        var pId = instance.Parameters.Add("$id", SqliteType.Text);
        var pC = instance.Parameters.Add("$c", SqliteType.Text);
        var pS = instance.Parameters.Add("$s", SqliteType.Text);
        var pSs = instance.Parameters.Add("$ss", SqliteType.Text);
        var pT = instance.Parameters.Add("$t", SqliteType.Integer);
        await using var journal = connection.CreateCommand();
        journal.Transaction = transaction;
        journal.CommandText = """
            INSERT INTO wf_journal (id, instance_id, sequence, activity_id, activity_type, activity_type_version, activity_name, event_name, started_at, completed_at, outcomes, message, error)
            VALUES ($jid, $id, 1, 'hello', 'Elsa.WriteLine', 1, 'hello', 'Completed', $t, $t, '["Done"]', 'hello', NULL)
            """;
        var jId = journal.Parameters.Add("$jid", SqliteType.Text);
        var jInstance = journal.Parameters.Add("$id", SqliteType.Text);
        var jT = journal.Parameters.Add("$t", SqliteType.Integer);
        await using var bookmark = connection.CreateCommand();
        bookmark.Transaction = transaction;
        bookmark.CommandText = """
            INSERT INTO wf_bookmarks (id, instance_id, activity_id, name, correlation_id, due_at, payload, created_at)
            VALUES ($bid, $id, 'wait', 'Reply', $c, NULL, NULL, $t)
            """;
        var bId = bookmark.Parameters.Add("$bid", SqliteType.Text);
        var bInstance = bookmark.Parameters.Add("$id", SqliteType.Text);
        var bC = bookmark.Parameters.Add("$c", SqliteType.Text);
        var bT = bookmark.Parameters.Add("$t", SqliteType.Integer);
        for (var i = 0; i < count; i++)
        {
            var id = "h" + i.ToString("D8", CultureInfo.InvariantCulture);
            var waiting = i % 10 == 0;
            pId.Value = id;
            pC.Value = "c" + i.ToString(CultureInfo.InvariantCulture);
            pS.Value = waiting ? "Running" : "Finished";
            pSs.Value = waiting ? "Suspended" : "Finished";
            pT.Value = t0 + i;
            await instance.ExecuteNonQueryAsync();
            jId.Value = "j" + id;
            jInstance.Value = id;
            jT.Value = t0 + i;
            await journal.ExecuteNonQueryAsync();
            if (waiting)
            {
                bId.Value = "b" + id;
                bInstance.Value = id;
                bC.Value = pC.Value;
                bT.Value = t0 + i;
                await bookmark.ExecuteNonQueryAsync();
            }
        }
    }

    private static async Task<long> CountAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
