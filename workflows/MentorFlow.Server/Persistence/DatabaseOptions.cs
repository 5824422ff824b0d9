using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MentorFlow.Server.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Settings under <c>Database</c>; the connection string is <c>ConnectionStrings:mentorflow</c> (Aspire's convention,
/// <c>ConnectionStrings__mentorflow</c> in the environment).
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "mentorflow";
    public const string DefaultSqlite = "Data Source=data/mentorflow.db";

    /// <summary><c>Sqlite</c> (default, one file, nothing to install) or <c>Postgres</c>.</summary>
    [Required]
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>Filled from <c>ConnectionStrings:mentorflow</c>; defaults to a file under <c>data/</c> on SQLite.</summary>
    public string? ConnectionString { get; set; }

    public DatabaseProvider ParsedProvider =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var parsed)
            ? parsed
            : throw new InvalidOperationException("Database:Provider was not validated.");
}

/// <summary>Validates the provider name and that the connection string parses for that provider.</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (!Enum.TryParse<DatabaseProvider>(options.Provider, ignoreCase: true, out var provider)
            || !Enum.IsDefined(provider)
            || int.TryParse(options.Provider, out _))
        {
            return ValidateOptionsResult.Fail(
                $"Database:Provider '{options.Provider}' is not supported; use 'Sqlite' or 'Postgres'.");
        }

        var connectionString = options.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return provider == DatabaseProvider.Postgres
                ? ValidateOptionsResult.Fail("ConnectionStrings:mentorflow is required when Database:Provider is 'Postgres'.")
                : ValidateOptionsResult.Success;
        }

        try
        {
            if (provider == DatabaseProvider.Sqlite)
            {
                var sqlite = new SqliteConnectionStringBuilder(connectionString);
                if (string.IsNullOrWhiteSpace(sqlite.DataSource))
                {
                    return ValidateOptionsResult.Fail("ConnectionStrings:mentorflow has no 'Data Source' for SQLite.");
                }
            }
            else
            {
                var npgsql = new NpgsqlConnectionStringBuilder(connectionString);
                if (string.IsNullOrWhiteSpace(npgsql.Host))
                {
                    return ValidateOptionsResult.Fail("ConnectionStrings:mentorflow has no 'Host' for PostgreSQL.");
                }
            }
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or KeyNotFoundException)
        {
            return ValidateOptionsResult.Fail(
                $"ConnectionStrings:mentorflow is not a valid {provider} connection string: {exception.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}
