using MentorFlow.Workflows.Descriptors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MentorFlow.Server.Studio.ElsaApi;

/// <summary>
/// Descriptor, feature and package endpoints: what the Studio loads before it shows any page. Activities come from the
/// engine's registry and the flows usable as activities; the expression syntaxes and variable types are the ones MentorFlow's engine evaluates and stores.
/// MentorFlow has no pluggable activation, incident, log-persistence or commit strategies, storage drivers or optional
/// Elsa features, so those lists are empty (the Studio then shows its defaults).
/// </summary>
internal static class ElsaDescriptorsApi
{
    /// <summary>The expression syntaxes MentorFlow's engine evaluates (Literal, Liquid via Fluid, JavaScript via Jint, Object as JSON, Variable).</summary>
    public static readonly IReadOnlyList<ElsaExpressionDescriptor> Expressions =
    [
        Expression("Literal", "Literal", null),
        Expression("Liquid", "Liquid", "liquid"),
        Expression("JavaScript", "JavaScript", "javascript"),
        Expression("Object", "Object", "json"),
        Expression("Variable", "Variable", null),
    ];

    /// <summary>The variable types a definition may declare (values are stored as JSON with the instance).</summary>
    public static readonly IReadOnlyList<ElsaVariableTypeDescriptor> VariableTypes =
    [
        new("String", "String", "Primitives", "Text."),
        new("Boolean", "Boolean", "Primitives", "True or false."),
        new("Int32", "Int32", "Primitives", "A whole number (32-bit)."),
        new("Int64", "Int64", "Primitives", "A whole number (64-bit)."),
        new("Double", "Double", "Primitives", "A floating-point number."),
        new("Decimal", "Decimal", "Primitives", "A decimal number."),
        new("Guid", "Guid", "Primitives", "A globally unique identifier."),
        new("DateTime", "DateTime", "Date and time", "A date and time."),
        new("DateTimeOffset", "DateTimeOffset", "Date and time", "A date and time with its UTC offset."),
        new("DateOnly", "DateOnly", "Date and time", "A date."),
        new("TimeSpan", "TimeSpan", "Date and time", "A duration."),
        new("Object", "Object", "Dynamic", "Any JSON value."),
        new("JsonObject", "JsonObject", "Dynamic", "A JSON object."),
    ];

    public static IEndpointRouteBuilder MapElsaDescriptorsApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/descriptors/activities", async ([FromServices] IActivityRegistry registry, [FromServices] IWorkflowDefinitionActivities flows, CancellationToken cancellationToken) =>
        {
            // The flows usable as activities are read on every call: publishing, retracting or deleting one shows at once.
            var items = registry.List().Concat(await flows.ListAsync(cancellationToken)).Select(Map).ToList();
            return TypedResults.Ok(new ElsaListResponse<ElsaActivityDescriptor>(items, items.Count));
        });
        api.MapGet("/descriptors/expression-descriptors", () =>
            TypedResults.Ok(new ElsaListResponse<ElsaExpressionDescriptor>(Expressions, Expressions.Count)));
        api.MapGet("/descriptors/variables", () =>
            TypedResults.Ok(new ElsaListResponse<ElsaVariableTypeDescriptor>(VariableTypes, VariableTypes.Count)));
        api.MapGet("/descriptors/workflow-activation-strategies", EmptyStrategies);
        api.MapGet("/descriptors/incident-strategies", EmptyStrategies);
        api.MapGet("/descriptors/log-persistence-strategies", EmptyStrategies);
        api.MapGet("/descriptors/commit-strategies/workflows", EmptyCommitStrategies);
        api.MapGet("/descriptors/commit-strategies/activities", EmptyCommitStrategies);
        api.MapGet("/descriptors/storage-drivers", () =>
            TypedResults.Ok(new ElsaListResponse<ElsaStorageDriverDescriptor>([], 0)));
        api.MapGet("/features/installed", () => TypedResults.Ok(new ElsaListResponse<ElsaFeatureDescriptor>([], 0)));
        api.MapGet("/features/installed/{fullName}", (string fullName) =>
            ElsaRequests.NotFound($"Feature '{fullName}' is not installed."));
        return api;
    }

    /// <summary><c>GET /package/version</c> is anonymous in Elsa; the Studio may ask before it has a key.</summary>
    public static IEndpointRouteBuilder MapElsaPackage(this IEndpointRouteBuilder app)
    {
        app.MapGet($"{DefinitionPresenter.ApiBase}/package/version", () => TypedResults.Ok(new ElsaPackageVersionResponse(StudioOptions.PackageVersion)))
            .AllowAnonymous()
            .WithTags("Elsa Studio API");
        return app;
    }

    public static ElsaActivityDescriptor Map(ActivityDescriptor descriptor)
    {
        var customProperties = new Dictionary<string, object?>(descriptor.CustomProperties, StringComparer.Ordinal);
        if (descriptor.TypeName == "Elsa.Flowchart" && !customProperties.ContainsKey("RootType"))
        {
            customProperties["RootType"] = "Flowchart";
        }

        return new(
            descriptor.TypeName,
            descriptor.Namespace,
            descriptor.Name,
            descriptor.Version,
            descriptor.Category,
            descriptor.DisplayName,
            descriptor.Description,
            descriptor.Kind,
            descriptor.Inputs.Select(input => new ElsaInputDescriptor(
                input.Name,
                input.TypeName,
                input.DisplayName,
                input.Description,
                input.Order,
                input.IsBrowsable,
                input.IsSerializable,
                input.IsSynthetic,
                input.IsWrapped,
                input.UIHint,
                input.Category,
                input.DefaultValue,
                input.DefaultSyntax,
                input.IsReadOnly,
                input.IsSensitive,
                input.StorageDriverType,
                input.UISpecifications)).ToList(),
            descriptor.Outputs.Select(output => new ElsaOutputDescriptor(
                output.Name, output.TypeName, output.DisplayName, output.Description, output.Order, output.IsBrowsable, output.IsSynthetic)).ToList(),
            descriptor.Ports.Select(port => new ElsaPort(port.Name, port.DisplayName, port.Type, port.IsBrowsable)).ToList(),
            customProperties,
            new Dictionary<string, object?>(descriptor.ConstructionProperties, StringComparer.Ordinal),
            descriptor.IsContainer,
            descriptor.IsBrowsable,
            descriptor.IsStart,
            descriptor.IsTerminal);
    }

    private static Ok<ElsaListResponse<ElsaStrategyDescriptor>> EmptyStrategies() => TypedResults.Ok(new ElsaListResponse<ElsaStrategyDescriptor>([], 0));

    private static Ok<ElsaListResponse<ElsaCommitStrategyDescriptor>> EmptyCommitStrategies() =>
        TypedResults.Ok(new ElsaListResponse<ElsaCommitStrategyDescriptor>([], 0));

    private static ElsaExpressionDescriptor Expression(string type, string displayName, string? monacoLanguage) => new(
        type,
        displayName,
        IsSerializable: true,
        IsBrowsable: true,
        monacoLanguage,
        monacoLanguage is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["MonacoLanguage"] = monacoLanguage });
}
