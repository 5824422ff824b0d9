using System.Net;
using System.Net.Sockets;
using MentorFlow.Server.Tests.Infrastructure;

namespace MentorFlow.Server.Tests.Foundation;

/// <summary>An operator's configuration mistake ends the process with one clear line naming the setting.</summary>
public sealed class StartupErrorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("Database__Provider", "Oracle", "Database:Provider 'Oracle' is not supported")]
    [InlineData("ConnectionStrings__mentorflow", "Data Sorce=broken", "ConnectionStrings:mentorflow is not a valid Sqlite connection string")]
    [InlineData("Security__ManagerApiKeys__0", "short", "Security:ManagerApiKeys:0 must be at least 16 characters long")]
    public async Task Start_WithBadSetting_ExitsWithOneLineNamingTheSetting(string name, string value, string expected)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__mentorflow"] = "Data Source=data/test.db",
            [name] = value,
        };

        var result = await ServerProcess.RunAsync(environment, ["--urls", "http://127.0.0.1:0"], Timeout);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("mentorflow-server: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WhenPortIsTaken_ExitsWithOneLineSayingSo()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__mentorflow"] = "Data Source=data/test.db",
            ["Security__ManagerApiKeys__0"] = ServerFactory.ManagerKey,
            ["Mentoring__Links__SigningKey"] = "test-link-signing-key-0123456789abcdef",
            ["Mentoring__Links__PublicBaseUrl"] = "http://localhost",
        };

        var result = await ServerProcess.RunAsync(environment, ["--urls", $"http://127.0.0.1:{port}"], Timeout);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("cannot listen", line, StringComparison.Ordinal);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
    }
}
