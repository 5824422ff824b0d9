using MentorFlow.Graph.Activities;
using MentorFlow.Graph.Gateway;
using MentorFlow.Graph.Outbox;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Workflows;
using MentorFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MentorFlow.Graph;

public static class GraphServiceExtensions
{
    /// <summary>
    /// The Graph module: options (validated on start), the SDK client, the gateway, the outbox dispatcher on
    /// <typeparamref name="TContext"/>'s database and the embedded sandbox on its own address (see
    /// <see cref="HostsSandbox"/>). Register an <see cref="ISandboxAccessPolicy"/> so managers can open its pages.
    /// </summary>
    public static IHostApplicationBuilder AddGraphGateway<TContext>(this IHostApplicationBuilder builder)
        where TContext : DbContext
    {
        var services = builder.Services;
        services.AddOptions<GraphOptions>()
            .Bind(builder.Configuration.GetSection(GraphOptions.Section))
            .PostConfigure(o =>
            {
                if (o.ParsedMode == GraphMode.Sandbox && string.IsNullOrWhiteSpace(o.OrganizerMailbox))
                {
                    o.OrganizerMailbox = GraphOptions.SandboxOrganizer;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GraphOptions>, GraphOptionsValidator>();
        services.AddOptions<GraphSandboxOptions>().Bind(builder.Configuration.GetSection(GraphSandboxOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GraphSandboxOptions>, GraphSandboxOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GraphClientProvider>();
        services.TryAddSingleton<IGraphGateway, GraphGateway>();
        services.TryAddSingleton(sp =>
        {
            var dispatcher = sp.GetRequiredService<IOptions<GraphOptions>>().Value.Dispatcher;
            return new MailboxPacer(dispatcher.MaxConcurrentPerReplica, dispatcher.RequestsPerWindowPerReplica, dispatcher.Window,
                sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<GraphOutboxDispatcher<TContext>>();
        services.TryAddSingleton<GraphOutboxSignal>();
        services.AddSingleton<IWorkflowCommitListener>(sp => sp.GetRequiredService<GraphOutboxSignal>());
        services.AddActivity<SendEmail>();
        services.AddActivity<CreateInvite>();
        services.AddActivity<CreateRecurringSeries>();
        services.AddActivity<UpdateInvite>();
        services.AddActivity<CancelInvite>();

        var graph = new GraphOptions();
        builder.Configuration.GetSection(GraphOptions.Section).Bind(graph);
        var sandbox = new GraphSandboxOptions();
        builder.Configuration.GetSection(GraphSandboxOptions.Section).Bind(sandbox);
        if (HostsSandbox(graph, sandbox))
        {
            services.TryAddSingleton(sp => new SandboxStore(() => sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext()));
            services.TryAddSingleton<GraphSandbox>();
            services.TryAddSingleton(sp => new GraphSandboxHost(
                sp.GetRequiredService<GraphSandbox>(),
                sp.GetRequiredService<IOptions<GraphSandboxOptions>>(),
                sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<GraphSandboxHost>>(),
                sp.GetService<ISandboxAccessPolicy>(),
                sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<IGraphSandboxEndpoint>(sp => sp.GetRequiredService<GraphSandboxHost>());
            services.AddHostedService(sp => sp.GetRequiredService<GraphSandboxHost>());
        }

        if (graph.Dispatcher.Enabled)
        {
            services.AddHostedService(sp => sp.GetRequiredService<GraphOutboxDispatcher<TContext>>());
        }

        return builder;
    }

    /// <summary>
    /// Whether this process hosts the embedded sandbox: <c>GraphSandbox:Enabled</c> unset → in Sandbox mode without
    /// <c>Graph:BaseUrl</c> only (never in Tenant mode); <c>true</c> → also in Tenant mode, where runs started from the
    /// designer then send their invites and mail; <c>false</c> → never.
    /// </summary>
    public static bool HostsSandbox(GraphOptions graph, GraphSandboxOptions sandbox) => sandbox.Enabled switch
    {
        false => false,
        true => graph.ParsedMode == GraphMode.Tenant || string.IsNullOrWhiteSpace(graph.BaseUrl),
        null => graph.ParsedMode == GraphMode.Sandbox && string.IsNullOrWhiteSpace(graph.BaseUrl),
    };
}
