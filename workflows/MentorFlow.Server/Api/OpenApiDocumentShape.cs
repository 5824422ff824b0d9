using MentorFlow.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MentorFlow.Server.Api;

/// <summary>
/// Shapes the OpenAPI document for a reader: names it "MentorFlow API", declares the manager key as the <c>ApiKey</c> security scheme (sent as
/// <c>X-Api-Key: &lt;key&gt;</c>, which the server accepts like <c>Authorization: ApiKey &lt;key&gt;</c>), requires it
/// on every operation that does not allow anonymous access, and lists the programme and mentoring tags first and the
/// Elsa-compatible Studio API last.
/// </summary>
internal sealed class OpenApiDocumentShape : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    /// <summary>The tag of the Elsa-compatible API the Studio calls; listed after everything else.</summary>
    public const string ElsaTag = "Elsa Studio API";

    /// <summary>The header the security scheme names: the key alone, no prefix to type in a "try it" form.</summary>
    public const string KeyHeader = "X-Api-Key";

    private static readonly string[] FirstTags = ["Programmes", "Privacy", "Manager keys", "System"];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info ??= new OpenApiInfo();
        document.Info.Title = "MentorFlow API";
        document.Info.Description = "Programmes, participants' privacy, manager keys and the Graph outbox; the Elsa-compatible API the Studio calls is listed last. "
            + "Send a manager key as `X-Api-Key` (enter it under Authentication).";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = KeyHeader,
            Description = "A manager API key. Send it as `X-Api-Key: <key>` or `Authorization: ApiKey <key>`.",
        };

        var tags = new Dictionary<string, OpenApiTag>(StringComparer.Ordinal);
        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            if (tag.Name is { } name)
            {
                tags.TryAdd(name, tag);
            }
        }

        foreach (var operation in (document.Paths ?? []).Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            foreach (var name in (operation.Tags ?? Enumerable.Empty<OpenApiTagReference>()).Select(t => t.Name).OfType<string>())
            {
                tags.TryAdd(name, new OpenApiTag { Name = name });
            }
        }

        document.Tags = new SortedSet<OpenApiTag>(tags.Values, Comparer<OpenApiTag>.Create(static (a, b) =>
            Rank(a.Name).CompareTo(Rank(b.Name)) is var byRank and not 0 ? byRank : string.CompareOrdinal(a.Name, b.Name)));
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [],
            });
        }

        return Task.CompletedTask;
    }

    private static int Rank(string? tag) =>
        Array.IndexOf(FirstTags, tag) is >= 0 and var index ? index
        : tag == ElsaTag ? int.MaxValue
        : FirstTags.Length;
}
