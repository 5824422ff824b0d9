using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>Authentication of the Elsa API: manager key as ApiKey or Bearer; anonymous calls get 401.</summary>
public sealed class ElsaAuthContractTests : IClassFixture<StudioServer>
{
    private readonly StudioServer _factory;

    public ElsaAuthContractTests(StudioServer factory) => _factory = factory;

    [Theory]
    [InlineData("/elsa/api/workflow-definitions")]
    [InlineData("/elsa/api/descriptors/activities")]
    [InlineData("/elsa/api/features/installed")]
    public async Task ElsaApi_WithoutKey_Returns401Problem(string path)
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ElsaApi_WithWrongKey_Returns401()
    {
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", "not-the-key-at-all-0000");

        var response = await client.GetAsync(new Uri("/elsa/api/workflow-definitions", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ElsaApi_WithBearerToken_IsAccepted()
    {
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MentorFlow.Server.Tests.Infrastructure.ServerFactory.ManagerKey);

        var response = await client.GetAsync(new Uri("/elsa/api/workflow-definitions", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ElsaApi_CrossOriginPreflight_IsNotAllowedByDefault()
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri("/elsa/api/workflow-definitions", UriKind.Relative));
        request.Headers.Add("Origin", "https://elsewhere.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");

        var response = await client.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task PackageVersion_IsAnonymousAndNamesTheStudioVersion()
    {
        using var client = _factory.CreateClient();

        var body = await client.GetFromJsonAsync<JsonObject>(new Uri("/elsa/api/package/version", UriKind.Relative));

        Assert.Equal("3.8.2", (string?)body!["packageVersion"]);
    }
}
