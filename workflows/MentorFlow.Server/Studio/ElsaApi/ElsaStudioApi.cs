using MentorFlow.Server.Security;

namespace MentorFlow.Server.Studio.ElsaApi;

/// <summary>The Elsa 3 compatible REST API under <c>/elsa/api</c> that Elsa Studio talks to (manager key required).</summary>
internal static class ElsaStudioApi
{
    public static IEndpointRouteBuilder MapElsaStudioApi(this IEndpointRouteBuilder app)
    {
        app.MapElsaPackage();
        var api = app.MapGroup(DefinitionPresenter.ApiBase)
            .RequireAuthorization(ManagerAuthenticationExtensions.ManagerPolicy)
            .WithTags("Elsa Studio API");
        api.MapElsaDefinitionsApi();
        api.MapElsaDefinitionGraphApi();
        api.MapElsaDefinitionBulkActionsApi();
        api.MapElsaDefinitionFilesApi();
        api.MapElsaDefinitionRunsApi();
        api.MapElsaInstancesApi();
        api.MapElsaDescriptorsApi();
        api.MapElsaTasksApi();
        return app;
    }
}
