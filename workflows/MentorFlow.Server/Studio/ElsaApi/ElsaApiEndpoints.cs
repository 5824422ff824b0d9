using MentorFlow.Server.Security;

namespace MentorFlow.Server.Studio.ElsaApi;

/// <summary>The Elsa 3 compatible REST API under <c>/elsa/api</c> that Elsa Studio talks to (manager key required).</summary>
internal static class ElsaApiEndpoints
{
    public static IEndpointRouteBuilder MapElsaApi(this IEndpointRouteBuilder app)
    {
        app.MapElsaPackage();
        var api = app.MapGroup(DefinitionPresenter.ApiBase)
            .RequireAuthorization(ManagerAuthenticationExtensions.ManagerPolicy)
            .WithTags("Elsa Studio API");
        api.MapElsaDefinitions();
        api.MapElsaInstances();
        api.MapElsaDescriptors();
        return app;
    }
}
