namespace MentorFlow.AppHost.Tests;

public sealed class AppHostOptionsTests
{
    private const string Root = "/repo";

    private static AppHostOptions Read(string[] args, Dictionary<string, string?>? configuration = null)
    {
        var (ours, _) = AppHostOptions.Split(args);
        return AppHostOptions.Read(ours, key => configuration?.GetValueOrDefault(key), Root);
    }

    [Fact]
    public void Read_WithNoOptions_RunsOneServerOnSqliteUnderData()
    {
        var options = Read([]);

        Assert.False(options.UsesPostgres);
        Assert.Equal(1, options.Replicas);
        Assert.Equal(AppHostOptions.DefaultServerPort, options.ServerPort);
        Assert.Equal(5099, options.SandboxPort);
        Assert.Equal("/repo/data", options.DataDirectory);
    }

    [Fact]
    public void StartupBanner_PrintsTheSandboxsOneAddressBesideTheServer()
    {
        var options = Read(["--sandbox-port", "6099", "--replicas", "3"]);

        var lines = StartupBanner.Lines(options, "http://localhost:15080", "token", "mf_dev_key");

        Assert.Equal(6099, options.SandboxPort);
        Assert.Contains(lines, line => line.StartsWith("  mailbox    http://localhost:6099   (Graph sandbox:", StringComparison.Ordinal));
        Assert.Contains(lines, line => line == "  dashboard  http://localhost:15080/login?t=token   (the login link, valid for this run)");
        Assert.Contains(lines, line => line.Contains("replicas: 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WithReplicas_ImpliesLocalPostgres()
    {
        var options = Read(["--replicas", "3"]);

        Assert.True(options.Postgres);
        Assert.Equal(3, options.Replicas);
    }

    [Fact]
    public void Read_WithReplicasAndExternalPostgres_UsesTheExternalServer()
    {
        var options = Read(["--replicas=2", "--postgres-connection", "Host=db;Database=mf"]);

        Assert.False(options.Postgres);
        Assert.Equal("Host=db;Database=mf", options.ExternalPostgres);
    }

    [Fact]
    public void Read_FromConfiguration_UsesAspireStyleKeys()
    {
        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["MentorFlow:Replicas"] = "2",
            ["ConnectionStrings:mentorflow"] = "Host=db;Database=mf",
        };

        var options = Read([], configuration);

        Assert.Equal(2, options.Replicas);
        Assert.Equal("Host=db;Database=mf", options.ExternalPostgres);
    }

    [Fact]
    public void Split_LeavesAspireArgumentsAlone()
    {
        var (ours, others) = AppHostOptions.Split(["--postgres", "--DcpPublisher:RandomizePorts=true"]);

        Assert.Equal("true", ours["postgres"]);
        Assert.Equal(["--DcpPublisher:RandomizePorts=true"], others);
    }

    [Theory]
    [InlineData(new[] { "--replicas", "0" }, "--replicas must be a whole number from 1 to 16 (got '0')")]
    [InlineData(new[] { "--replicas", "many" }, "--replicas must be a whole number from 1 to 16 (got 'many')")]
    [InlineData(new[] { "--replicas" }, "--replicas needs a value")]
    [InlineData(new[] { "--server-port", "70000" }, "--server-port must be a whole number from 1 to 65535")]
    [InlineData(new[] { "--sandbox-port", "0" }, "--sandbox-port must be a whole number from 1 to 65535")]
    [InlineData(new[] { "--sandbox-port", "5180" }, "--sandbox-port and --server-port must differ (both 5180)")]
    [InlineData(new[] { "--postgres=maybe" }, "--postgres must be true or false (got 'maybe')")]
    [InlineData(new[] { "--postgres-connection", "Data Source=x.db" }, "must be a PostgreSQL connection string")]
    [InlineData(new[] { "--postgres", "--postgres-connection", "Host=db" }, "--postgres and --postgres-connection exclude each other")]
    public void Read_WithInvalidOption_FailsNamingTheOption(string[] args, string expected)
    {
        var error = Assert.Throws<AppHostOptionsException>(() => Read(args));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
