using MentorFlow.Server.Pages;

namespace MentorFlow.Server.Studio;

/// <summary>
/// Our host pages around the Studio's custom elements, at the routes the Studio itself navigates to
/// (<c>workflows/definitions/{id}/edit</c>, <c>workflows/instances/{id}/view</c>, relative to <c>/studio/</c>): one
/// custom element per page inside the manager shell (header, navigation, sign-in), rendered by <see cref="StudioHostPage"/>. The element gets the manager key
/// from the shell's sign-in and talks to <c>/elsa/api</c>.
/// </summary>
public static class StudioPages
{
    public const string InstallHint =
        "Run 'npm ci' in workflows/studio (building MentorFlow.Server does it when node_modules is missing), "
        + "or set Studio:PackagePath to an unpacked @elsa-workflows/elsa-studio-wasm@3.8.2, then restart the server.";

    internal static readonly string[] StudioStyles =
    [
        "_content/MudBlazor/MudBlazor.min.css",
        "_content/CodeBeam.MudBlazor.Extensions/MudExtensions.min.css",
        "_content/Radzen.Blazor/css/material-base.css",
        "_content/Elsa.Studio.Shell/css/shell.css",
        "Elsa.Studio.Host.CustomElements.styles.css",
    ];

    internal static readonly string[] StudioScripts =
    [
        "_content/BlazorMonaco/jsInterop.js",
        "_content/BlazorMonaco/lib/monaco-editor/min/vs/loader.js",
        "_content/BlazorMonaco/lib/monaco-editor/min/vs/editor/editor.main.js",
        "_content/MudBlazor/MudBlazor.min.js",
        "_content/CodeBeam.MudBlazor.Extensions/MudExtensions.min.js",
        "_content/Radzen.Blazor/Radzen.Blazor.js",
        "_framework/blazor.webassembly.js",
    ];

    public static IEndpointRouteBuilder MapStudioPages(this IEndpointRouteBuilder app)
    {
        var studio = app.MapGroup("/studio").AllowAnonymous().ExcludeFromDescription();
        studio.MapGet("/", () => TypedResults.Redirect("/studio/workflows/definitions"));
        studio.MapGet("/workflows/definitions", (StudioPackage package) =>
            Page(package, new("Flows", "flows", "elsa-workflow-definition-list", null, null, "Flows")));
        studio.MapGet("/workflows/definitions/{definitionId}/edit", (string definitionId, StudioPackage package) =>
            Page(package, new("Flow editor", "flows", "elsa-workflow-definition-editor", "definition-id", definitionId, $"Flow {definitionId}")));
        studio.MapGet("/workflows/instances", (StudioPackage package) =>
            Page(package, new("Instances", "instances", "elsa-workflow-instance-list", null, null, "Instances")));
        studio.MapGet("/workflows/instances/{instanceId}/view", (string instanceId, StudioPackage package) =>
            Page(package, new("Instance", "instances", "elsa-workflow-instance-viewer", "instance-id", instanceId, $"Instance {instanceId}")));

        // Some Studio links are rooted at the site, not at its base path (the instance viewer's definition id links to
        // /workflows/definitions/{id}/edit): send them to the same pages under /studio.
        var rooted = app.MapGroup("/workflows").AllowAnonymous().ExcludeFromDescription();
        rooted.MapGet("/definitions", () => TypedResults.Redirect("/studio/workflows/definitions"));
        rooted.MapGet("/definitions/{definitionId}/edit", (string definitionId) =>
            TypedResults.Redirect($"/studio/workflows/definitions/{Uri.EscapeDataString(definitionId)}/edit"));
        rooted.MapGet("/instances", () => TypedResults.Redirect("/studio/workflows/instances"));
        rooted.MapGet("/instances/{instanceId}/view", (string instanceId) =>
            TypedResults.Redirect($"/studio/workflows/instances/{Uri.EscapeDataString(instanceId)}/view"));

        // The Studio reads appsettings.json beside its base URL at start. The URL is relative (never built from the
        // request's Host header, which a client chooses); each element gets the absolute API address from the page's
        // own origin (js/studio-host.js).
        studio.MapGet("/appsettings.json", () => TypedResults.Json(new
        {
            Backend = new { Url = "/elsa/api" },
        }));
        studio.MapMethods("/{**path}", ["GET", "HEAD"], (string path, HttpContext http, StudioPackage package) =>
            StudioStaticFiles.Serve(path, http, package));
        return app;
    }

    public sealed record PageSpec(string Title, string NavId, string Element, string? AttributeName, string? AttributeValue, string Heading);

    internal static ServerPage Page(StudioPackage package, PageSpec spec) =>
        ServerPage.Of<StudioHostPage>(StatusCodes.Status200OK, (nameof(StudioHostPage.Spec), spec), (nameof(StudioHostPage.Installed), package.IsInstalled));
}
