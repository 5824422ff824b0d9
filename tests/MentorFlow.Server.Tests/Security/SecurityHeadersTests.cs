using System.Net;
using MentorFlow.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MentorFlow.Server.Tests.Security;

/// <summary>Security headers on every kind of response, HSTS on HTTPS, and no echo of the Host header.</summary>
public sealed class SecurityHeadersTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Theory]
    [InlineData("/", "script-src 'self';")]
    [InlineData("/programmes/", "script-src 'self';")]
    [InlineData("/studio/workflows/definitions", "script-src 'self' 'wasm-unsafe-eval'")]
    [InlineData("/forms/not-a-real-token", "script-src 'self'")]
    [InlineData("/api/system", "script-src 'self';")]
    [InlineData("/api/programmes", "script-src 'self';")]
    [InlineData("/scalar/", "script-src 'self' 'unsafe-inline'")]
    [InlineData("/no-such-page", "script-src 'self';")]
    public async Task Response_CarriesTheSecurityHeaders(string path, string scriptPolicy)
    {
        using var client = server.CreateClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains(scriptPolicy, csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains(path.StartsWith("/forms", StringComparison.Ordinal) ? "default-src 'none'" : "object-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("http", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Https_OutsideDevelopment_SendsHstsAndPlainHttpDoesNot()
    {
        using var https = server.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://mentorflow.example") });
        using var http = server.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://mentorflow.example") });

        var secure = await https.GetAsync(new Uri("/health", UriKind.Relative));
        var plain = await http.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.StartsWith("max-age=31536000", Assert.Single(secure.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Responses_OverRealHttp_NeverEchoTheHostHeader()
    {
        using var kestrel = new KestrelServer();
        using var client = new HttpClient { BaseAddress = kestrel.BaseAddress };

        foreach (var path in (string[])["/studio/appsettings.json", "/studio/workflows/definitions", "/", "/api/system", "/forms/bogus"])
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = "attacker.example";

            var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode != HttpStatusCode.InternalServerError, path);
            Assert.False(body.Contains("attacker.example", StringComparison.OrdinalIgnoreCase), $"{path} echoed the Host header: {body}");
            Assert.DoesNotContain(response.Headers.Concat(response.Content.Headers), h => h.Value.Any(v => v.Contains("attacker.example", StringComparison.OrdinalIgnoreCase)));
        }
    }

    [Fact]
    public async Task StudioSettings_PointTheStudioAtTheApiByARelativeUrl()
    {
        using var client = server.CreateClient();

        var settings = await client.GetStringAsync(new Uri("/studio/appsettings.json", UriKind.Relative));

        Assert.Equal("{\"backend\":{\"url\":\"/elsa/api\"}}", settings);
    }
}
