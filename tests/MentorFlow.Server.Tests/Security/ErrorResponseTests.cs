using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Server.Persistence;
using MentorFlow.Server.Tests.Infrastructure;
using MentorFlow.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Server.Tests.Security;

/// <summary>Errors tell people what to do, never what the database said.</summary>
public sealed class ErrorResponseTests
{
    private static readonly string[] DatabaseWords = ["SQLite", "UNIQUE", "constraint", "23505", "mf_applications", "mf_programmes", "Npgsql", "DbUpdateException", "   at "];

    [Fact]
    public async Task ParallelApply_ForOneEmail_OnSqlite_RecordsOneAndGivesTheOthersTheFriendlyPage() =>
        await ParallelApplyAsync(new ServerFactory());

    [Fact]
    public async Task ParallelApply_ForOneEmail_OnPostgres_RecordsOneAndGivesTheOthersTheFriendlyPage()
    {
        await using var postgres = await TestPostgres.CreateAsync();
        await ParallelApplyAsync(new ServerFactory
        {
            Settings = { ["Database:Provider"] = "Postgres", ["ConnectionStrings:mentorflow"] = postgres.ConnectionString },
        });
    }

    [Fact]
    public async Task UnexpectedFailures_GiveAGenericProblemWithATraceId_AndNoDatabaseText()
    {
        using var server = new FailingServer();
        using var manager = server.CreateManagerClient();

        var unique = await manager.PostAsJsonAsync("/api/programmes", ManagerKeyTests.Programme(FailingServer.UniqueViolation));
        var crash = await manager.PostAsJsonAsync("/api/programmes", ManagerKeyTests.Programme(FailingServer.Crash));

        Assert.Equal(HttpStatusCode.Conflict, unique.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, crash.StatusCode);
        foreach (var response in new[] { unique, crash })
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync();
            var problem = JsonDocument.Parse(body).RootElement;
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
            Assert.DoesNotContain("secret internal detail", body, StringComparison.Ordinal);
            Assert.All(DatabaseWords, word => Assert.DoesNotContain(word, body, StringComparison.Ordinal));
        }
    }

    private static async Task ParallelApplyAsync(ServerFactory server)
    {
        using var _ = server;
        using var manager = server.CreateManagerClient();
        var created = await manager.PostAsJsonAsync("/api/programmes", ManagerKeyTests.Programme("Race"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await manager.PostAsJsonAsync($"/api/programmes/{id}/phase", new { phase = "Applications" })).EnsureSuccessStatusCode();
        var links = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var link = await (await manager.PostAsJsonAsync($"/api/programmes/{id}/links", new { purpose = "Apply", participant = "ana@c.test" }))
                .Content.ReadFromJsonAsync<JsonElement>();
            links.Add(new Uri(link.GetProperty("url").GetString()!).PathAndQuery);
        }

        using var participant = server.CreateClient();
        var responses = await Task.WhenAll(links.Select(url => Task.Run(() => participant.PostAsync(new Uri(url, UriKind.Relative), Application()))));
        var pages = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        for (var i = 0; i < responses.Length; i++)
        {
            Assert.All(DatabaseWords, word => Assert.DoesNotContain(word, pages[i], StringComparison.Ordinal));
            if (responses[i].StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.Conflict, responses[i].StatusCode);
                Assert.Contains("We already have an application for this email address", pages[i], StringComparison.Ordinal);
            }
        }

        var applications = await manager.GetFromJsonAsync<JsonElement>($"/api/programmes/{id}/applications");
        Assert.Equal(1, applications.GetArrayLength());
    }

    private static FormUrlEncodedContent Application() => new(
    [
        new("role", "mentor"), new("name", "Ana"), new("time_zone", "Europe/Lisbon"), new("interests", "sql, python"), new("career_path", "data"),
        new("goals", "leadership"), new("seniority_years", "10"), new("preferred_length", "3-6"), new("capacity", "2"), new("communication", "video"),
    ]);

    /// <summary>The server whose database fails on saving a programme with a given name: a unique violation, or any other failure.</summary>
    private sealed class FailingServer : ServerFactory
    {
        public const string UniqueViolation = "fail with a unique violation";
        public const string Crash = "fail with a crash";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services =>
                services.ConfigureDbContext<SqliteMentorFlowDbContext>(options => options.AddInterceptors(new Thrower())));
        }

        private sealed class Thrower : SaveChangesInterceptor
        {
            public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
                DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
            {
                var names = eventData.Context!.ChangeTracker.Entries<Programme>().Select(e => e.Entity.Name).ToList();
                if (names.Contains(UniqueViolation))
                {
                    throw new DbUpdateException("An error occurred while saving the entity changes.",
                        new SqliteException("SQLite Error 19: 'UNIQUE constraint failed: mf_programmes.Name'.", 19));
                }

                return names.Contains(Crash)
                    ? throw new InvalidOperationException("secret internal detail of mf_programmes")
                    : base.SavingChangesAsync(eventData, result, cancellationToken);
            }
        }
    }
}
