using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Activities.BuiltIn;
using MentorFlow.Workflows.Activities.Http;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Descriptors;
using MentorFlow.Workflows.Expressions;
using MentorFlow.Workflows.Hosting;
using MentorFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MentorFlow.Workflows;

public static class WorkflowEngineServiceCollectionExtensions
{
    /// <summary>
    /// Adds the workflow engine: definitions (<see cref="IWorkflowDefinitionService"/>), the runtime
    /// (<see cref="IWorkflowRuntime"/>), the activity registry with the built-in Elsa activities, expressions,
    /// durable timers and recovery. <typeparamref name="TContext"/> must include
    /// <c>modelBuilder.AddWorkflowEngineModel()</c> and be resolvable through <see cref="IDbContextFactory{TContext}"/>.
    /// A <see cref="TimeProvider"/> is used when registered (default: the system clock).
    /// </summary>
    public static IServiceCollection AddWorkflowEngine<TContext>(this IServiceCollection services, Action<WorkflowEngineOptions>? configure = null)
        where TContext : DbContext
    {
        var options = services.AddOptions<WorkflowEngineOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        foreach (var type in BuiltInActivities.Types)
        {
            services.AddSingleton(new ActivityRegistration(type));
        }

        services.TryAddSingleton<IActivityRegistry, ActivityRegistry>();
        services.TryAddSingleton<ExpressionEvaluator>();
        services.TryAddSingleton<DefinitionValidator>();
        services.TryAddSingleton<FlowchartCache>();
        services.TryAddSingleton<BurstRunner>();
        services.TryAddSingleton<TimerNotifications>();
        services.TryAddSingleton<InstanceLeases<TContext>>();
        services.TryAddSingleton<InstanceLoader<TContext>>();
        services.TryAddSingleton<WorkflowInbox<TContext>>();
        services.TryAddSingleton<BurstCommitter<TContext>>();
        services.TryAddSingleton<FailedBursts<TContext>>();
        services.TryAddSingleton<WorkflowExecutor<TContext>>();
        services.TryAddSingleton<WorkflowStarter<TContext>>();
        services.TryAddSingleton<InstanceCommands<TContext>>();
        services.TryAddSingleton<InstanceQueries<TContext>>();
        services.TryAddSingleton<TimerFiring<TContext>>();
        services.TryAddSingleton<InstanceRecovery<TContext>>();
        services.TryAddSingleton<WorkflowRuntime<TContext>>();
        services.TryAddSingleton<IWorkflowRuntime>(sp => sp.GetRequiredService<WorkflowRuntime<TContext>>());
        services.TryAddSingleton<IWorkflowEngineMaintenance>(sp => sp.GetRequiredService<WorkflowRuntime<TContext>>());
        services.TryAddSingleton<IWorkflowEnlistment, WorkflowEnlistment<TContext>>();
        services.TryAddSingleton<OutboundHttp>();
        services.TryAddSingleton<HttpEndpointExchanges>();
        services.AddSingleton<IWorkflowCommitListener>(sp => sp.GetRequiredService<HttpEndpointExchanges>());
        services.TryAddSingleton<HttpEndpointRouter<TContext>>();
        services.TryAddSingleton<IHttpEndpointRouter>(sp => sp.GetRequiredService<HttpEndpointRouter<TContext>>());
        services.TryAddSingleton<ChildWorkflows<TContext>>();
        services.TryAddSingleton<IChildWorkflows>(sp => sp.GetRequiredService<ChildWorkflows<TContext>>());
        services.AddSingleton<IWorkflowCommitListener>(sp => sp.GetRequiredService<ChildWorkflows<TContext>>());
        services.TryAddSingleton<IWorkflowDefinitionService, WorkflowDefinitionService<TContext>>();
        services.TryAddSingleton<WorkflowDefinitionActivities<TContext>>();
        services.TryAddSingleton<IWorkflowDefinitionActivities>(sp => sp.GetRequiredService<WorkflowDefinitionActivities<TContext>>());
        services.TryAddSingleton<TimerScheduler<TContext>>();
        services.AddHostedService<WorkflowEngineHostedService<TContext>>();
        return services;
    }

    /// <summary>Registers an activity class (other modules call this for their activities).</summary>
    public static IServiceCollection AddActivity<TActivity>(this IServiceCollection services)
        where TActivity : Activity
    {
        services.AddSingleton(new ActivityRegistration(typeof(TActivity)));
        return services;
    }
}
