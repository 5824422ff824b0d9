using MentorFlow.Graph;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Server.Persistence;

namespace MentorFlow.Server.GraphSandbox;

/// <summary>
/// The Graph module in the server: gateway, outbox dispatcher and activities on the one database; the embedded Graph
/// sandbox on its own address (<c>GraphSandbox:Host</c>/<c>Port</c>, root path <c>/v1.0</c>) in Sandbox mode (the
/// default) and in Tenant mode (where runs started from the designer send their invites and mail); the manager API under <c>/api/graph</c> and <c>/graph/sandbox</c>, a link to the mailbox view.
/// </summary>
public static class GraphModule
{
    public static WebApplicationBuilder AddGraph(this WebApplicationBuilder builder)
    {
        builder.AddGraphGateway<MentorFlowDbContext>();
        return builder;
    }

    public static WebApplication MapGraph(this WebApplication app)
    {
        app.MapGraphApi<MentorFlowDbContext>();
        app.MapGet("/graph/sandbox", (IServiceProvider services) =>
                services.GetService<GraphSandboxHost>()?.Origin is { } origin
                    ? Results.Redirect(origin.ToString())
                    : Results.Problem(title: "No Graph sandbox is hosted here.",
                        detail: "GraphSandbox:Enabled is false, or Graph:BaseUrl points elsewhere in Sandbox mode.", statusCode: 404))
            .WithTags("Graph")
            .ExcludeFromDescription()
            .AllowAnonymous(); // a plain link in the manager pages (no key on navigation); it only reveals the sandbox's address
        return app;
    }
}
