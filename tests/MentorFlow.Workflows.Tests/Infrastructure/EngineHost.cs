using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Descriptors;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Workflows.Tests.Infrastructure;

/// <summary>
/// One engine "process": a generic host with the engine on a test database. Disposing it is a stop (or, with a
/// burst in flight, a crash: the burst is cancelled before it commits); building another on the same database
/// is the restart.
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly IHost _host;

    private EngineHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;
    public IWorkflowRuntime Runtime => Services.GetRequiredService<IWorkflowRuntime>();
    public IWorkflowDefinitionService Definitions => Services.GetRequiredService<IWorkflowDefinitionService>();
    public IWorkflowEngineMaintenance Maintenance => Services.GetRequiredService<IWorkflowEngineMaintenance>();
    public IActivityRegistry Registry => Services.GetRequiredService<IActivityRegistry>();

    public static async Task<EngineHost> StartAsync(
        TestDatabase database,
        TimeProvider? clock = null,
        Action<WorkflowEngineOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        bool background = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(clock ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero)));
        builder.Services.AddDbContextFactory<TestDbContext>(database.Configure);
        builder.Services.AddWorkflowEngine<TestDbContext>(o =>
        {
            o.EnableBackgroundServices = background;
            configure?.Invoke(o);
        });
        builder.Services.AddActivity<Probe>();
        builder.Services.AddActivity<EnlistOutbox>();
        builder.Services.AddActivity<Hang>();
        builder.Services.AddActivity<CountResumes>();
        builder.Services.AddActivity<RenderContent>();
        builder.Services.AddActivity<EnlistFixedKey>();
        builder.Services.AddActivity<SlowStep>();
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new EngineHost(host);
    }

    public async Task<string> PublishAsync(string json)
    {
        var saved = await Definitions.ImportAsync(json);
        Assert.True(saved.Errors.Count == 0, string.Join("; ", saved.Errors));
        var published = await Definitions.PublishAsync(saved.Definition.DefinitionId);
        Assert.True(published.Succeeded, string.Join("; ", published.Errors));
        return saved.Definition.DefinitionId;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            _host.Dispose();
        }
    }
}
