using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MentorFlow.Server.Tests.Infrastructure;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>The Studio's static files under /studio/, our host pages and the manager shell.</summary>
public sealed class StudioHostingTests : IClassFixture<StudioServer>
{
    private readonly StudioServer _factory;

    public StudioHostingTests(StudioServer factory)
    {
        _factory = factory;
        StudioPackageLocator.RequirePackage();
    }

    [Fact]
    public async Task StudioFile_Wasm_IsServedAsApplicationWasmAndCachedAsImmutable()
    {
        using var client = _factory.CreateClient();
        var name = FirstFrameworkFile("MudBlazor.", ".wasm");

        var response = await client.GetAsync(new Uri($"/studio/_framework/{name}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/wasm", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        var onDisk = await File.ReadAllBytesAsync(Path.Combine(StudioPackageLocator.RequirePackage(), "_framework", name));
        Assert.Equal(onDisk, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task StudioFile_Dat_IsServedAsOctetStream()
    {
        using var client = _factory.CreateClient();
        var name = FirstFrameworkFile("icudt", ".dat");

        var response = await client.GetAsync(new Uri($"/studio/_framework/{name}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task StudioFile_WhenBrowserAcceptsBrotli_SendsThePrecompressedTwin()
    {
        using var client = _factory.CreateClient();
        var name = FirstFrameworkFile("MudBlazor.", ".wasm");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/studio/_framework/{name}", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
        Assert.Equal("application/wasm", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        var brotli = await File.ReadAllBytesAsync(Path.Combine(StudioPackageLocator.RequirePackage(), "_framework", name + ".br"));
        Assert.Equal(brotli, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task StudioFile_WithoutFingerprint_IsRevalidatedAndAnswers304WhenUnchanged()
    {
        using var client = _factory.CreateClient();

        var first = await client.GetAsync(new Uri("/studio/_framework/blazor.webassembly.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/javascript", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());
        Assert.NotNull(first.Headers.ETag);

        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri("/studio/_framework/blazor.webassembly.js", UriKind.Relative));
        again.Headers.IfNoneMatch.Add(first.Headers.ETag);
        var second = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Theory]
    [InlineData("/studio/_framework/no-such-file.wasm")]
    [InlineData("/studio/..%2F..%2Fpackage.json")]
    [InlineData("/studio/_framework/%2E%2E/%2E%2E/appsettings.Development.json")]
    public async Task StudioFile_MissingOrOutsideThePackage_Returns404Problem(string path)
    {
        // Signed in: a path that leaves /studio/ is an unknown route, which without a key is a 401 (the fallback policy).
        using var client = _factory.CreateManagerClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/studio/workflows/definitions", "elsa-workflow-definition-list", "flows", null)]
    [InlineData("/studio/workflows/definitions/kick-off/edit", "elsa-workflow-definition-editor", "flows", "definition-id|kick-off")]
    [InlineData("/studio/workflows/instances", "elsa-workflow-instance-list", "instances", null)]
    [InlineData("/studio/workflows/instances/abc123/view", "elsa-workflow-instance-viewer", "instances", "instance-id|abc123")]
    public async Task HostPage_PutsOneStudioElementInsideTheManagerShell(string path, string element, string page, string? attribute)
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<base href=\"/studio/\">", html, StringComparison.Ordinal);
        Assert.Contains($"data-studio-element=\"{element}\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-page=\"{page}\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/js/shell.js\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/js/studio-host.js\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"_framework/blazor.webassembly.js\"", html, StringComparison.Ordinal);
        if (attribute is not null)
        {
            var (name, value) = (attribute.Split('|')[0], attribute.Split('|')[1]);
            Assert.Contains($"data-studio-attribute-name=\"{name}\" data-studio-attribute-value=\"{value}\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task HostPage_EncodesTheIdFromTheUrl()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri("/studio/workflows/definitions/%22%3E%3Cscript%3E/edit", UriKind.Relative));

        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("\"><script>", html, StringComparison.Ordinal);
        Assert.Contains("&quot;&gt;&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StudioRoot_RedirectsToTheFlowList()
    {
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync(new Uri("/studio/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/studio/workflows/definitions", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task StudioAppSettings_PointsTheStudioAtThisServersElsaApi()
    {
        using var client = _factory.CreateClient();

        var settings = await client.GetFromJsonAsync<JsonElement>(new Uri("/studio/appsettings.json", UriKind.Relative));

        Assert.Equal("/elsa/api", settings.GetProperty("backend").GetProperty("url").GetString());
    }

    [Theory]
    [InlineData("/", "text/html", "data-page=\"home\"")]
    [InlineData("/js/shell.js", "text/javascript", "export async function api(")]
    [InlineData("/js/studio-host.js", "text/javascript", "remote-endpoint")]
    [InlineData("/css/app.css", "text/css", ".mf-header")]
    public async Task ManagerShell_IsServedAnonymously(string path, string mediaType, string content)
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string FirstFrameworkFile(string prefix, string extension) =>
        Path.GetFileName(Directory.EnumerateFiles(Path.Combine(StudioPackageLocator.RequirePackage(), "_framework"), prefix + "*" + extension)
            .OrderBy(path => path, StringComparer.Ordinal)
            .First());
}

/// <summary>Without the npm package the server starts and the Studio pages say how to install it.</summary>
public sealed class StudioMissingTests : IClassFixture<StudioMissingTests.MissingPackageServer>
{
    private readonly MissingPackageServer _factory;

    public StudioMissingTests(MissingPackageServer factory) => _factory = factory;

    public sealed class MissingPackageServer : ServerFactory
    {
        public MissingPackageServer() => Settings = new Dictionary<string, string?>
        {
            ["Studio:PackagePath"] = Path.Combine(Path.GetTempPath(), "mentorflow-no-studio-" + Guid.NewGuid().ToString("N")),
        };
    }

    [Fact]
    public async Task EditorPage_WhenPackageIsMissing_ServerStartsAndThePageSaysHowToInstall()
    {
        using var client = _factory.CreateClient();

        var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
        var response = await client.GetAsync(new Uri("/studio/workflows/definitions/kick-off/edit", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Elsa Studio is not installed", html, StringComparison.Ordinal);
        Assert.Contains("npm ci", html, StringComparison.Ordinal);
        Assert.DoesNotContain("blazor.webassembly.js", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StudioFile_WhenPackageIsMissing_Returns404ProblemWithTheInstallHint()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri("/studio/_framework/blazor.webassembly.js", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("npm ci", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
