using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Workflows.Tests.Infrastructure;

/// <summary>A fresh SQLite database and engine host per test, with helpers to run a flow.</summary>
public abstract class EngineTestBase : IAsyncLifetime
{
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    protected TestDatabase Database { get; private set; } = null!;
    protected EngineHost Host { get; private set; } = null!;

    protected virtual void Configure(WorkflowEngineOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.SqliteAsync();
        Host = await EngineHost.StartAsync(Database, Clock, Configure);
    }

    public virtual async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }

    protected async Task<WorkflowInstanceDetails> RunAsync(Flow flow, IReadOnlyDictionary<string, object?>? input = null, string? correlationId = null)
    {
        var id = await Host.PublishAsync(flow.Json);
        var started = await Host.Runtime.StartAsync(id, input, correlationId);
        return (await Host.Runtime.GetInstanceAsync(started.InstanceId))!;
    }

    protected async Task<WorkflowInstanceDetails> ReloadAsync(WorkflowInstanceDetails details) =>
        (await Host.Runtime.GetInstanceAsync(details.Summary.Id))!;

    protected static IEnumerable<string?> Messages(WorkflowInstanceDetails details) =>
        details.Journal.Where(j => j.ActivityType == "Elsa.WriteLine").Select(j => j.Message);
}
