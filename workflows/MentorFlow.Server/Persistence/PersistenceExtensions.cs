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

    /// <summary>Applies pending migrations (EF Core holds a migration lock, so replicas starting together are safe).</summary>
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

    private sealed class DbContextFactoryAdapter<TContext>(IDbContextFactory<TContext> inner)
        : IDbContextFactory<MentorFlowDbContext>
        where TContext : MentorFlowDbContext
    {
        public MentorFlowDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
