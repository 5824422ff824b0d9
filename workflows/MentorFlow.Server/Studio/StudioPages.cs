using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Server.Studio;

/// <summary>
/// Our host pages around the Studio's custom elements, at the routes the Studio itself navigates to
/// (<c>workflows/definitions/{id}/edit</c>, <c>workflows/instances/{id}/view</c>, relative to <c>/studio/</c>): one
/// custom element per page inside the manager shell (header, navigation, sign-in). The element gets the manager key
/// from the shell's sign-in and talks to <c>/elsa/api</c>.
/// </summary>
public static class StudioPages
{
    public const string InstallHint =
        "Run 'npm ci' in workflows/studio (building MentorFlow.Server does it when node_modules is missing), "
        + "or set Studio:PackagePath to an unpacked @elsa-workflows/elsa-studio-wasm@3.8.2, then restart the server.";

    private static readonly string[] StudioStyles =
    [
        "_content/MudBlazor/MudBlazor.min.css",
        "_content/CodeBeam.MudBlazor.Extensions/MudExtensions.min.css",
        "_content/Radzen.Blazor/css/material-base.css",
        "_content/Elsa.Studio.Shell/css/shell.css",
        "Elsa.Studio.Host.CustomElements.styles.css",
    ];

    private static readonly string[] StudioScripts =
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

    internal sealed record PageSpec(string Title, string NavId, string Element, string? AttributeName, string? AttributeValue, string Heading);

    internal static ContentHttpResult Page(StudioPackage package, PageSpec spec)
    {
        var e = HtmlEncoder.Default;
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(e.Encode(spec.Title)).Append(" · MentorFlow</title>\n")
            .Append("<base href=\"/studio/\">\n");
        if (package.IsInstalled)
        {
            foreach (var style in StudioStyles)
            {
                html.Append("<link rel=\"stylesheet\" href=\"").Append(style).Append("\">\n");
            }
        }

        html.Append("<link rel=\"stylesheet\" href=\"/css/app.css\">\n<link rel=\"stylesheet\" href=\"/css/studio.css\">\n")
            .Append("<script type=\"module\" src=\"/js/shell.js\"></script>\n");
        if (package.IsInstalled)
        {
            html.Append("<script type=\"module\" src=\"/js/studio-host.js\"></script>\n");
        }

        html.Append("</head>\n<body class=\"mf-studio-page\" data-page=\"").Append(e.Encode(spec.NavId))
            .Append("\" data-studio-element=\"").Append(e.Encode(spec.Element)).Append('"');
        if (spec.AttributeName is not null)
        {
            html.Append(" data-studio-attribute-name=\"").Append(e.Encode(spec.AttributeName))
                .Append("\" data-studio-attribute-value=\"").Append(e.Encode(spec.AttributeValue ?? "")).Append('"');
        }

        html.Append(">\n<main class=\"mf-full\">\n<h1 class=\"mf-studio-heading\">").Append(e.Encode(spec.Heading)).Append("</h1>\n");
        if (package.IsInstalled)
        {
            html.Append("<div id=\"mf-studio\" class=\"mf-studio\" aria-busy=\"true\"><p class=\"mf-studio-loading\">Loading the designer…</p></div>\n")
                .Append("<div id=\"blazor-error-ui\" role=\"alert\">The designer hit an error. <a href=\"\" class=\"reload\">Reload</a> <a class=\"dismiss\" href=\"#\">Dismiss</a></div>\n")
                .Append("</main>\n");
            foreach (var script in StudioScripts)
            {
                html.Append("<script src=\"").Append(script).Append("\"></script>\n");
            }
        }
        else
        {
            html.Append("<div class=\"mf-alert mf-error mf-studio-missing\" role=\"alert\">\n<h2>Elsa Studio is not installed</h2>\n<p>")
                .Append(e.Encode(InstallHint)).Append("</p>\n<pre><code>cd workflows/studio &amp;&amp; npm ci</code></pre>\n</div>\n</main>\n");
        }

        html.Append("</body>\n</html>\n");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }
}
