using MentorFlow.Graph;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Server.Persistence;

namespace MentorFlow.Server.Graph;

/// <summary>
/// The Graph module of the server: gateway, outbox dispatcher and activities on the one database, and the embedded
/// Graph sandbox on its own address (<c>GraphSandbox:Host</c>/<c>Port</c>, root path <c>/v1.0</c>), hosted in Sandbox
/// mode (the default) and in Tenant mode only with <c>GraphSandbox:Enabled=true</c>; its pages accept the server's
/// manager keys (<see cref="ManagerKeySandboxAccess"/>). Maps the manager API (<see cref="GraphApi"/>,
/// <c>/api/graph</c>) and the manager shell's "Mailbox" page (<see cref="GraphPages"/>, <c>/graph/sandbox</c>).
/// </summary>
public static class GraphModule
{
    public static WebApplicationBuilder AddGraph(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ISandboxAccessPolicy, ManagerKeySandboxAccess>();
        builder.AddGraphGateway<MentorFlowDbContext>();
        return builder;
    }

    public static WebApplication MapGraph(this WebApplication app)
    {
        app.MapGraphApi();
        app.MapGraphPages();
        return app;
    }
}
