using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MentorFlow.Server.Tests.Infrastructure;

namespace MentorFlow.Server.Tests.Foundation;

public sealed class OpenApiDocumentTests : IClassFixture<ServerFactory>
{
    private readonly ServerFactory _factory;

    public OpenApiDocumentTests(ServerFactory factory) => _factory = factory;

    [Fact]
    public async Task Document_DeclaresManagerKeySchemeInAHeader()
    {
        var document = await ReadDocumentAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Document_IsTitledForTheProduct_NotTheServerAssembly()
    {
        var document = await ReadDocumentAsync();

        Assert.Equal("MentorFlow API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.Contains("X-Api-Key", document.GetProperty("info").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScalarPage_TurnsOffItsAgentMcpAndTelemetry()
    {
        using var client = _factory.CreateClient();

        var page = await client.GetStringAsync(new Uri("/scalar", UriKind.Relative));

        Assert.Matches("\"agent\"\\s*:\\s*\\{\\s*\"disabled\"\\s*:\\s*true", page);
        Assert.Matches("\"telemetry\"\\s*:\\s*false", page);
    }

    [Fact]
    public async Task ManagerEndpoint_RequiresTheKeyScheme_AndTheSchemeUnlocksIt()
    {
        var document = await ReadDocumentAsync();

        Assert.Equal(["ApiKey"], SecuritySchemesOf(document, "/api/system", "get"));

        // The header the scheme names is one the server accepts.
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/system", UriKind.Relative));
        request.Headers.Add("X-Api-Key", ServerFactory.ManagerKey);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AnonymousEndpoint_RequiresNoScheme_AndAnswersWithoutAKey()
    {
        var document = await ReadDocumentAsync();

        Assert.Empty(SecuritySchemesOf(document, "/elsa/api/package/version", "get"));
        using var client = _factory.CreateClient();
        var response = await client.GetAsync(new Uri("/elsa/api/package/version", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task EveryOperationWithoutTheScheme_IsOneThatAllowsAnonymousAccess()
    {
        var document = await ReadDocumentAsync();

        var open = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name)))
            .Where(o => SecuritySchemesOf(document, o.Path, o.Method).Count == 0)
            .Select(o => $"{o.Method} {o.Path}")
            .ToList();
        Assert.Equal(["get /elsa/api/package/version"], open);
    }

    [Theory]
    [InlineData("/alive")]
    [InlineData("/health")]
    [InlineData("/forms")]
    public async Task PublicPagesAndProbes_StayOutOfTheDocument(string prefix)
    {
        var document = await ReadDocumentAsync();

        Assert.DoesNotContain(document.GetProperty("paths").EnumerateObject(), p => p.Name.StartsWith(prefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tags_ListProgrammesFirstAndTheElsaStudioApiLast()
    {
        var document = await ReadDocumentAsync();

        var tags = document.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal("Programmes", tags[0]);
        Assert.Equal("Elsa Studio API", tags[^1]);
    }

    [Fact]
    public async Task ElsaEndpoints_CarryOnlyTheElsaStudioApiTag()
    {
        var document = await ReadDocumentAsync();

        var elsa = document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/elsa/api/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject())
            .ToList();
        Assert.True(elsa.Count > 20, $"expected the Elsa-compatible endpoints in the document, found {elsa.Count}");
        foreach (var operation in elsa)
        {
            Assert.Equal(["Elsa Studio API"], operation.Value.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        }
    }

    private async Task<JsonElement> ReadDocumentAsync()
    {
        using var client = _factory.CreateClient();
        var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static List<string> SecuritySchemesOf(JsonElement document, string path, string method)
    {
        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        return operation.TryGetProperty("security", out var security)
            ? security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(s => s.Name)).ToList()
            : [];
    }
}
