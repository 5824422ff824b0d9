using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Tests.Infrastructure;

namespace MentorFlow.Workflows.Tests;

public sealed class DefinitionServiceTests : EngineTestBase
{
    private static Flow Named(string name, string definitionId, string text) =>
        Flow.Create(name, definitionId).Add("w", "Elsa.WriteLine", ("text", Flow.Literal(text)));

    [Fact]
    public async Task SaveDraft_WithoutDefinitionId_CreatesANewDefinitionAtVersion1()
    {
        var saved = await Host.Definitions.SaveDraftAsync(Named("Welcome", "", "hi").Model);

        Assert.True(saved.Created);
        Assert.False(string.IsNullOrEmpty(saved.Definition.DefinitionId));
        Assert.Equal((1, true, false), (saved.Definition.Version, saved.Definition.IsLatest, saved.Definition.IsPublished));
        Assert.Equal(saved.Definition.DefinitionId, saved.Definition.Model["definitionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task SaveDraft_UpdatesTheDraft_UntilPublished_ThenStartsANewVersion()
    {
        await Host.Definitions.SaveDraftAsync(Named("Welcome", "welcome", "v1 a").Model);
        var updated = await Host.Definitions.SaveDraftAsync(Named("Welcome", "welcome", "v1 b").Model);
        Assert.Equal(1, updated.Definition.Version);
        Assert.False(updated.Created);

        var published = await Host.Definitions.PublishAsync("welcome");
        Assert.True(published.Succeeded);
        Assert.False(published.AlreadyPublished);
        Assert.True((await Host.Definitions.PublishAsync("welcome")).AlreadyPublished);

        var draft = await Host.Definitions.SaveDraftAsync(Named("Welcome", "welcome", "v2").Model);
        Assert.Equal(2, draft.Definition.Version);
        var latest = await Host.Definitions.FindAsync("welcome", VersionOptions.Latest);
        var live = await Host.Definitions.FindAsync("welcome", VersionOptions.Published);
        Assert.Equal((2, false), (latest!.Version, latest.IsPublished));
        Assert.Equal((1, true, false), (live!.Version, live.IsPublished, live.IsLatest));
        Assert.Equal(2, (await Host.Definitions.FindAsync("welcome", VersionOptions.Draft))!.Version);
        Assert.Equal(1, (await Host.Definitions.FindAsync("welcome", VersionOptions.LatestOrPublished))!.Version);
        Assert.Equal("v1 b", (await Host.Definitions.FindAsync("welcome", VersionOptions.SpecificVersion(1)))!.Model["root"]!["activities"]![0]!["text"]!["expression"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Publish_OfANewVersion_UnpublishesThePreviousOne()
    {
        await Host.PublishAsync(Named("Welcome", "welcome", "v1").Json);
        await Host.PublishAsync(Named("Welcome", "welcome", "v2").Json);

        var all = await Host.Definitions.ListAsync(new DefinitionQuery { VersionOptions = VersionOptions.AllVersions, DefinitionIds = ["welcome"], OrderBy = DefinitionOrderBy.Version });
        Assert.Equal([(2, true, true), (1, false, false)], all.Items.Select(v => (v.Version, v.IsPublished, v.IsLatest)));
    }

    [Fact]
    public async Task Retract_UnpublishesSoNewInstancesCannotStart()
    {
        await Host.PublishAsync(Named("Welcome", "welcome", "v1").Json);

        var retracted = await Host.Definitions.RetractAsync("welcome");

        Assert.False(retracted!.IsPublished);
        Assert.Null(await Host.Definitions.FindAsync("welcome", VersionOptions.Published));
        Assert.Null(await Host.Definitions.RetractAsync("welcome"));
        await Assert.ThrowsAsync<Runtime.WorkflowDefinitionNotFoundException>(() => Host.Runtime.StartAsync("welcome"));
    }

    [Fact]
    public async Task Revert_CopiesAnOldVersionIntoANewLatestDraft()
    {
        await Host.PublishAsync(Named("Welcome", "welcome", "v1").Json);
        await Host.PublishAsync(Named("Welcome", "welcome", "v2").Json);

        var reverted = await Host.Definitions.RevertAsync("welcome", 1);

        Assert.Equal((3, true, false), (reverted!.Version, reverted.IsLatest, reverted.IsPublished));
        Assert.Equal("v1", reverted.Model["root"]!["activities"]![0]!["text"]!["expression"]!["value"]!.GetValue<string>());
        Assert.Equal(2, (await Host.Definitions.FindAsync("welcome", VersionOptions.Published))!.Version);
        Assert.Null(await Host.Definitions.RevertAsync("welcome", 9));
    }

    [Fact]
    public async Task Delete_RemovesEveryVersion_AndDeleteVersionMovesLatestBack()
    {
        await Host.PublishAsync(Named("A", "a", "1").Json);
        var draft = await Host.Definitions.SaveDraftAsync(Named("A", "a", "2").Model);

        Assert.True(await Host.Definitions.DeleteVersionAsync(draft.Definition.Id));
        Assert.Equal((1, true), ((await Host.Definitions.FindAsync("a", VersionOptions.Latest))!.Version, (await Host.Definitions.FindAsync("a", VersionOptions.Latest))!.IsLatest));
        Assert.Equal(1, await Host.Definitions.DeleteAsync("a"));
        Assert.Null(await Host.Definitions.FindAsync("a", VersionOptions.Latest));
        Assert.False(await Host.Definitions.DeleteVersionAsync(draft.Definition.Id));
    }

    [Fact]
    public async Task List_SearchesSortsFiltersAndPages()
    {
        foreach (var (name, id) in new[] { ("Kick-off", "kickoff"), ("Welcome", "welcome"), ("Check-ins", "checkins"), ("Closing review", "closing") })
        {
            await Host.PublishAsync(Named(name, id, name).Json);
            Clock.Advance(TimeSpan.FromMinutes(1));
        }

        await Host.Definitions.SaveDraftAsync(Named("Drafty", "drafty", "d").Model);

        var byName = await Host.Definitions.ListAsync(new DefinitionQuery { VersionOptions = VersionOptions.Latest, Page = 0, PageSize = 2 });
        Assert.Equal(5, byName.TotalCount);
        Assert.Equal(["Check-ins", "Closing review"], byName.Items.Select(i => i.Name));
        var page2 = await Host.Definitions.ListAsync(new DefinitionQuery { VersionOptions = VersionOptions.Latest, Page = 2, PageSize = 2 });
        Assert.Equal(["Welcome"], page2.Items.Select(i => i.Name));
        var newest = await Host.Definitions.ListAsync(new DefinitionQuery { OrderBy = DefinitionOrderBy.Created, PageSize = 1, Page = 0 });
        Assert.Equal("Drafty", Assert.Single(newest.Items).Name);
        var search = await Host.Definitions.ListAsync(new DefinitionQuery { SearchTerm = "Clos" });
        Assert.Equal("closing", Assert.Single(search.Items).DefinitionId);
        Assert.Equal(4, (await Host.Definitions.ListAsync(new DefinitionQuery { IsPublished = true })).TotalCount);
        Assert.Equal("drafty", Assert.Single((await Host.Definitions.ListAsync(new DefinitionQuery { VersionOptions = VersionOptions.Draft })).Items).DefinitionId);
    }

    [Fact]
    public void VersionOptions_ParseElsaWireForms()
    {
        Assert.True(VersionOptions.TryParse("latestOrPublished", out var a));
        Assert.Equal(VersionOptions.LatestOrPublished, a);
        Assert.True(VersionOptions.TryParse("3", out var b));
        Assert.Equal(VersionOptions.SpecificVersion(3), b);
        Assert.True(VersionOptions.TryParse("All", out var c));
        Assert.Equal(VersionOptions.AllVersions, c);
        Assert.False(VersionOptions.TryParse("Newest", out _));
        Assert.False(VersionOptions.TryParse("", out _));
    }

    [Fact]
    public async Task Export_IsTheStoredModel_Indented()
    {
        await Host.PublishAsync(Named("Welcome", "welcome", "v1").Json);

        var json = await Host.Definitions.ExportAsync("welcome", VersionOptions.Published);

        Assert.Contains("\n  \"definitionId\": \"welcome\"", json, StringComparison.Ordinal);
        Assert.Null(await Host.Definitions.ExportAsync("nope", VersionOptions.Latest));
    }
}
