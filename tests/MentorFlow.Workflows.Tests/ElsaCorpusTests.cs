using System.Text;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;
using MentorFlow.Workflows.Tests.Infrastructure;

namespace MentorFlow.Workflows.Tests;

/// <summary>
/// The import corpus (Fixtures/Corpus): Elsa 3 definitions written in the shapes Elsa's own exports, docs and tests use,
/// one per feature (sequence roots, nested sequences, Flow Node, While, Break, For Each and Parallel For Each with an
/// embedded body, Set Name, Correlate, Run JavaScript, Elsa's script accessors and Liquid objects, …). Each imports
/// without a problem, exports equal to what was imported, publishes and runs to the result Elsa gives.
/// </summary>
public sealed class ElsaCorpusTests : EngineTestBase
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Corpus");

    public static TheoryData<string> Corpus()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Folder, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            data.Add(file!);
        }

        return data;
    }

    [Fact]
    public void Corpus_HasAtLeastTwentyDefinitions()
    {
        Assert.True(Corpus().Count >= 20, $"the corpus holds {Corpus().Count} definitions");
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task CorpusDefinition_ImportsWithoutProblems_RoundTripsAndPublishes(string file)
    {
        var original = await File.ReadAllTextAsync(Path.Combine(Folder, file), Encoding.UTF8);
        await PublishFlowsUsedAsActivitiesAsync(original);

        var saved = await Host.Definitions.ImportAsync(original);

        Assert.Empty(saved.Errors.Select(e => $"{e.ActivityId}/{e.Input}: {e.Message}"));
        var exported = await Host.Definitions.ExportAsync(saved.Definition.DefinitionId, VersionOptions.Latest);
        Assert.True(JsonNode.DeepEquals(DefinitionJson.WithoutBookkeeping(original), DefinitionJson.WithoutBookkeeping(exported!)), $"{file} changed in the round trip:\n{exported}");
        Assert.True((await Host.Definitions.PublishAsync(saved.Definition.DefinitionId)).Succeeded);
    }

    [Fact]
    public async Task SequenceRoot_RunsItsStepsInOrder()
    {
        var details = await RunAsync("sequence-root.json");

        Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
        Assert.Equal(["one", "hello world"], Messages(details));
    }

    [Fact]
    public async Task SequenceInsideAFlowchart_RunsItsStepsThenTheFlowchartGoesOn()
    {
        var details = await RunAsync("sequence-in-flowchart.json");

        Assert.Equal(["first step", "second step", "after the sequence"], Messages(details));
    }

    [Fact]
    public async Task FlowNode_RunsItsBodyOnceThenCompletes()
    {
        var details = await RunAsync("flow-node.json");

        Assert.Equal(["inside the node", "after the node"], Messages(details));
        Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
    }

    [Fact]
    public async Task While_RepeatsItsBodyUntilTheConditionIsFalse()
    {
        var details = await RunAsync("while-counter.json");

        Assert.Equal(["round 1", "round 2", "round 3", "loop ended at 3"], Messages(details));
    }

    [Fact]
    public async Task Break_LeavesTheNearestLoopAndTheFlowGoesOnAfterIt()
    {
        var details = await RunAsync("while-break.json");

        Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
        Assert.Equal(["again 1", "broke out at 2"], Messages(details));
    }

    [Fact]
    public async Task ParallelForEach_RunsItsFlowchartBodyOncePerItem()
    {
        var details = await RunAsync("parallel-for-each.json");

        Assert.Equal(["hello ana", "hello ben", "hello cy", "greeted everyone"], Messages(details));
    }

    [Fact]
    public async Task ForEachWithAnEmbeddedBody_RunsTheBodyPerItemThenDone()
    {
        var details = await RunAsync("for-each-body.json");

        Assert.Equal(["item 0: 1", "item 1: 2", "item 2: 3", "all items"], Messages(details));
    }

    [Fact]
    public async Task SetName_NamesTheInstance()
    {
        var details = await RunAsync("set-name.json", new Dictionary<string, object?> { ["Who"] = "Ada" });

        Assert.Equal("Onboarding Ada", details.Summary.Name);
    }

    [Fact]
    public async Task Correlate_SetsTheCorrelationId_SoAnEventForItResumesTheInstance()
    {
        var details = await RunAsync("correlate.json", new Dictionary<string, object?> { ["OrderId"] = "42" });
        Assert.Equal("order-42", details.Summary.CorrelationId);
        Assert.Equal(WorkflowSubStatus.Suspended, details.Summary.SubStatus);

        Assert.Equal(0, await Host.Runtime.SignalAsync("Paid", "order-41"));
        Assert.Equal(1, await Host.Runtime.SignalAsync("Paid", "order-42"));

        var resumed = await Host.Runtime.GetInstanceAsync(details.Summary.Id);
        Assert.Equal(["paid order-42"], Messages(resumed!));
        Assert.Equal(WorkflowSubStatus.Finished, resumed!.Summary.SubStatus);
    }

    [Fact]
    public async Task RunJavaScript_RunsTheScriptWithElsaAccessors_AndItsResultGoesToTheBoundVariable()
    {
        var details = await RunAsync("run-javascript.json");

        Assert.Equal(["total 21, result 22"], Messages(details));
    }

    [Fact]
    public async Task JavaScriptCondition_WithTopLevelReturns_Decides()
    {
        var details = await RunAsync("javascript-return.json");

        Assert.Equal(["adult"], Messages(details));
    }

    [Fact]
    public async Task Liquid_ReadsVariablesInputAndWorkflow()
    {
        var details = await RunAsync("liquid-objects.json", new Dictionary<string, object?> { ["Who"] = "Ben" });

        Assert.Equal(["Welcome, Ben (corpus-liquid-objects)"], Messages(details));
    }

    [Fact]
    public async Task Switch_FollowsTheFirstMatchingCase()
    {
        var details = await RunAsync("switch.json");

        Assert.Equal(["large"], Messages(details));
    }

    [Fact]
    public async Task Delay_WaitsForTheClock()
    {
        var details = await RunAsync("delay.json");
        Assert.Empty(Messages(details));

        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await Host.Maintenance.FireDueTimersAsync());

        Assert.Equal(["an hour later"], Messages((await Host.Runtime.GetInstanceAsync(details.Summary.Id))!));
    }

    [Fact]
    public async Task NestedFlowchart_CompletingWithAnOutcome_FollowsThatPortInItsParent()
    {
        var details = await RunAsync("nested-flowchart-outcome.json");

        Assert.Equal(["approved"], Messages(details));
    }

    [Fact]
    public async Task ForkAndJoin_RunBothBranchesThenJoinOnce()
    {
        var details = await RunAsync("fork-join.json");

        Assert.Equal(["left", "right", "joined"], Messages(details));
    }

    [Fact]
    public async Task Fault_FaultsTheInstanceWithItsMessage()
    {
        var details = await RunAsync("fault.json", new Dictionary<string, object?> { ["Who"] = "Cy" });

        Assert.Equal(WorkflowSubStatus.Faulted, details.Summary.SubStatus);
        Assert.Contains("cannot go on for Cy", Assert.Single(details.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finish_EndsTheWorkflowAndDropsTheWaitingBranch()
    {
        var details = await RunAsync("finish.json");

        Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
        Assert.Empty(details.Bookmarks);
    }

    [Fact]
    public async Task JavaScriptHelpers_ToJsonAndIsNullOrEmpty_Work()
    {
        var details = await RunAsync("javascript-helpers.json");

        Assert.Equal(["{\"id\":\"corpus-javascript-helpers\",\"lines\":[1,2]} empty:true"], Messages(details));
    }

    [Fact]
    public async Task Sequence_ComposingAForEachWhoseBodyIsAFlowNode_RunsEachLevel()
    {
        var details = await RunAsync("sequence-composition.json");

        Assert.Equal(["start", "letter a", "letter b", "end"], Messages(details));
    }

    [Fact]
    public async Task ExecuteWorkflow_WaitsForTheChild_AndReadsItsOutput()
    {
        await PublishAsync("child-greeter.json");

        var details = await RunAsync("execute-workflow.json");

        Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
        Assert.Equal(["child said hello Dee"], Messages(details));
        var children = await Host.Runtime.ListInstancesAsync(new InstanceQuery { DefinitionId = "corpus-child-greeter" });
        var child = Assert.Single(children.Items);
        Assert.Equal(WorkflowSubStatus.Finished, child.SubStatus);
    }

    [Fact]
    public async Task DispatchWorkflow_StartsTheChildWithItsCorrelationId_AndGoesOnAtOnce()
    {
        await PublishAsync("child-greeter.json");

        var details = await RunAsync("dispatch-workflow.json");

        Assert.Equal(["dispatched"], Messages(details));
        var child = Assert.Single((await Host.Runtime.ListInstancesAsync(new InstanceQuery { DefinitionId = "corpus-child-greeter" })).Items);
        Assert.Equal("greeting-1", child.CorrelationId);
        var childDetails = await Host.Runtime.GetInstanceAsync(child.Id);
        Assert.Equal("hello Eve", childDetails!.Output["Greeting"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteWorkflow_OfAnUnpublishedChild_IsAnIncidentNamingIt()
    {
        var details = await RunAsync("execute-workflow.json");

        Assert.Equal(WorkflowSubStatus.Faulted, details.Summary.SubStatus);
        Assert.Contains("'corpus-child-greeter' has no published version", Assert.Single(details.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteWorkflow_OfItself_IsRefusedAtPublish()
    {
        var model = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, "execute-workflow.json")))!.AsObject();
        model["root"]!["activities"]![1]!["workflowDefinitionId"]!["expression"]!["value"] = "corpus-execute-workflow";

        var saved = await Host.Definitions.ImportAsync(model.ToJsonString());

        Assert.Contains(saved.Errors, e => e.ActivityId == "run" && e.Message.Contains("The flow runs itself", StringComparison.Ordinal));
        Assert.False((await Host.Definitions.PublishAsync("corpus-execute-workflow")).Succeeded);
    }

    /// <summary>A flow that uses other corpus flows as activities needs them published first (they are imported from their own files).</summary>
    private async Task PublishFlowsUsedAsActivitiesAsync(string json)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        Collect(JsonNode.Parse(json));
        foreach (var file in Directory.EnumerateFiles(Folder, "*.json"))
        {
            if (JsonNode.Parse(await File.ReadAllTextAsync(file, Encoding.UTF8))?["definitionId"]?.GetValue<string>() is { } id && used.Contains(id))
            {
                await PublishAsync(Path.GetFileName(file));
            }
        }

        void Collect(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (obj["workflowDefinitionId"] is JsonValue value && value.TryGetValue<string>(out var id))
                    {
                        used.Add(id);
                    }

                    foreach (var (_, child) in obj)
                    {
                        Collect(child);
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Collect(item);
                    }

                    break;
            }
        }
    }

    private async Task PublishAsync(string file)
    {
        var saved = await Host.Definitions.ImportAsync(await File.ReadAllTextAsync(Path.Combine(Folder, file), Encoding.UTF8));
        Assert.True((await Host.Definitions.PublishAsync(saved.Definition.DefinitionId)).Succeeded);
    }

    private async Task<WorkflowInstanceDetails> RunAsync(string file, IReadOnlyDictionary<string, object?>? input = null)
    {
        var saved = await Host.Definitions.ImportAsync(await File.ReadAllTextAsync(Path.Combine(Folder, file), Encoding.UTF8));
        Assert.Empty(saved.Errors.Select(e => $"{e.ActivityId}/{e.Input}: {e.Message}"));
        Assert.True((await Host.Definitions.PublishAsync(saved.Definition.DefinitionId)).Succeeded);
        var started = await Host.Runtime.StartAsync(saved.Definition.DefinitionId, input);
        return (await Host.Runtime.GetInstanceAsync(started.InstanceId))!;
    }
}
