using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MentorFlow.Server.Tests.Infrastructure;

namespace MentorFlow.Server.Tests.Foundation;

public sealed class HostingTests : IClassFixture<ServerFactory>
{
    private readonly ServerFactory _factory;

    public HostingTests(ServerFactory factory) => _factory = factory;

    [Fact]
    public async Task Health_WhenDatabaseIsMigrated_Returns200Healthy()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Alive_Returns200WithoutAuthentication()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri("/alive", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UnknownRoute_ReturnsProblemDetails404()
    {
        using var client = _factory.CreateManagerClient();

        var response = await client.GetAsync(new Uri("/api/no-such-thing", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("title", out _));
    }

    [Fact]
    public async Task ManagerApi_WithoutKey_Returns401Problem()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri("/api/system", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("ApiKey", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagerApi_WithWrongKey_Returns401()
    {
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("ApiKey", "not-the-right-key-at-all");

        var response = await client.GetAsync(new Uri("/api/system", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("ApiKey")]
    [InlineData("Bearer")]
    public async Task ManagerApi_WithConfiguredKey_ReturnsSystemInfoOnSqlite(string scheme)
    {
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new(scheme, ServerFactory.ManagerKey);

        var info = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/system", UriKind.Relative));

        Assert.Equal("MentorFlow", info.GetProperty("product").GetString());
        Assert.Equal("Sqlite", info.GetProperty("databaseProvider").GetString());
        Assert.Equal(_factory.Clock.GetUtcNow(), info.GetProperty("serverTime").GetDateTimeOffset());
        Assert.Equal("Sandbox", info.GetProperty("graphMode").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_IsServedAnonymously()
    {
        using var client = _factory.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/system", out _));
    }

    [Fact]
    public async Task CrossOriginRequest_IsNotAllowedByDefault()
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/system");
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");

        var response = await client.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
