using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;
using MentorFlow.Workflows.Tests.Infrastructure;

namespace MentorFlow.Workflows.Tests;

/// <summary>
/// Flowcharts nested in a flowchart (an Elsa.Flowchart activity with activities of its own, as Elsa 3 writes them):
/// the nested one runs from its start, completes when nothing is left in it (or at an End/Complete inside it), and the
/// parent follows its Done port or the outcomes its Complete names.
/// </summary>
public sealed class NestedFlowchartTests : EngineTestBase
{
    private static Flow Inner() => Flow.Create()
        .Add("in-a", "Elsa.WriteLine", ("text", Flow.Literal("inside a")))
        .Add("in-b", "Elsa.WriteLine", ("text", Flow.Literal("inside b")))
        .Chain("in-a", "in-b");

    [Fact]
    public async Task NestedFlowchart_RunsItsActivities_ThenTheParentFollowsDone()
    {
        var details = await RunAsync(Flow.Create()
            .Add("start", "Elsa.Start")
            .Nested("sub", Inner())
            .Add("after", "Elsa.WriteLine", ("text", Flow.Literal("after")))
            .Chain("start", "sub", "after"));

        Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
        Assert.Equal(["inside a", "inside b", "after"], Messages(details));
        var sub = details.Journal.Where(j => j.ActivityId == "sub").Select(j => j.EventName).ToList();
        Assert.Equal([JournalEvents.Started, JournalEvents.Completed], sub);
        Assert.Equal(["Done"], details.Journal.Last(j => j.ActivityId == "sub").Outcomes);
    }

    [Fact]
    public async Task NestedFlowchart_WaitingOnATimer_SuspendsTheInstance_AndGoesOnWhenItFires()
    {
        var inner = Flow.Create()
            .Add("wait", "Elsa.Delay", ("timeSpan", Flow.Literal("01:00:00", "TimeSpan")))
            .Add("woke", "Elsa.WriteLine", ("text", Flow.Literal("woke")))
            .Chain("wait", "woke");
        var details = await RunAsync(Flow.Create()
            .Nested("sub", inner)
            .Add("after", "Elsa.WriteLine", ("text", Flow.Literal("after")))
            .Chain("sub", "after"));
        Assert.Equal(WorkflowSubStatus.Suspended, details.Summary.SubStatus);
        Assert.Empty(Messages(details));

        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await Host.Maintenance.FireDueTimersAsync());
        details = await ReloadAsync(details);
        Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
        Assert.Equal(["woke", "after"], Messages(details));
    }

    [Fact]
    public async Task CompleteInsideANestedFlowchart_IsItsOutcome_AndDropsItsOtherWaits()
    {
        // A fork inside: one branch waits for a signal forever, the other completes the nested flowchart as "Approved".
        var inner = Flow.Create()
            .Add("fork", "Elsa.FlowFork", ("branches", Flow.Expr("Object", "[\"Wait\",\"Go\"]", "String[]")))
            .Add("never", "Elsa.Event", ("eventName", Flow.Literal("Never")))
            .Add("done", "Elsa.Complete", ("outcomes", Flow.Expr("Object", "[\"Approved\"]", "String[]")))
            .Connect("fork", "Wait", "never")
            .Connect("fork", "Go", "done");
        var details = await RunAsync(Flow.Create()
            .Nested("review", inner)
            .Add("approved", "Elsa.WriteLine", ("text", Flow.Literal("approved")))
            .Add("plain", "Elsa.WriteLine", ("text", Flow.Literal("done port")))
            .Connect("review", "Approved", "approved")
            .Connect("review", "Done", "plain"));

        Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
        Assert.Equal(["approved"], Messages(details));
        Assert.Empty(details.Bookmarks);
        Assert.Equal(["Approved"], details.Journal.Last(j => j.ActivityId == "review").Outcomes);
    }

    [Fact]
    public async Task EndInsideANestedFlowchart_CompletesOnlyThatFlowchart_FinishEndsTheWorkflow()
    {
        var withEnd = Flow.Create()
            .Add("say", "Elsa.WriteLine", ("text", Flow.Literal("inner")))
            .Add("end", "Elsa.End")
            .Chain("say", "end");
        var details = await RunAsync(Flow.Create()
            .Nested("sub", withEnd)
            .Add("after", "Elsa.WriteLine", ("text", Flow.Literal("after")))
            .Chain("sub", "after"));
        Assert.Equal(["inner", "after"], Messages(details));

        var withFinish = Flow.Create()
            .Add("say", "Elsa.WriteLine", ("text", Flow.Literal("inner")))
            .Add("finish", "Elsa.Finish")
            .Chain("say", "finish");
        details = await RunAsync(Flow.Create()
            .Nested("sub", withFinish)
            .Add("after", "Elsa.WriteLine", ("text", Flow.Literal("after")))
            .Chain("sub", "after"));
        Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
        Assert.Equal(["inner"], Messages(details));
    }

    [Fact]
    public async Task FlowchartNestedTwoLevelsDeep_CompletesInsideOut()
    {
        var deepest = Flow.Create().Add("deep", "Elsa.WriteLine", ("text", Flow.Literal("deepest")));
        var middle = Flow.Create()
            .Nested("level2", deepest)
            .Add("mid", "Elsa.WriteLine", ("text", Flow.Literal("middle")))
            .Chain("level2", "mid");
        var details = await RunAsync(Flow.Create()
            .Nested("level1", middle)
            .Add("top", "Elsa.WriteLine", ("text", Flow.Literal("top")))
            .Chain("level1", "top"));

        Assert.Equal(["deepest", "middle", "top"], Messages(details));
        var completed = details.Journal.Where(j => j.EventName == JournalEvents.Completed && j.ActivityType == "Elsa.Flowchart").Select(j => j.ActivityId).ToList();
        Assert.Equal(["level2", "level1"], completed);
    }

    [Fact]
    public async Task NestedFlowchartInALoop_RunsAgainEachTime()
    {
        var details = await RunAsync(Flow.Create()
            .Add("start", "Elsa.Start")
            .Add("loop", "Elsa.ForEach", ("items", Flow.Expr("Object", "[1,2,3]", "Object")))
            .Nested("body", Flow.Create().Add("say", "Elsa.WriteLine", ("text", Flow.Expr("Liquid", "item {{ CurrentValue }}"))))
            .Add("after", "Elsa.WriteLine", ("text", Flow.Literal("after")))
            .Connect("start", "Done", "loop")
            .Connect("loop", "Iterate", "body")
            .Connect("body", "Done", "loop")
            .Connect("loop", "Done", "after"));

        Assert.Equal(["item 1", "item 2", "item 3", "after"], Messages(details));
    }

    [Fact]
    public async Task InvalidNestedFlowchart_ReportsUnreachableAndBoundaryCrossingActivitiesByName()
    {
        var inner = Flow.Create()
            .Add("ok", "Elsa.WriteLine", ("text", Flow.Literal("ok")))
            .Add("orphan", "Elsa.WriteLine", ("text", Flow.Literal("orphan")))
            .Add("orphan2", "Elsa.WriteLine", ("text", Flow.Literal("orphan 2")))
            .Connect("ok", "Done", "outside")
            .Connect("orphan", "Done", "orphan2")
            .Connect("orphan2", "Done", "orphan");
        var model = Flow.Create()
            .Nested("sub", inner)
            .Add("outside", "Elsa.WriteLine", ("text", Flow.Literal("outside")))
            .Connect("sub", "Nope", "outside")
            .Model;

        var saved = await Host.Definitions.SaveDraftAsync(model);
        var errors = saved.Errors.Select(e => (e.ActivityId, e.Message)).ToList();
        Assert.Contains(errors, e => e.ActivityId == "ok" && e.Message.Contains("crosses the boundary of a nested flowchart", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.ActivityId == "orphan" && e.Message.Contains("unreachable", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.ActivityId == "sub" && e.Message.Contains("no port 'Nope'", StringComparison.Ordinal));
        Assert.False((await Host.Definitions.PublishAsync(saved.Definition.DefinitionId)).Succeeded);
    }

    [Fact]
    public async Task NestedFlowchartExportedByElsa_ImportsWithPreviewConnectionsConverted_AndRoundTrips()
    {
        // Elsa 3.0-preview wrote flat connections, also inside nested flowcharts.
        var model = Flow.Create().Nested("sub", Inner()).Add("after", "Elsa.WriteLine", ("text", Flow.Literal("after"))).Chain("sub", "after").Model;
        var sub = model["root"]!["activities"]![0]!.AsObject();
        sub["connections"] = new JsonArray(new JsonObject { ["source"] = "in-a", ["target"] = "in-b", ["sourcePort"] = "Done", ["targetPort"] = "In" });
        var json = model.ToJsonString();

        var imported = await Host.Definitions.ImportAsync(json);
        Assert.Empty(imported.Errors);
        var stored = DefinitionReader.ParseModel(json);
        var connection = stored["root"]!["activities"]![0]!["connections"]![0]!;
        Assert.Equal("in-a", (string?)connection["source"]!["activity"]);
        Assert.Equal("Done", (string?)connection["source"]!["port"]);

        Assert.True((await Host.Definitions.PublishAsync(imported.Definition.DefinitionId)).Succeeded);
        var started = await Host.Runtime.StartAsync(imported.Definition.DefinitionId);
        Assert.Equal(["inside a", "inside b", "after"], Messages((await Host.Runtime.GetInstanceAsync(started.InstanceId))!));
    }

    [Fact]
    public async Task NestedFlowchartOfAnUnreadableShape_IsRefusedWithItsPath_NothingStored()
    {
        var model = Flow.Create().Nested("sub", Inner()).Model;
        model["root"]!["activities"]![0]!["connections"] = "not a list";

        var refused = await Assert.ThrowsAsync<WorkflowDefinitionFormatException>(() => Host.Definitions.ImportAsync(model.ToJsonString()));

        Assert.Contains("root.sub.connections must be an array", refused.Message, StringComparison.Ordinal);
        Assert.Empty((await Host.Definitions.ListAsync(new DefinitionQuery())).Items);
    }

    [Fact]
    public async Task ActivityIdUsedInsideAndOutsideANestedFlowchart_IsADuplicate()
    {
        var model = Flow.Create()
            .Nested("sub", Flow.Create().Add("twice", "Elsa.WriteLine", ("text", Flow.Literal("inner"))))
            .Add("twice", "Elsa.WriteLine", ("text", Flow.Literal("outer")))
            .Chain("sub", "twice")
            .Model;

        var saved = await Host.Definitions.SaveDraftAsync(model);

        Assert.Contains(saved.Errors, e => e.ActivityId == "twice" && e.Message.Contains("used by more than one activity", StringComparison.Ordinal));
    }
}
