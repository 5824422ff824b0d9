using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Workflows;

public static class WorkflowEngineHostBuilderExtensions
{
    /// <summary>
    /// Server composition: <see cref="WorkflowEngineServiceCollectionExtensions.AddWorkflowEngine{TContext}"/> with
    /// options bound from the <c>Workflows</c> configuration section.
    /// </summary>
    public static Microsoft.Extensions.Hosting.IHostApplicationBuilder AddWorkflowEngine<TContext>(this Microsoft.Extensions.Hosting.IHostApplicationBuilder builder)
        where TContext : DbContext
    {
        builder.Services.AddWorkflowEngine<TContext>();
        builder.Services.AddOptions<WorkflowEngineOptions>().Bind(builder.Configuration.GetSection(WorkflowEngineOptions.Section));
        return builder;
    }
}
