using System.Text;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Descriptors;
using MentorFlow.Workflows.Runtime;
using MentorFlow.Workflows.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Workflows.Tests;

/// <summary>
/// Flows used as activities (Elsa's workflow-definition activities), with the corpus pair
/// <c>definition-activity-child.json</c> ("Approve amount": inputs Amount and Requester, output Verdict, outcomes
/// Approved and Rejected) and <c>definition-activity-parent.json</c> (uses it as the activity type <c>ApproveAmount</c>).
/// </summary>
public sealed class DefinitionActivityTests : EngineTestBase
{
    private const string ChildId = "corpus-approve-amount";
    private const string ParentId = "corpus-definition-activity";

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Corpus");

    private IWorkflowDefinitionActivities Flows => Host.Services.GetRequiredService<IWorkflowDefinitionActivities>();

    [Theory]
    [InlineData(80, "approved: 80 for Ada is fine")]
    [InlineData(500, "rejected: 500 is over the limit")]
    public async Task DefinitionActivity_RunsTheChildWithTheInputs_MapsItsOutput_AndFollowsTheOutcomeItCompletedWith(int amount, string expected)
    {
        await ImportAndPublishAsync("definition-activity-child.json");
        await ImportAndPublishAsync("definition-activity-parent.json");

        var started = await Host.Runtime.StartAsync(ParentId, new Dictionary<string, object?> { ["Amount"] = amount, ["Who"] = "Ada" }, correlationId: "request-7");
        var parent = (await Host.Runtime.GetInstanceAsync(started.InstanceId))!;

        Assert.Equal(WorkflowSubStatus.Finished, parent.Summary.SubStatus);
        Assert.Equal([expected], Messages(parent));
        Assert.Equal(expected[(expected.IndexOf(": ", StringComparison.Ordinal) + 2)..], parent.Variables["Verdict"]!.GetValue<string>());
        var child = Assert.Single((await Host.Runtime.ListInstancesAsync(new InstanceQuery { DefinitionId = ChildId })).Items);
        Assert.Equal(WorkflowSubStatus.Finished, child.SubStatus);
        Assert.Equal("request-7", child.CorrelationId);
        var childDetails = (await Host.Runtime.GetInstanceAsync(child.Id))!;
        Assert.Equal(amount, childDetails.Input["Amount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Descriptors_OfferThePublishedFlowUsableAsActivity_WithItsInputsOutputsAndOutcomes()
    {
        Assert.Empty(await Flows.ListAsync());
        var child = await ImportAndPublishAsync("definition-activity-child.json");

        var descriptor = Assert.Single(await Flows.ListAsync());

        Assert.Equal("ApproveAmount", descriptor.TypeName);
        Assert.Equal("Approve amount", descriptor.DisplayName);
        Assert.Equal("Approvals", descriptor.Category);
        Assert.Equal(1, descriptor.Version);
        Assert.True(descriptor.IsBrowsable);
        Assert.Equal(["Amount", "Requester"], descriptor.Inputs.Select(i => i.Name));
        Assert.Equal(["Int32", "String"], descriptor.Inputs.Select(i => i.TypeName));
        Assert.All(descriptor.Inputs, i => Assert.True(i.IsSynthetic));
        Assert.Equal("Verdict", Assert.Single(descriptor.Outputs).Name);
        Assert.Equal(["Root:Embedded:False", "Approved:Flow:True", "Rejected:Flow:True"], descriptor.Ports.Select(p => $"{p.Name}:{p.Type}:{p.IsBrowsable}"));
        Assert.Equal("WorkflowDefinitionActivity", descriptor.CustomProperties["RootType"]);
        Assert.Equal(ChildId, descriptor.ConstructionProperties["WorkflowDefinitionId"]);
        Assert.Equal(child.Id, descriptor.ConstructionProperties["WorkflowDefinitionVersionId"]);
        Assert.Equal(1, descriptor.ConstructionProperties["Version"]);
    }

    [Fact]
    public async Task Descriptors_FollowPublishRetractAndDelete_AndOnlyThePublishedVersionIsBrowsable()
    {
        await ImportAndPublishAsync("definition-activity-child.json");
        var draft = Model("definition-activity-child.json");
        draft["description"] = "second version";
        await Host.Definitions.SaveDraftAsync(draft);

        var both = await Flows.ListAsync();
        Assert.Equal(["1:True", "2:False"], both.Select(d => $"{d.Version}:{d.IsBrowsable}"));

        await Host.Definitions.RetractAsync(ChildId);
        Assert.DoesNotContain(await Flows.ListAsync(), d => d.IsBrowsable);

        Assert.True((await Host.Definitions.PublishAsync(ChildId)).Succeeded);
        Assert.Equal(["1:False", "2:True"], (await Flows.ListAsync()).Select(d => $"{d.Version}:{d.IsBrowsable}"));

        await Host.Definitions.DeleteAsync(ChildId);
        Assert.Empty(await Flows.ListAsync());
    }

    [Fact]
    public async Task Publish_OfAFlowUsingAnUnpublishedFlow_IsRefusedNamingIt()
    {
        await Host.Definitions.ImportAsync(Read("definition-activity-child.json"));

        var saved = await Host.Definitions.ImportAsync(Read("definition-activity-parent.json"));
        var published = await Host.Definitions.PublishAsync(ParentId);

        Assert.False(published.Succeeded);
        var error = Assert.Single(published.Errors);
        Assert.Equal(("ask", "workflowDefinitionId"), (error.ActivityId, error.Input));
        Assert.Contains("'Approve amount' this activity runs is not published", error.Message, StringComparison.Ordinal);
        Assert.Contains(saved.Errors, e => e.ActivityId == "ask");
    }

    [Fact]
    public async Task Publish_OfAFlowUsingAFlowNotUsableAsActivity_IsRefused_AndAMissingFlowToo()
    {
        var child = Model("definition-activity-child.json");
        child["options"]!["usableAsActivity"] = false;
        await Host.Definitions.ImportAsync(child.ToJsonString());
        Assert.True((await Host.Definitions.PublishAsync(ChildId)).Succeeded);
        await Host.Definitions.ImportAsync(Read("definition-activity-parent.json"));

        var refused = await Host.Definitions.PublishAsync(ParentId);

        Assert.Contains(refused.Errors, e => e.ActivityId == "ask" && e.Message.Contains("is not usable as an activity", StringComparison.Ordinal));

        await Host.Definitions.DeleteAsync(ChildId);
        var missing = await Host.Definitions.PublishAsync(ParentId);
        Assert.Contains(missing.Errors, e => e.ActivityId == "ask" && e.Message.Contains($"'{ChildId}' this activity runs does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publish_RefusesACycleThroughADefinitionActivityAndExecuteWorkflow_NamingTheChain()
    {
        // The child starts the parent with Execute Workflow (literal id); the parent uses the child as an activity.
        var child = Model("definition-activity-child.json");
        var activities = child["root"]!["activities"]!.AsArray();
        activities.Add(new JsonObject
        {
            ["workflowDefinitionId"] = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = ParentId } },
            ["id"] = "again",
            ["type"] = "Elsa.ExecuteWorkflow",
            ["version"] = 1,
        });
        child["root"]!["connections"]!.AsArray().Add(new JsonObject
        {
            ["source"] = new JsonObject { ["activity"] = "start", ["port"] = "Done" },
            ["target"] = new JsonObject { ["activity"] = "again", ["port"] = "In" },
        });
        await Host.Definitions.ImportAsync(child.ToJsonString());
        Assert.True((await Host.Definitions.PublishAsync(ChildId)).Succeeded);
        await Host.Definitions.ImportAsync(Read("definition-activity-parent.json"));

        var refused = await Host.Definitions.PublishAsync(ParentId);

        Assert.False(refused.Succeeded);
        var error = Assert.Single(refused.Errors);
        Assert.Equal("ask", error.ActivityId);
        Assert.Contains("Use a flow as an activity → Approve amount → Use a flow as an activity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_RefusesAFlowUsingItselfAsAnActivity()
    {
        var self = Model("definition-activity-child.json");
        var node = Model("definition-activity-parent.json")["root"]!["activities"]![1]!.DeepClone().AsObject();
        node["id"] = "recurse";
        self["root"]!["activities"]!.AsArray().Add(node);
        self["root"]!["connections"]!.AsArray().Add(new JsonObject
        {
            ["source"] = new JsonObject { ["activity"] = "start", ["port"] = "Done" },
            ["target"] = new JsonObject { ["activity"] = "recurse", ["port"] = "In" },
        });
        await ImportAndPublishAsync("definition-activity-child.json");
        await Host.Definitions.SaveDraftAsync(self);

        var refused = await Host.Definitions.PublishAsync(ChildId);

        Assert.Contains(refused.Errors, e => e.ActivityId == "recurse" && e.Message.Contains("Approve amount → Approve amount", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RetractedChild_IsAnIncidentNamingIt_AndRetryingAfterItIsPublishedAgainRunsIt()
    {
        await ImportAndPublishAsync("definition-activity-child.json");
        await ImportAndPublishAsync("definition-activity-parent.json");
        await Host.Definitions.RetractAsync(ChildId);

        var started = await Host.Runtime.StartAsync(ParentId, new Dictionary<string, object?> { ["Amount"] = 5, ["Who"] = "Bo" });
        var faulted = (await Host.Runtime.GetInstanceAsync(started.InstanceId))!;

        Assert.Equal(WorkflowSubStatus.Faulted, faulted.Summary.SubStatus);
        var incident = Assert.Single(faulted.Incidents);
        Assert.Equal("ask", incident.ActivityId);
        Assert.Contains("the workflow 'Approve amount' (corpus-approve-amount) this activity runs has no published version (it was retracted)", incident.Message, StringComparison.Ordinal);

        Assert.True((await Host.Definitions.PublishAsync(ChildId)).Succeeded);
        await Host.Runtime.RetryIncidentAsync(incident.Id);

        var resumed = (await Host.Runtime.GetInstanceAsync(started.InstanceId))!;
        Assert.Equal(WorkflowSubStatus.Finished, resumed.Summary.SubStatus);
        Assert.Equal(["approved: 5 for Bo is fine"], Messages(resumed));
    }

    [Fact]
    public async Task PinnedVersion_KeepsRunning_WhenANewerVersionIsPublished()
    {
        await ImportAndPublishAsync("definition-activity-child.json");
        var parent = Model("definition-activity-parent.json");
        var v1 = (await Host.Definitions.FindAsync(ChildId, VersionOptions.Published))!;
        parent["root"]!["activities"]![1]!["workflowDefinitionVersionId"] = v1.Id;
        await Host.Definitions.ImportAsync(parent.ToJsonString());
        Assert.True((await Host.Definitions.PublishAsync(ParentId)).Succeeded);
        var v2 = Model("definition-activity-child.json");
        v2["root"]!["activities"]![1]!["condition"]!["expression"]!["value"] = "getAmount() <= 1";
        await Host.Definitions.SaveDraftAsync(v2);
        Assert.True((await Host.Definitions.PublishAsync(ChildId)).Succeeded);

        var started = await Host.Runtime.StartAsync(ParentId, new Dictionary<string, object?> { ["Amount"] = 50, ["Who"] = "Cy" });

        Assert.Equal(["approved: 50 for Cy is fine"], Messages((await Host.Runtime.GetInstanceAsync(started.InstanceId))!));
        var child = Assert.Single((await Host.Runtime.ListInstancesAsync(new InstanceQuery { DefinitionId = ChildId })).Items);
        Assert.Equal(1, child.Version);
    }

    [Fact]
    public async Task PublishedVersions_NameEachFlowsCurrentlyPublishedVersion_AndNothingForAFlowWithoutOne()
    {
        var v1 = await ImportAndPublishAsync("definition-activity-child.json");
        await Host.Definitions.SaveDraftAsync(Model("definition-activity-child.json"));
        var v2 = (await Host.Definitions.PublishAsync(ChildId)).Definition!;
        await Host.Definitions.ImportAsync(Read("definition-activity-parent.json"));

        var published = await Flows.PublishedVersionsAsync([ChildId, ParentId, ChildId, "no-such-flow"]);

        var only = Assert.Single(published);
        Assert.Equal((ChildId, v2.Id, 2), (only.DefinitionId, only.Id, only.Version));
        Assert.NotEqual(v1.Id, v2.Id);
        Assert.Empty(await Flows.PublishedVersionsAsync([]));
    }

    private async Task<WorkflowDefinitionVersion> ImportAndPublishAsync(string file)
    {
        var saved = await Host.Definitions.ImportAsync(Read(file));
        Assert.Empty(saved.Errors.Select(e => $"{e.ActivityId}/{e.Input}: {e.Message}"));
        var published = await Host.Definitions.PublishAsync(saved.Definition.DefinitionId);
        Assert.True(published.Succeeded, string.Join("; ", published.Errors.Select(e => e.Message)));
        return published.Definition!;
    }

    private static string Read(string file) => File.ReadAllText(Path.Combine(Folder, file), Encoding.UTF8);

    private static JsonObject Model(string file) => JsonNode.Parse(Read(file))!.AsObject();
}

/// <summary>The nesting limit holds for flows used as activities as it does for Execute Workflow.</summary>
public sealed class DefinitionActivityNestingTests : EngineTestBase
{
    protected override void Configure(WorkflowEngineOptions options) => options.MaxWorkflowNesting = 1;

    [Fact]
    public async Task DefinitionActivity_BeyondMaxWorkflowNesting_IsAnIncidentNamingTheSetting()
    {
        // execute-workflow.json runs the parent as its child (depth 1); the parent's definition activity would be depth 2.
        var folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Corpus");
        var top = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "execute-workflow.json"), Encoding.UTF8))!.AsObject();
        top["root"]!["activities"]![1]!["workflowDefinitionId"]!["expression"]!["value"] = "corpus-definition-activity";
        top["root"]!["activities"]![1]!["input"]!["expression"]!["value"] = "{\"Amount\": 1, \"Who\": \"Di\"}";
        foreach (var json in new[]
                 {
                     await File.ReadAllTextAsync(Path.Combine(folder, "definition-activity-child.json"), Encoding.UTF8),
                     await File.ReadAllTextAsync(Path.Combine(folder, "definition-activity-parent.json"), Encoding.UTF8),
                     top.ToJsonString(),
                 })
        {
            var saved = await Host.Definitions.ImportAsync(json);
            Assert.True((await Host.Definitions.PublishAsync(saved.Definition.DefinitionId)).Succeeded);
        }

        await Host.Runtime.StartAsync("corpus-execute-workflow");

        var middle = Assert.Single((await Host.Runtime.ListInstancesAsync(new InstanceQuery { DefinitionId = "corpus-definition-activity" })).Items);
        Assert.Equal(WorkflowSubStatus.Faulted, middle.SubStatus);
        var incident = Assert.Single((await Host.Runtime.GetInstanceAsync(middle.Id))!.Incidents);
        Assert.Equal("ask", incident.ActivityId);
        Assert.Contains("Workflows:MaxWorkflowNesting (1)", incident.Message, StringComparison.Ordinal);
        Assert.Empty((await Host.Runtime.ListInstancesAsync(new InstanceQuery { DefinitionId = "corpus-approve-amount" })).Items);
    }
}
