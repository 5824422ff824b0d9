using MentorFlow.Server.Hosting;
using MentorFlow.Workflows.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MentorFlow.Server.Persistence;

public static class PersistenceExtensions
{
    /// <summary>
    /// Registers <see cref="MentorFlowDbContext"/> (scoped) and <see cref="IDbContextFactory{MentorFlowDbContext}"/>
    /// on the provider chosen by <c>Database:Provider</c>, plus the database health check.
    /// </summary>
    public static IHostApplicationBuilder AddMentorFlowPersistence(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .Bind(builder.Configuration.GetSection(DatabaseOptions.Section))
            .PostConfigure(options => options.ConnectionString ??=
                builder.Configuration.GetConnectionString(DatabaseOptions.ConnectionStringName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        var options = new DatabaseOptions();
        builder.Configuration.GetSection(DatabaseOptions.Section).Bind(options);
        options.ConnectionString ??= builder.Configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        var validation = new DatabaseOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ConfigurationException("configuration error: " + validation.FailureMessage);
        }

        if (options.ParsedProvider == DatabaseProvider.Postgres)
        {
            Register<PostgresMentorFlowDbContext>(builder.Services, db => db.UseNpgsql(options.ConnectionString));
        }
        else
        {
            var connectionString = PrepareSqlite(options.ConnectionString ?? DatabaseOptions.DefaultSqlite, builder.Environment.ContentRootPath);
            Register<SqliteMentorFlowDbContext>(builder.Services, db => db.UseSqlite(connectionString).AddInterceptors(new SqliteDurabilityInterceptor()));
        }

        builder.Services.AddHealthChecks().AddDbContextCheck<MentorFlowDbContext>("database", tags: ["ready"]);
        return builder;
    }

    private static void Register<TContext>(IServiceCollection services, Action<DbContextOptionsBuilder> configure)
        where TContext : MentorFlowDbContext
    {
        services.AddDbContextFactory<TContext>(configure);
        services.AddSingleton<IDbContextFactory<MentorFlowDbContext>, DbContextFactoryAdapter<TContext>>();
        services.AddScoped<MentorFlowDbContext>(sp => sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());
    }

    /// <summary>Resolves a relative SQLite file against the content root and creates its folder.</summary>
    internal static string PrepareSqlite(string connectionString, string contentRoot)
    {
        var sqlite = new SqliteConnectionStringBuilder(connectionString);
        if (sqlite.DataSource != ":memory:" && sqlite.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.GetFullPath(sqlite.DataSource, contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            sqlite.DataSource = path;
        }

        if (sqlite.DefaultTimeout < 30)
        {
            sqlite.DefaultTimeout = 30;
        }

        return sqlite.ToString();
    }

    /// <summary>
    /// Applies pending migrations. Replicas starting together on PostgreSQL take turns (<see cref="MigrationLock"/>):
    /// EF Core's own lock does not keep a second replica from applying a migration the first one committed meanwhile.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<MentorFlowDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        try
        {
            // Replicas starting together on an empty server may race to create the database itself (before EF's
            // migration lock exists): the loser sees 'duplicate database' and simply migrates again.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var serialized = await MigrationLock.AcquireAsync(db);
                    await db.Database.MigrateAsync();
                    break;
                }
                catch (Npgsql.PostgresException exception) when (attempt < 5 && exception.SqlState is "42P04" or "23505")
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
                }
            }

            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or SqliteException)
        {
            throw new ConfigurationException(
                $"cannot open the database named by ConnectionStrings:mentorflow ({db.Database.ProviderName}): {exception.Message}");
        }
    }

    /// <summary>
    /// A PostgreSQL session advisory lock held on its own connection while one replica migrates, so replicas starting
    /// together on a fresh database apply each migration once: the next one waits, then finds nothing pending. None on
    /// SQLite (one process per file) or while the database does not exist yet (EF creates it; that race is retried).
    /// </summary>
    private sealed class MigrationLock(Npgsql.NpgsqlConnection? connection) : IAsyncDisposable
    {
        private const long Key = 0x4D46_4D49_4752; // "MFMIGR"

        public static async Task<MigrationLock> AcquireAsync(MentorFlowDbContext db)
        {
            if (!db.Database.IsNpgsql())
            {
                return new MigrationLock(null);
            }

            // Not pooled: closing the connection must end the session, which is what releases the lock.
            var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ToString());
            try
            {
                await connection.OpenAsync();
                await using var command = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({Key})", connection);
                command.CommandTimeout = 300;
                await command.ExecuteNonQueryAsync();
                return new MigrationLock(connection);
            }
            catch (Npgsql.PostgresException exception) when (exception.SqlState == "3D000")
            {
                await connection.DisposeAsync();
                return new MigrationLock(null);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (connection is not null)
            {
                // Closing the session releases its advisory lock.
                await connection.DisposeAsync();
            }
        }
    }

    private sealed class DbContextFactoryAdapter<TContext>(IDbContextFactory<TContext> inner)
        : IDbContextFactory<MentorFlowDbContext>
        where TContext : MentorFlowDbContext
    {
        public MentorFlowDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
