using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MentorFlow.Server.Tests.Infrastructure;
using MentorFlow.Workflows.Definitions;
using Microsoft.Extensions.DependencyInjection;
using static MentorFlow.Server.Tests.Studio.ElsaDefinitionActivityContractTests;
using static MentorFlow.Server.Tests.Studio.StudioFlows;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>The export contract on the server's embedded SQLite database.</summary>
public sealed class ElsaDefinitionExportSqliteTests(StudioServer server) : ElsaDefinitionExportContractTests(server), IClassFixture<StudioServer>;

/// <summary>The export contract on a database of the real PostgreSQL test server.</summary>
public sealed class ElsaDefinitionExportPostgresTests(PostgresServer<StudioServer> fixture) : ElsaDefinitionExportContractTests(fixture.Server), IClassFixture<PostgresServer<StudioServer>>;

/// <summary>
/// Exporting a parent that uses another flow as an activity: the exported file (one JSON or a zip of several) carries
/// the used flow's latest published version as the node's upgrade hint, worked out as when the definition is served,
/// whatever the stored version says, and exporting leaves the stored version as it was.
/// </summary>
public abstract class ElsaDefinitionExportContractTests
{
    private readonly ServerFactory _factory;

    protected ElsaDefinitionExportContractTests(ServerFactory factory) => _factory = factory;

    [Fact]
    public async Task ExportOfAParentPinnedToChildV1_SaysV2IsTheLatestPublished_OnceTheChildIsPublishedAgain_AndLeavesTheStoredParentAsItWas()
    {
        using var client = _factory.CreateManagerClient();
        var (parentId, parentVersion, v1, v2) = await ParentOfARepublishedChildAsync(client);
        var store = _factory.Services.GetRequiredService<IWorkflowDefinitionService>();
        var storedBefore = (await store.FindAsync(parentId, VersionOptions.Published))!.Model.DeepClone();

        var response = await client.GetAsync(new Uri($"/elsa/api/workflow-definitions/{parentId}/export?versionOptions=Published", UriKind.Relative));
        var exported = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(parentVersion, (string?)exported["id"]);
        var ask = Ask(exported);
        Assert.Equal((1, v1, 2, v2), ((int?)ask["version"], (string?)ask["workflowDefinitionVersionId"], (int?)ask["latestAvailablePublishedVersion"], (string?)ask["latestAvailablePublishedVersionId"]));
        var storedAfter = (await store.FindAsync(parentId, VersionOptions.Published))!;
        Assert.True(JsonNode.DeepEquals(storedBefore, storedAfter.Model), "exporting rewrote the stored parent");
        Assert.Equal((1, v1), ((int?)Ask(storedAfter.Model)["latestAvailablePublishedVersion"], (string?)Ask(storedAfter.Model)["latestAvailablePublishedVersionId"]));
    }

    [Fact]
    public async Task BulkExportOfAParentPinnedToChildV1_SaysV2IsTheLatestPublished_InTheZippedFile_AndLeavesTheStoredParentAsItWas()
    {
        using var client = _factory.CreateManagerClient();
        var (parentId, parentVersion, v1, v2) = await ParentOfARepublishedChildAsync(client);
        var store = _factory.Services.GetRequiredService<IWorkflowDefinitionService>();
        var storedBefore = (await store.FindAsync(parentId, VersionOptions.Published))!.Model.DeepClone();

        var (response, _) = await PostRawAsync(client, "/elsa/api/bulk-actions/export/workflow-definitions", new JsonObject { ["ids"] = new JsonArray(parentVersion, v2, "no-such-version") });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync(), ZipArchiveMode.Read);
        var files = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            await using var stream = await entry.OpenAsync();
            var file = (await JsonNode.ParseAsync(stream))!;
            files[(string)file["id"]!] = file;
        }

        Assert.Equal(new[] { parentVersion, v2 }.Order(StringComparer.Ordinal), files.Keys.Order(StringComparer.Ordinal));
        var ask = Ask(files[parentVersion]);
        Assert.Equal((1, v1, 2, v2), ((int?)ask["version"], (string?)ask["workflowDefinitionVersionId"], (int?)ask["latestAvailablePublishedVersion"], (string?)ask["latestAvailablePublishedVersionId"]));
        Assert.True(JsonNode.DeepEquals(storedBefore, (await store.FindAsync(parentId, VersionOptions.Published))!.Model), "exporting rewrote the stored parent");
    }

    [Fact]
    public async Task BulkExportOfMoreVersionsThanTheLimit_Is400NamingIds()
    {
        using var client = _factory.CreateManagerClient();
        var ids = new JsonArray([.. Enumerable.Range(0, 501).Select(i => JsonValue.Create($"version-{i}"))]);

        var (response, problem) = await PostRawAsync(client, "/elsa/api/bulk-actions/export/workflow-definitions", new JsonObject { ["ids"] = ids });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("At most 500 versions", (string?)problem!["errors"]!["ids"]![0], StringComparison.Ordinal);
    }

    /// <summary>
    /// Child v1 published; a parent imported (as a file exported back then would be) with its node pinned to v1 and
    /// the hint stored as v1, published; then child v2 published. Returns the parent's id and published version id and
    /// the child's two version ids.
    /// </summary>
    private static async Task<(string ParentId, string ParentVersion, string V1, string V2)> ParentOfARepublishedChildAsync(HttpClient client)
    {
        var childId = Unique("asking");
        var suffix = childId["asking-".Length..];
        var childModel = Asking(childId, $"Ask mentor {suffix}");
        var v1 = (string)(await SaveAsync(client, childModel, publish: true))["workflowDefinition"]!["id"]!;

        var parentId = Unique("asking-parent");
        var parent = ParentPinnedTo(parentId, childId, v1);
        Ask(parent)["version"] = 1;
        var (imported, importedBody) = await PostRawAsync(client, "/elsa/api/workflow-definitions/import", parent);
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var (published, _) = await PostAsync(client, $"/elsa/api/workflow-definitions/{parentId}/publish", null);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var parentVersion = (string)importedBody!["id"]!;

        childModel["description"] = "Asks a mentor, kindly.";
        var v2 = (string)(await SaveAsync(client, childModel, publish: true))["workflowDefinition"]!["id"]!;
        Assert.NotEqual(v1, v2);
        return (parentId, parentVersion, v1, v2);
    }

    private static async Task<(HttpResponseMessage Response, JsonNode? Body)> PostRawAsync(HttpClient client, string path, JsonNode body)
    {
        var response = await client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var isJson = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true;
        return (response, isJson ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null);
    }
}
