using System.Text.Json.Nodes;
using MentorFlow.Workflows.Runtime;
using MentorFlow.Workflows.Tests.Infrastructure;

namespace MentorFlow.Workflows.Tests;

public sealed class BuiltInActivityTests : EngineTestBase
{
    private static JsonObject VariableRef(string name) => new() { ["id"] = "var-" + name, ["name"] = name };

    private static JsonObject Bound(string variable) => new() { ["typeName"] = "Object", ["memoryReference"] = new JsonObject { ["id"] = "var-" + variable } };

    [Fact]
    public async Task Start_IsTheEntryEvenWhenListedLast()
    {
        var details = await RunAsync(Flow.Create()
            .Add("w", "Elsa.WriteLine", ("text", Flow.Literal("after start")))
            .Add("s", "Elsa.Start")
            .Chain("s", "w"));

        Assert.Equal(["s", "w"], details.Journal.Select(j => j.ActivityId));
    }

    [Fact]
    public async Task End_FinishesTheWorkflowAndCancelsOtherWaits()
    {
        var details = await RunAsync(Flow.Create()
            .Add("fork", "Elsa.FlowFork", ("branches", Flow.Expr("Object", "[\"wait\",\"stop\"]", "String[]")))
            .Add("wait", "Elsa.Event", ("eventName", Flow.Literal("never")))
            .Add("end", "Elsa.End")
            .Connect("fork", "wait", "wait")
            .Connect("fork", "stop", "end"));

        Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
        Assert.Empty(details.Bookmarks);
    }

    [Fact]
    public async Task Finish_StopsTheFlowHere()
    {
        var details = await RunAsync(Flow.Create()
            .Add("finish", "Elsa.Finish")
            .Add("never", "Test.Probe")
            .Chain("finish", "never"));

        Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
        Assert.Equal(0, Probe.Count(details.Summary.Id));
    }

    [Fact]
    public async Task Complete_FinishesWithTheOutcomesAsWorkflowOutput()
    {
        var details = await RunAsync(Flow.Create()
            .Add("complete", "Elsa.Complete", ("outcomes", Flow.Expr("Object", "[\"Approved\"]", "Object"))));

        Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
        Assert.Equal("Approved", details.Output["Outcomes"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Fault_FaultsTheInstanceWithCodeAndMessage()
    {
        var details = await RunAsync(Flow.Create()
            .Add("fault", "Elsa.Fault", ("code", Flow.Literal("E42")), ("message", Flow.Literal("Mentor capacity exceeded"))));

        Assert.Equal(WorkflowSubStatus.Faulted, details.Summary.SubStatus);
        var incident = Assert.Single(details.Incidents);
        Assert.Contains("[E42] Mentor capacity exceeded", incident.Message, StringComparison.Ordinal);
        Assert.Equal("Elsa.Fault", incident.ActivityType);
        Assert.Equal(JournalEvents.Faulted, details.Journal.Single().EventName);
    }

    [Fact]
    public async Task WriteLine_WritesTheEvaluatedTextToTheJournal()
    {
        var details = await RunAsync(Flow.Create().Var("Name", "String", "Grace")
            .Add("w", "Elsa.WriteLine", ("text", Flow.Expr("Liquid", "Hello {{ Name | upcase }}"))));

        Assert.Equal(["Hello GRACE"], Messages(details));
    }

    [Fact]
    public async Task SetVariable_AssignsByVariableReference()
    {
        var details = await RunAsync(Flow.Create().Var("Count", "Int32", "1")
            .Add("set", "Elsa.SetVariable", ("variable", VariableRef("Count")), ("value", Flow.Expr("JavaScript", "variables.Count * 10", "Object")))
            .Add("w", "Elsa.WriteLine", ("text", Flow.Expr("Variable", "Count")))
            .Chain("set", "w"));

        Assert.Equal(10, details.Variables["Count"]!.GetValue<long>());
        Assert.Equal(["10"], Messages(details));
    }

    [Theory]
    [InlineData("true", "yes")]
    [InlineData("false", "no")]
    public async Task FlowDecision_TakesTheTrueOrFalsePort(string condition, string expected)
    {
        var details = await RunAsync(Flow.Create()
            .Add("d", "Elsa.FlowDecision", ("condition", Flow.Expr("JavaScript", condition, "Boolean")))
            .Add("yes", "Elsa.WriteLine", ("text", Flow.Literal("yes")))
            .Add("no", "Elsa.WriteLine", ("text", Flow.Literal("no")))
            .Connect("d", "True", "yes")
            .Connect("d", "False", "no"));

        Assert.Equal([expected], Messages(details));
    }

    private static Flow SwitchFlow(string mode, int score) => Flow.Create().Var("Score", "Int32", score.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Add("s", "Elsa.FlowSwitch",
            ("mode", Flow.Literal(mode)),
            ("cases", new JsonArray(
                new JsonObject { ["label"] = "High", ["condition"] = new JsonObject { ["type"] = "JavaScript", ["value"] = "getVariable('Score') > 80" } },
                new JsonObject { ["label"] = "Pass", ["condition"] = new JsonObject { ["type"] = "JavaScript", ["value"] = "getVariable('Score') > 50" } })))
        .Add("high", "Elsa.WriteLine", ("text", Flow.Literal("high")))
        .Add("pass", "Elsa.WriteLine", ("text", Flow.Literal("pass")))
        .Add("other", "Elsa.WriteLine", ("text", Flow.Literal("other")))
        .Connect("s", "High", "high").Connect("s", "Pass", "pass").Connect("s", "Default", "other");

    [Theory]
    [InlineData("MatchFirst", 90, new[] { "high" })]
    [InlineData("MatchAny", 90, new[] { "high", "pass" })]
    [InlineData("MatchAny", 60, new[] { "pass" })]
    [InlineData("MatchFirst", 10, new[] { "other" })]
    public async Task FlowSwitch_SchedulesMatchingCasesOrDefault(string mode, int score, string[] expected)
    {
        var details = await RunAsync(SwitchFlow(mode, score));

        Assert.Equal(expected, Messages(details));
    }

    [Fact]
    public async Task FlowFork_RunsEveryBranch_AndFlowJoinWaitAllWaitsForBoth()
    {
        var details = await RunAsync(Flow.Create()
            .Add("fork", "Elsa.FlowFork", ("branches", Flow.Expr("Object", "[\"A\",\"B\"]", "String[]")))
            .Add("a", "Elsa.Event", ("eventName", Flow.Literal("A")))
            .Add("b", "Elsa.WriteLine", ("text", Flow.Literal("b")))
            .Add("join", "Elsa.FlowJoin", ("mode", Flow.Literal("WaitAll")))
            .Add("after", "Elsa.WriteLine", ("text", Flow.Literal("joined")))
            .Connect("fork", "A", "a").Connect("fork", "B", "b")
            .Connect("a", "Done", "join").Connect("b", "Done", "join").Connect("join", "Done", "after"), correlationId: "j");

        Assert.Equal(["b"], Messages(details));
        Assert.Equal(WorkflowSubStatus.Suspended, details.Summary.SubStatus);
        await Host.Runtime.SignalAsync("A", "j");
        details = await ReloadAsync(details);
        Assert.Equal(["b", "joined"], Messages(details));
        Assert.Equal(WorkflowSubStatus.Finished, details.Summary.SubStatus);
    }

    [Fact]
    public async Task FlowJoin_WaitAny_ContinuesOnTheFirstArrivalOnly()
    {
        var details = await RunAsync(Flow.Create()
            .Add("fork", "Elsa.FlowFork", ("branches", Flow.Expr("Object", "[\"A\",\"B\"]", "String[]")))
            .Add("a", "Elsa.WriteLine", ("text", Flow.Literal("a")))
            .Add("b", "Elsa.WriteLine", ("text", Flow.Literal("b")))
            .Add("join", "Elsa.FlowJoin", ("mode", Flow.Literal("WaitAny")))
            .Add("after", "Elsa.WriteLine", ("text", Flow.Literal("joined")))
            .Connect("fork", "A", "a").Connect("fork", "B", "b")
            .Connect("a", "Done", "join").Connect("b", "Done", "join").Connect("join", "Done", "after"));

        Assert.Equal(["a", "b", "joined"], Messages(details));
    }

    [Fact]
    public async Task ForEach_IteratesEveryItemThenDone()
    {
        var details = await RunAsync(Flow.Create().Var("Sum", "Int32", "0")
            .Add("start", "Elsa.Start")
            .Add("loop", "Elsa.ForEach", ("items", Flow.Expr("Object", "[1,2,3]", "Object")))
            .Add("add", "Elsa.SetVariable", ("variable", VariableRef("Sum")), ("value", Flow.Expr("JavaScript", "getVariable('Sum') + getVariable('CurrentValue')", "Object")))
            .Add("done", "Elsa.WriteLine", ("text", Flow.Expr("Liquid", "sum={{ Sum }}")))
            .Connect("start", "Done", "loop").Connect("loop", "Iterate", "add").Connect("add", "Done", "loop").Connect("loop", "Done", "done"));

        Assert.Equal(["sum=6"], Messages(details));
        Assert.Equal(4, details.Journal.Count(j => j.ActivityId == "loop"));
    }

    [Fact]
    public async Task ForEach_OverAnEmptyList_GoesStraightToDone()
    {
        var details = await RunAsync(Flow.Create()
            .Add("start", "Elsa.Start")
            .Add("loop", "Elsa.ForEach", ("items", Flow.Expr("Object", "[]", "Object")))
            .Add("body", "Test.Probe")
            .Add("done", "Elsa.WriteLine", ("text", Flow.Literal("done")))
            .Connect("start", "Done", "loop").Connect("loop", "Iterate", "body").Connect("body", "Done", "loop").Connect("loop", "Done", "done"));

        Assert.Equal(["done"], Messages(details));
        Assert.Equal(0, Probe.Count(details.Summary.Id));
    }

    private async Task<WorkflowInstanceDetails> TimerFlowAsync(string type, string input, JsonObject value)
    {
        var details = await RunAsync(Flow.Create()
            .Add("t", type, (input, value))
            .Add("after", "Elsa.WriteLine", ("text", Flow.Literal("fired")))
            .Chain("t", "after"));
        Assert.Equal(WorkflowSubStatus.Suspended, details.Summary.SubStatus);
        return details;
    }

    [Fact]
    public async Task Delay_WaitsForTheTimeSpan()
    {
        var details = await TimerFlowAsync("Elsa.Delay", "timeSpan", Flow.Literal("00:30:00", "TimeSpan"));
        Assert.Equal(Clock.GetUtcNow().AddMinutes(30), Assert.Single(details.Bookmarks).DueAt);

        Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(0, await Host.Maintenance.FireDueTimersAsync());
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Host.Maintenance.FireDueTimersAsync());
        Assert.Equal(["fired"], Messages(await ReloadAsync(details)));
    }

    [Fact]
    public async Task Delay_AcceptsIso8601Durations()
    {
        var details = await TimerFlowAsync("Elsa.Delay", "timeSpan", Flow.Literal("P2D", "TimeSpan"));
        Assert.Equal(Clock.GetUtcNow().AddDays(2), Assert.Single(details.Bookmarks).DueAt);
    }

    [Fact]
    public async Task StartAt_WaitsUntilTheMoment()
    {
        var details = await TimerFlowAsync("Elsa.StartAt", "dateTime", Flow.Literal("2026-12-01T10:00:00Z", "DateTimeOffset"));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), Assert.Single(details.Bookmarks).DueAt);

        Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, await Host.Maintenance.FireDueTimersAsync());
        Assert.Equal(WorkflowSubStatus.Finished, (await ReloadAsync(details)).Summary.SubStatus);
    }

    [Fact]
    public async Task StartAt_InThePast_ContinuesImmediately()
    {
        var details = await RunAsync(Flow.Create()
            .Add("t", "Elsa.StartAt", ("dateTime", Flow.Literal("2020-01-01T00:00:00Z", "DateTimeOffset")))
            .Add("after", "Elsa.WriteLine", ("text", Flow.Literal("now")))
            .Chain("t", "after"));

        Assert.Equal(["now"], Messages(details));
    }

    [Fact]
    public async Task Timer_WaitsForTheInterval()
    {
        var details = await TimerFlowAsync("Elsa.Timer", "interval", Flow.Literal("01:00:00", "TimeSpan"));

        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await Host.Maintenance.FireDueTimersAsync());
        Assert.Equal(["fired"], Messages(await ReloadAsync(details)));
    }

    [Fact]
    public async Task Cron_WaitsForTheNextOccurrence()
    {
        // 2026-11-25 is a Wednesday 09:00 UTC; the next Monday 09:00 is 2026-11-30.
        var details = await TimerFlowAsync("Elsa.Cron", "cronExpression", Flow.Literal("0 9 * * MON"));

        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), Assert.Single(details.Bookmarks).DueAt);
    }

    [Fact]
    public async Task Event_ResumesOnItsNameAndTheInstancesCorrelationId_WithThePayload()
    {
        var details = await RunAsync(Flow.Create().Var("Got")
            .Add("e", "Elsa.Event", ("eventName", Flow.Literal("GoalAgreed")), ("result", Bound("Got")))
            .Add("w", "Elsa.WriteLine", ("text", Flow.Expr("JavaScript", "Got.goal")))
            .Chain("e", "w"), correlationId: "pair-9");

        var bookmark = Assert.Single(details.Bookmarks);
        Assert.Equal(("GoalAgreed", "pair-9"), (bookmark.Name, bookmark.CorrelationId));
        Assert.Equal(0, await Host.Runtime.SignalAsync("GoalAgreed", "pair-10", new { goal = "x" }));
        Assert.Equal(1, await Host.Runtime.SignalAsync("GoalAgreed", "pair-9", new { goal = "Public speaking" }));
        Assert.Equal(["Public speaking"], Messages(await ReloadAsync(details)));
    }

    [Fact]
    public async Task WaitForSignal_TakesSignalledWhenTheSignalComesFirst()
    {
        var details = await RunAsync(Flow.Create()
            .Add("w", "MentorFlow.WaitForSignal", ("signalName", Flow.Literal("Scheduled")), ("timeout", Flow.Literal("2.00:00:00", "TimeSpan")))
            .Add("ok", "Elsa.WriteLine", ("text", Flow.Literal("scheduled")))
            .Add("late", "Elsa.WriteLine", ("text", Flow.Literal("auto kick-off")))
            .Connect("w", "Signalled", "ok").Connect("w", "TimedOut", "late"), correlationId: "p1");
        Assert.Equal(2, details.Bookmarks.Count);

        await Host.Runtime.SignalAsync("Scheduled", "p1");
        Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(0, await Host.Maintenance.FireDueTimersAsync());

        details = await ReloadAsync(details);
        Assert.Equal(["scheduled"], Messages(details));
        Assert.Empty(details.Bookmarks);
    }

    [Fact]
    public async Task WaitForSignal_TakesTimedOutWhenTheTimerComesFirst()
    {
        var details = await RunAsync(Flow.Create()
            .Add("w", "MentorFlow.WaitForSignal", ("signalName", Flow.Literal("Scheduled")), ("timeout", Flow.Literal("2.00:00:00", "TimeSpan")))
            .Add("ok", "Elsa.WriteLine", ("text", Flow.Literal("scheduled")))
            .Add("late", "Elsa.WriteLine", ("text", Flow.Literal("auto kick-off")))
            .Connect("w", "Signalled", "ok").Connect("w", "TimedOut", "late"), correlationId: "p2");

        Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await Host.Maintenance.FireDueTimersAsync());
        Assert.Equal(0, await Host.Runtime.SignalAsync("Scheduled", "p2"));

        Assert.Equal(["auto kick-off"], Messages(await ReloadAsync(details)));
    }
}
