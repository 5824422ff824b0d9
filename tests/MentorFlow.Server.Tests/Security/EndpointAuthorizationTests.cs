using System.Net;
using System.Text.RegularExpressions;
using MentorFlow.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Server.Tests.Security;

/// <summary>Every endpoint is for managers unless it is on the short list of public ones (the fallback policy needs a key).</summary>
public sealed partial class EndpointAuthorizationTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    /// <summary>The public endpoints: health, participant forms, the Studio and shell pages (they sign in in the page), the redirects of the Studio's site-rooted links, the flows' HTTP Endpoints (each flow decides whether callers need a key), API docs.</summary>
    private static readonly string[] AnonymousPrefixes =
    [
        "GET /health", "GET /alive",
        "GET /forms/{token}", "POST /forms/{token}",
        "GET /studio", "HEAD /studio",
        "GET /workflows/",
        "POST /workflows/{**path}", "PUT /workflows/{**path}", "PATCH /workflows/{**path}", "DELETE /workflows/{**path}", "HEAD /workflows/{**path}",
        "GET /elsa/api/package/version",
        "GET /graph/sandbox",
        "GET /openapi/{documentName}.json",
        "GET /scalar",
    ];

    [Fact]
    public void EveryEndpoint_RequiresAManagerKeyOrIsOnThePublicList()
    {
        var endpoints = RouteEndpoints();
        var anonymous = endpoints.Where(e => e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null).ToList();
        var unexpected = anonymous
            .SelectMany(e => e.Methods.Select(m => $"{m} /{e.Pattern.TrimStart('/')}"))
            .Where(route => !AnonymousPrefixes.Any(prefix => route.StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();

        Assert.True(endpoints.Count > 100, $"only {endpoints.Count} endpoints found");
        Assert.Empty(unexpected);
        Assert.Contains(endpoints, e => e.Pattern == "/api/manager-keys/");
        Assert.DoesNotContain(anonymous, e => e.Pattern.StartsWith("/api/", StringComparison.Ordinal) || e.Pattern.StartsWith("/elsa/api/workflow", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryManagerEndpoint_WithoutAKey_Returns401()
    {
        using var client = server.CreateClient();
        var answered = new List<string>();
        foreach (var (endpoint, pattern, methods) in RouteEndpoints().Where(e => e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            var path = Parameter().Replace(pattern, match => match.Groups["constraint"].Value switch
            {
                "guid" => Guid.NewGuid().ToString(),
                "int" => "1",
                _ => "x",
            });
            foreach (var method in methods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT")
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }

                var response = await client.SendAsync(request);
                answered.Add($"{method} {path} -> {(int)response.StatusCode}");
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {pattern} answered {(int)response.StatusCode} without a key ({endpoint.DisplayName})");
            }
        }

        Assert.True(answered.Count > 60, string.Join('\n', answered));
    }

    private List<(RouteEndpoint Endpoint, string Pattern, IReadOnlyList<string> Methods)> RouteEndpoints() =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (e, "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'),
                (IReadOnlyList<string>)(e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.ToList() ?? ["GET"])))
            .ToList();

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z]+)(:(?<constraint>[a-z]+))?\??\}")]
    private static partial Regex Parameter();
}
