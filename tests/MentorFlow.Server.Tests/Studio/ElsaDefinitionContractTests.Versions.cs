using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using static MentorFlow.Server.Tests.Studio.StudioFlows;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>The definition endpoints that manage versions, several definitions at once, and files (export, import).</summary>
public sealed partial class ElsaDefinitionContractTests
{
    [Fact]
    public async Task Revert_ToAnEarlierVersion_Returns201SummaryOfTheNewLatestDraft()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("revert");
        await SaveAsync(client, Waiting(id), publish: true);
        var changed = Waiting(id);
        changed["description"] = "changed";
        await SaveAsync(client, changed, publish: true);

        var (response, summary) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/revert/1", null);
        var (missing, _) = await PostAsync(client, $"/elsa/api/workflow-definitions/{id}/revert/99", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(id, (string?)summary!["definitionId"]);
        Assert.Equal(3, (int?)summary["version"]);
        Assert.True((bool?)summary["isLatest"]);
        Assert.False((bool?)summary["isPublished"]);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var latest = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/by-definition-id/{id}?versionOptions=Latest");
        Assert.Equal("A flow for the Studio tests.", (string?)latest["description"]);
    }

    [Fact]
    public async Task Versions_AllVersionsListAndDeleteOneVersion()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("versions");
        await SaveAsync(client, Waiting(id), publish: true);
        await SaveAsync(client, Waiting(id));

        var all = await GetJsonAsync(client, $"/elsa/api/workflow-definitions?versionOptions=AllVersions&DefinitionIds={id}&OrderBy=Version&OrderDirection=Descending&Page=0&PageSize=10");
        var versions = all["items"]!.AsArray().Select(item => (int)item!["version"]!).ToList();
        var draftId = (string)all["items"]![0]!["id"]!;
        var deleted = await client.DeleteAsync(new Uri($"/elsa/api/workflow-definition-versions/{draftId}", UriKind.Relative));
        var again = await client.DeleteAsync(new Uri($"/elsa/api/workflow-definition-versions/{draftId}", UriKind.Relative));

        Assert.Equal([2, 1], versions);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Delete_RemovesEveryVersion_ThenReturns404()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("delete");
        await SaveAsync(client, Waiting(id), publish: true);
        await SaveAsync(client, Waiting(id));

        var deleted = await client.DeleteAsync(new Uri($"/elsa/api/workflow-definitions/{id}", UriKind.Relative));
        var again = await client.DeleteAsync(new Uri($"/elsa/api/workflow-definitions/{id}", UriKind.Relative));
        var get = await client.GetAsync(new Uri($"/elsa/api/workflow-definitions/by-definition-id/{id}?versionOptions=LatestOrPublished", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task BulkPublishRetractAndDelete_ReportEachDefinitionByName()
    {
        using var client = _factory.CreateManagerClient();
        var a = Unique("bulk-a");
        var b = Unique("bulk-b");
        await SaveAsync(client, Waiting(a));
        await SaveAsync(client, Waiting(b), publish: true);
        var ids = new JsonArray(a, b, "no-such-flow");

        var (publish, published) = await PostAsync(client, "/elsa/api/bulk-actions/publish/workflow-definitions/by-definition-ids", new JsonObject { ["definitionIds"] = ids.DeepClone() });
        var (retract, retracted) = await PostAsync(client, "/elsa/api/bulk-actions/retract/workflow-definitions/by-definition-ids", new JsonObject { ["definitionIds"] = ids.DeepClone() });
        var (delete, deleted) = await PostAsync(client, "/elsa/api/bulk-actions/delete/workflow-definitions/by-definition-id", new JsonObject { ["definitionIds"] = ids.DeepClone() });

        Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        Assert.Equal([a], Strings(published!["published"]));
        Assert.Equal([b], Strings(published["alreadyPublished"]));
        Assert.Equal(["no-such-flow"], Strings(published["notFound"]));
        Assert.Empty(Strings(published["updatedConsumers"]));
        Assert.Equal(HttpStatusCode.OK, retract.StatusCode);
        Assert.Equal([a, b], Strings(retracted!["retracted"]));
        Assert.Equal(["no-such-flow"], Strings(retracted["notFound"]));
        Assert.Empty(Strings(retracted["alreadyRetracted"]));
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(2, (long?)deleted!["deleted"]);
    }

    [Fact]
    public async Task BulkDeleteVersions_DeletesByVersionId()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("bulk-versions");
        var saved = await SaveAsync(client, Waiting(id));

        var (response, body) = await PostAsync(client, "/elsa/api/bulk-actions/delete/workflow-definitions/by-id",
            new JsonObject { ["ids"] = new JsonArray((string)saved["workflowDefinition"]!["id"]!, "no-such-version") });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (long?)body!["deleted"]);
    }

    [Fact]
    public async Task IsNameUnique_AnswersForOtherDefinitionsOnly()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("unique");
        var name = $"Unique {id}";
        await SaveAsync(client, Waiting(id, name));

        var taken = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/validation/is-name-unique?name={Uri.EscapeDataString(name)}");
        var own = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/validation/is-name-unique?name={Uri.EscapeDataString(name)}&definitionId={id}");
        var free = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/validation/is-name-unique?name=Workflow%20{id}");
        var missing = await client.GetAsync(new Uri("/elsa/api/workflow-definitions/validation/is-name-unique", UriKind.Relative));

        Assert.False((bool?)taken["isUnique"]);
        Assert.True((bool?)own["isUnique"]);
        Assert.True((bool?)free["isUnique"]);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task CountAndConsumers_AnswerInElsasShape()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("count");
        await SaveAsync(client, Waiting(id));

        var count = await GetJsonAsync(client, "/elsa/api/workflow-definitions/query/count");
        var consumers = await GetJsonAsync(client, $"/elsa/api/workflow-definitions/{id}/consumers");

        Assert.True((long?)count["count"] >= 1);
        Assert.Empty(consumers["consumingWorkflowDefinitionIds"]!.AsArray());
    }

    [Fact]
    public async Task Export_ReturnsTheModelAsANamedJsonFile_AndImportCreatesItAgain()
    {
        using var client = _factory.CreateManagerClient();
        var id = Unique("export");
        await SaveAsync(client, Waiting(id, "Export me"));

        var export = await client.GetAsync(new Uri($"/elsa/api/workflow-definitions/{id}/export?versionOptions=Latest", UriKind.Relative));
        var json = JsonNode.Parse(await export.Content.ReadAsStringAsync())!.AsObject();
        await client.DeleteAsync(new Uri($"/elsa/api/workflow-definitions/{id}", UriKind.Relative));
        var imported = await client.PostAsync(new Uri("/elsa/api/workflow-definitions/import", UriKind.Relative),
            new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/json", export.Content.Headers.ContentType?.MediaType);
        var fileName = export.Content.Headers.ContentDisposition?.FileNameStar ?? export.Content.Headers.ContentDisposition?.FileName;
        Assert.StartsWith($"workflow-definition-export-me-{id}-", fileName, StringComparison.Ordinal);
        Assert.Equal(id, (string?)json["definitionId"]);
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var body = JsonNode.Parse(await imported.Content.ReadAsStringAsync())!;
        Assert.Equal(id, (string?)body["definitionId"]);
        Assert.Contains(body["links"]!.AsArray(), link => (string?)link!["rel"] == "publish");
    }

    [Fact]
    public async Task ImportFiles_ImportsEveryJsonFile_AndABadFileImportsNothing()
    {
        using var client = _factory.CreateManagerClient();
        var a = Unique("files-a");
        var b = Unique("files-b");

        using var good = new MultipartFormDataContent
        {
            { new StringContent(Waiting(a).ToJsonString(), Encoding.UTF8, "application/json"), "files", $"{a}.json" },
            { new StringContent(Waiting(b).ToJsonString(), Encoding.UTF8, "application/json"), "files", $"{b}.json" },
        };
        var response = await client.PostAsync(new Uri("/elsa/api/workflow-definitions/import-files", UriKind.Relative), good);
        var c = Unique("files-c");
        using var bad = new MultipartFormDataContent
        {
            { new StringContent(Waiting(c).ToJsonString(), Encoding.UTF8, "application/json"), "files", $"{c}.json" },
            { new StringContent("{ not json", Encoding.UTF8, "application/json"), "files", "broken.json" },
        };
        var refused = await client.PostAsync(new Uri("/elsa/api/workflow-definitions/import-files", UriKind.Relative), bad);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (int?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["count"]);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("broken.json", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var notImported = await client.GetAsync(new Uri($"/elsa/api/workflow-definitions/by-definition-id/{c}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, notImported.StatusCode);
    }
}
