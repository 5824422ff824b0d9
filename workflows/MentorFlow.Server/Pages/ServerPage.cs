using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace MentorFlow.Server.Pages;

/// <summary>
/// A server-rendered page: a Razor component rendered to HTML by ASP.NET Core's <see cref="HtmlRenderer"/> (static
/// rendering, no interactivity, no inline script), with the request's services and a status code.
/// </summary>
public sealed class ServerPage : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    private readonly Type _component;
    private readonly Dictionary<string, object?> _parameters;

    private ServerPage(Type component, Dictionary<string, object?> parameters, int statusCode)
    {
        _component = component;
        _parameters = parameters;
        StatusCode = statusCode;
    }

    public int? StatusCode { get; }

    public string ContentType => "text/html; charset=utf-8";

    /// <summary>The page <typeparamref name="TComponent"/> with these parameters (names as the component's <c>[Parameter]</c> properties).</summary>
    public static ServerPage Of<TComponent>(int statusCode, params (string Name, object? Value)[] parameters)
        where TComponent : IComponent =>
        new(typeof(TComponent), parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal), statusCode);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var services = httpContext.RequestServices;
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync(_component, ParameterView.FromDictionary(_parameters))).ToHtmlString());
        httpContext.Response.StatusCode = StatusCode ?? StatusCodes.Status200OK;
        httpContext.Response.ContentType = ContentType;
        await httpContext.Response.WriteAsync(html, Encoding.UTF8, httpContext.RequestAborted);
    }
}
