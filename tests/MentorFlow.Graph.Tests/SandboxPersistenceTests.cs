using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MentorFlow.Graph.Gateway;
using MentorFlow.Graph.Model;
using MentorFlow.Graph.Outbox;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Graph.Tests.Infrastructure;
using MentorFlow.Server.Persistence;
using MentorFlow.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace MentorFlow.Graph.Tests;

/// <summary>
/// The sandbox's mail and events live in the server's database: a restarted server shows what was sent before, and
/// replicas on one PostgreSQL database share every mailbox (one transactionId, one sign-in ticket, one view).
/// </summary>
public sealed class SandboxPersistenceTests
{
    private const string Token = "sandbox-persistence-test-token-0123456789abcdef";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Restart_OnTheSameDatabase_KeepsTheSandboxsMailAndRecurringEvents()
    {
        var directory = Directory.CreateTempSubdirectory("mentorflow-graph-restart-").FullName;
        var settings = new Dictionary<string, string?> { ["GraphSandbox:AccessToken"] = Token };
        var firstCheckIn = new DateTime(2026, 3, 2, 9, 0, 0);
        await using (var first = new GraphServerFactory(directory, settings))
        {
            using var client = first.CreateManagerClient();
            var host = first.Services.GetRequiredService<GraphSandboxHost>();
            await EnqueueAsync(first,
                GraphOutboxMessages.Mail("restart-mail", GraphOptions.SandboxOrganizer, Requests.Mail() with { Subject = "Before the restart" }, Now),
                GraphOutboxMessages.Series("restart-series", GraphOptions.SandboxOrganizer,
                    new SeriesRequest(Requests.Invite(start: firstCheckIn, subject: "Fortnightly check-in"), RecurrenceCadence.EveryTwoWeeks,
                        new DateOnly(2026, 4, 30)), Now));
            await WaitAsync(async () => (await host.Sandbox.MessagesAsync()).Count == 1 && (await host.Sandbox.EventsAsync()).Count == 1);
        }

        await using var second = new GraphServerFactory(directory, settings);
        using var manager = second.CreateManagerClient();
        var restarted = second.Services.GetRequiredService<GraphSandboxHost>();
        using var graph = GraphClientProvider.CreateSandboxClient((await restarted.GetBaseUrlAsync(CancellationToken.None)).ToString(), Token);
        var view = await graph.Users[GraphOptions.SandboxOrganizer].CalendarView.GetAsync(request =>
        {
            request.QueryParameters.StartDateTime = "2026-03-01T00:00:00Z";
            request.QueryParameters.EndDateTime = "2026-05-01T00:00:00Z";
        });
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("ApiKey", GraphServerFactory.ManagerKey);
        var page = await http.GetStringAsync(new Uri(restarted.Origin!, "mailbox/mentee%40contoso.test"));
        var march = await http.GetStringAsync(new Uri(restarted.Origin!, "mailbox/mentee%40contoso.test/calendar?view=month&date=2026-03-01"));

        Assert.Equal("Before the restart", Assert.Single(await restarted.Sandbox.MessagesAsync()).Subject);
        Assert.Equal(5, view!.Value!.Count(e => e.Subject == "Fortnightly check-in")); // 2, 16, 30 March, 13, 27 April
        Assert.Contains("Before the restart", page, StringComparison.Ordinal);
        Assert.Contains("Fortnightly check-in", page, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Monday 30 March 2026\"", march, StringComparison.Ordinal);
        Assert.Equal(3, march.Split(">Fortnightly check-in<").Length - 1); // the calendar after the restart: 2, 16, 30 March
        await second.DisposeAsync(); // the server stops writing before its files go
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task TwoReplicas_OnPostgres_ShareOneMailboxOneTransactionIdAndOneSignInTicket()
    {
        await using var postgres = await TestPostgres.CreateAsync("mf_sandbox_");
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:mentorflow"] = postgres.ConnectionString,
            ["GraphSandbox:AccessToken"] = Token,
            ["Graph:Dispatcher:Enabled"] = "false",
        };
        await using var replicaA = new GraphServerFactory(settings: settings);
        using var managerA = replicaA.CreateManagerClient();
        await using var replicaB = new GraphServerFactory(settings: settings);
        using var managerB = replicaB.CreateManagerClient();
        var sandboxA = replicaA.Services.GetRequiredService<GraphSandboxHost>();
        var sandboxB = replicaB.Services.GetRequiredService<GraphSandboxHost>();
        using var graphA = GraphClientProvider.CreateSandboxClient((await sandboxA.GetBaseUrlAsync(CancellationToken.None)).ToString(), Token);
        using var graphB = GraphClientProvider.CreateSandboxClient((await sandboxB.GetBaseUrlAsync(CancellationToken.None)).ToString(), Token);

        await SendMailAsync(graphA, "Sent through replica A");
        await SendMailAsync(graphB, "Sent through replica B");
        var transactionId = Guid.NewGuid().ToString();
        await graphA.Users[GraphOptions.SandboxOrganizer].Events.PostAsync(Event(transactionId));
        var duplicate = await Assert.ThrowsAsync<ODataError>(() => graphB.Users[GraphOptions.SandboxOrganizer].Events.PostAsync(Event(transactionId)));

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("ApiKey", GraphServerFactory.ManagerKey);
        var pageOnA = await http.GetStringAsync(new Uri(sandboxA.Origin!, "mailbox/mentee%40contoso.test"));
        var pageOnB = await http.GetStringAsync(new Uri(sandboxB.Origin!, "mailbox/mentee%40contoso.test"));

        using var issued = await managerA.PostAsJsonAsync(new Uri("/api/graph/sandbox/session", UriKind.Relative), new { mailbox = "mentee@contoso.test" });
        var ticket = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticket").GetString()!;
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var redeemedOnB = await browser.PostAsync(new Uri(sandboxB.Origin!, "sandbox/session"),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["ticket"] = ticket }));
        using var replayedOnA = await browser.PostAsync(new Uri(sandboxA.Origin!, "sandbox/session"),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["ticket"] = ticket }));

        foreach (var page in new[] { pageOnA, pageOnB })
        {
            Assert.Contains("Sent through replica A", page, StringComparison.Ordinal);
            Assert.Contains("Sent through replica B", page, StringComparison.Ordinal);
            Assert.Contains("Kick-off across replicas", page, StringComparison.Ordinal);
        }

        Assert.Equal(400, duplicate.ResponseStatusCode);
        Assert.Equal("ErrorDuplicateTransactionId", duplicate.Error?.Code);
        Assert.Single(await sandboxB.Sandbox.EventsAsync());
        Assert.Equal(HttpStatusCode.SeeOther, redeemedOnB.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayedOnA.StatusCode);
    }

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    private static Task SendMailAsync(GraphServiceClient graph, string subject) =>
        graph.Users[GraphOptions.SandboxOrganizer].SendMail.PostAsync(new Microsoft.Graph.Users.Item.SendMail.SendMailPostRequestBody
        {
            Message = new Message
            {
                Subject = subject,
                Body = new ItemBody { ContentType = BodyType.Html, Content = "<p>Hello</p>" },
                ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = "mentee@contoso.test", Name = "Mentee" } }],
            },
            SaveToSentItems = true,
        });

    private static Event Event(string transactionId) => new()
    {
        Subject = "Kick-off across replicas",
        TransactionId = transactionId,
        Start = new DateTimeTimeZone { DateTime = "2026-03-02T09:00:00", TimeZone = "W. Europe Standard Time" },
        End = new DateTimeTimeZone { DateTime = "2026-03-02T09:30:00", TimeZone = "W. Europe Standard Time" },
        Attendees = [new Attendee { Type = AttendeeType.Required, EmailAddress = new EmailAddress { Address = "mentee@contoso.test" } }],
    };

    private static async Task EnqueueAsync(GraphServerFactory factory, params GraphOutboxMessage[] messages)
    {
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<MentorFlowDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        db.AddRange(messages);
        await db.SaveChangesAsync();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        using var cancellation = new CancellationTokenSource(Timeout);
        while (!await condition())
        {
            await Task.Delay(50, cancellation.Token);
        }
    }
}
