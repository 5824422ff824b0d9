using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Server.Security;

public sealed record NewManagerKey(string? Name);

public sealed record ManagerKeyList(IReadOnlyList<ManagerKeyInfo> Items);

/// <summary>
/// <c>/api/manager-keys</c>: list the keys (configured and stored; never the keys themselves), create a named key (the
/// key is in the response, once) and revoke a stored key (every replica refuses it within
/// <c>Security:ManagerKeyRefreshInterval</c>). Managers only; creating and revoking are audited with the acting key.
/// </summary>
public static class ManagerKeysApi
{
    public static IEndpointRouteBuilder MapManagerKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/manager-keys").WithTags("Manager keys")
            .RequireAuthorization(ManagerAuthenticationExtensions.ManagerPolicy);

        group.MapGet("/", async (ManagerKeyStore store, CancellationToken ct) =>
            TypedResults.Ok(new ManagerKeyList(await store.ListAsync(ct)))).WithName("ListManagerKeys");

        group.MapPost("/", async Task<Results<Created<CreatedManagerKey>, ValidationProblem>> (
            NewManagerKey input, ManagerKeyStore store, ClaimsPrincipal user, HttpResponse response, CancellationToken ct) =>
        {
            var name = input.Name?.Trim() ?? "";
            if (name.Length is 0 or > SecurityOptionsValidator.MaxKeyNameLength || name.Any(char.IsControl))
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["name"] = [$"Give the key a name of 1 to {SecurityOptionsValidator.MaxKeyNameLength} characters, e.g. who or what uses it."] },
                    title: "The key needs a name.");
            }

            var created = await store.CreateAsync(name, ManagerKeyIdentity.ActorOf(user), ct);
            response.Headers.CacheControl = "no-store";
            return TypedResults.Created($"/api/manager-keys/{created.Id}", created);
        }).WithName("CreateManagerKey")
            .WithSummary("Creates a named manager key; the response holds the key, shown this once.");

        group.MapPost("/{id}/revoke", async Task<Results<Ok<ManagerKeyInfo>, ProblemHttpResult>> (
            string id, ManagerKeyStore store, ClaimsPrincipal user, CancellationToken ct) =>
        {
            try
            {
                return await store.RevokeAsync(id, ManagerKeyIdentity.ActorOf(user), ct) is { } revoked
                    ? TypedResults.Ok(revoked)
                    : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such key.", detail: $"There is no stored manager key '{id}'.");
            }
            catch (ManagerKeyConflictException conflict)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The key cannot be revoked.", detail: conflict.Message);
            }
        }).WithName("RevokeManagerKey")
            .WithSummary("Revokes a stored manager key: every replica refuses it within Security:ManagerKeyRefreshInterval.");
        return app;
    }
}
