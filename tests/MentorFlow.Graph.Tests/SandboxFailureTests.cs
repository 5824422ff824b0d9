using MentorFlow.Graph.Gateway;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Graph.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Graph.Models.ODataErrors;

namespace MentorFlow.Graph.Tests;

/// <summary>
/// A request the sandbox cannot handle (here: its table is gone) is logged with its exception and a sanitised path,
/// answered 500 with a request id and no exception text, and fails the test that met it, naming the exception.
/// </summary>
public sealed class SandboxFailureTests
{
    [Fact]
    public async Task UnhandledFailure_IsLoggedWithItsExceptionUnderASanitisedPath_AndAnswered500WithOnlyARequestId()
    {
        using var database = new TestDatabase();
        await using var server = await SandboxServer.StartAsync(database: database);
        await DropMailTableAsync(database);

        var error = await Assert.ThrowsAsync<ODataError>(() =>
            server.Client.Users[SandboxServer.Organizer].SendMail.PostAsync(GraphGateway.ToSendMail(Requests.Mail(), "welcome")));

        var logged = Assert.Single(server.TakeErrors());
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Contains("no such table", logged.Exception!.ToString(), StringComparison.Ordinal);
        Assert.Contains("POST /v1.0/users/{mailbox}/sendMail", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("contoso", logged.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(500, error.ResponseStatusCode);
        Assert.Equal("InternalServerError", error.Error!.Code);
        Assert.Contains(error.Error.InnerError!.RequestId!, logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("table", error.Error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(logged.Message, await File.ReadAllTextAsync(SandboxLog.FilePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SandboxServer_ThatFailedARequest_FailsTheTestOnDispose_NamingTheExceptionAndTheLogFile()
    {
        using var database = new TestDatabase();
        var server = await SandboxServer.StartAsync(database: database);
        await DropMailTableAsync(database);
        var results = await server.CreateGateway().ExecuteAsync(SandboxServer.Organizer,
            [new SendMailOperation("m", "welcome", Requests.Mail())], CancellationToken.None);

        var failed = await Assert.ThrowsAsync<SandboxServer.SandboxFailedException>(async () => await server.DisposeAsync());

        Assert.Equal(500, results["m"].StatusCode);
        Assert.Contains("failed 1 request(s)", failed.Message, StringComparison.Ordinal);
        Assert.Contains("no such table", failed.Message, StringComparison.Ordinal);
        Assert.Contains(SandboxLog.FilePath, failed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1.0/users/organizer@contoso.test/sendMail", "/v1.0/users/{mailbox}/sendMail")]
    [InlineData("/v1.0/users/organizer%40contoso.test/events/AAMkAGSbx123/cancel", "/v1.0/users/{mailbox}/events/{id}/cancel")]
    [InlineData("/v1.0/$batch", "/v1.0/$batch")]
    [InlineData("/mailbox/mentee%40contoso.test/events/AAMk.ics", "/mailbox/{address}/events/{id}")]
    [InlineData("/sandbox/sign-in", "/sandbox/sign-in")]
    [InlineData("/someone@contoso.test", "/{value}")]
    [InlineData("", "/")]
    public void SanitisedPath_ReplacesAddressesAndIdsByTheirRole(string path, string expected) =>
        Assert.Equal(expected, SandboxFailureLogging.SanitisedPath(path));

    private static async Task DropMailTableAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        await db.Database.ExecuteSqlRawAsync("DROP TABLE graph_sandbox_messages;");
    }
}
