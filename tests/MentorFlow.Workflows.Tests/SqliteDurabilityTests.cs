using System.Data.Common;
using MentorFlow.Workflows.Persistence;
using MentorFlow.Workflows.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Workflows.Tests;

/// <summary>
/// <see cref="SqliteDurabilityInterceptor"/> sets its PRAGMAs once per physical connection; every connection the pool
/// hands out again must still have them in force (a commit synced to disk, deleted content zeroed).
/// </summary>
public sealed class SqliteDurabilityTests
{
    private static async Task<(long Synchronous, long SecureDelete, object Handle)> SettingsAsync(TestDatabase database, SqliteSynchronous? synchronous, bool async)
    {
        var options = new DbContextOptionsBuilder<TestDbContext>();
        if (synchronous is { } setting)
        {
            options.UseSqlite(database.ConnectionString).AddInterceptors(new SqliteDurabilityInterceptor(setting));
        }
        else
        {
            database.Configure(options);
        }

        await using var db = new TestDbContext(options.Options);
        if (async)
        {
            await db.Database.OpenConnectionAsync();
        }
        else
        {
            db.Database.OpenConnection();
        }

        var connection = (SqliteConnection)db.Database.GetDbConnection();
        return (Pragma(connection, "synchronous"), Pragma(connection, "secure_delete"), connection.Handle!);
    }

    private static long Pragma(DbConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task EveryOpenedConnection_HasSynchronousFullAndSecureDelete_IncludingPooledOnesOpenedAgain()
    {
        await using var database = await TestDatabase.SqliteAsync();
        var seen = new List<(long Synchronous, long SecureDelete, object Handle)>();
        for (var i = 0; i < 6; i++)
        {
            seen.Add(await SettingsAsync(database, null, async: i % 2 == 0));
        }

        Assert.All(seen, s => Assert.Equal((2L, 1L), (s.Synchronous, s.SecureDelete)));
        Assert.True(seen.Count(s => ReferenceEquals(s.Handle, seen[0].Handle)) > 1, "the pool handed the same connection out again");
    }

    [Fact]
    public async Task AnInterceptorWithOtherSettings_AppliesItsOwn_OnAPooledConnection()
    {
        await using var database = await TestDatabase.SqliteAsync();

        var normal = await SettingsAsync(database, SqliteSynchronous.Normal, async: true);
        var full = await SettingsAsync(database, SqliteSynchronous.Full, async: true);
        var normalAgain = await SettingsAsync(database, SqliteSynchronous.Normal, async: false);

        Assert.Same(normal.Handle, full.Handle);
        Assert.Equal((1L, 2L, 1L), (normal.Synchronous, full.Synchronous, normalAgain.Synchronous));
        Assert.All([normal, full, normalAgain], s => Assert.Equal(1L, s.SecureDelete));
    }
}
