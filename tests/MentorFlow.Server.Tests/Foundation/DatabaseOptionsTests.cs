using MentorFlow.Server.Persistence;

namespace MentorFlow.Server.Tests.Foundation;

public sealed class DatabaseOptionsTests
{
    [Theory]
    [InlineData("Oracle", null, "Database:Provider 'Oracle' is not supported")]
    [InlineData("1", null, "Database:Provider '1' is not supported")]
    [InlineData("Postgres", null, "ConnectionStrings:mentorflow is required when Database:Provider is 'Postgres'")]
    [InlineData("Postgres", "Host=;Port=5432", "ConnectionStrings:mentorflow has no 'Host'")]
    [InlineData("Postgres", "Hots=localhost", "ConnectionStrings:mentorflow is not a valid Postgres connection string")]
    [InlineData("Sqlite", "Data Sorce=x.db", "ConnectionStrings:mentorflow is not a valid Sqlite connection string")]
    [InlineData("Sqlite", "Mode=ReadOnly", "ConnectionStrings:mentorflow has no 'Data Source'")]
    public void Validate_WhenSettingIsWrong_FailsNamingTheSetting(string provider, string? connectionString, string expected)
    {
        var result = new DatabaseOptionsValidator().Validate(null, new DatabaseOptions { Provider = provider, ConnectionString = connectionString });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sqlite", null)]
    [InlineData("sqlite", "Data Source=data/mentorflow.db")]
    [InlineData("Postgres", "Host=127.0.0.1;Port=5432;Username=postgres;Database=mentorflow")]
    public void Validate_WhenSettingsAreGood_Succeeds(string provider, string? connectionString)
    {
        var result = new DatabaseOptionsValidator().Validate(null, new DatabaseOptions { Provider = provider, ConnectionString = connectionString });

        Assert.True(result.Succeeded, result.FailureMessage);
    }
}
