using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Activities.BuiltIn;
using MentorFlow.Workflows.Descriptors;
using MentorFlow.Workflows.Tests.Infrastructure;

namespace MentorFlow.Workflows.Tests;

[Activity("Test", "Programmes", "An activity with every kind of input", DisplayName = "Everything", Kind = ActivityKind.Task)]
[Outcomes("Sent", "Skipped")]
public sealed class Everything : Activity
{
    [Input(Description = "Who", Required = true)]
    public Input<string> Recipient { get; init; } = new("");

    [Input(UIHint = "multiline", DefaultSyntax = ExpressionSyntax.Liquid, Category = "Content")]
    public Input<string> Body { get; init; } = new("");

    [Input(Options = ["Video", "Phone"])]
    public Input<string> Channel { get; init; } = new("Video");

    [Input]
    public Input<bool> Urgent { get; init; } = new(false);

    [Input]
    public Input<DateTimeOffset> At { get; init; } = new(default(DateTimeOffset));

    [Input]
    public Input<FlowJoinMode> Mode { get; init; } = new(FlowJoinMode.WaitAny);

    [Output(Description = "The message id")]
    public Output<string> MessageId { get; init; } = new();

    protected override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        context.Complete("Sent");
        return ValueTask.CompletedTask;
    }
}

public sealed class DescriptorTests
{
    private static ActivityRegistry Registry(params Type[] extra) =>
        new([.. BuiltInActivities.Types.Concat(extra).Select(t => new ActivityRegistration(t))]);

    [Fact]
    public void Descriptor_HasTheElsaShape_WithDropdownsUiHintsAndPorts()
    {
        var descriptor = Registry(typeof(Everything)).Find("Test.Everything")!;

        var json = JsonSerializer.SerializeToNode(descriptor, new JsonSerializerOptions(JsonSerializerDefaults.Web))!.AsObject();

        Assert.Equal("Test.Everything", json["typeName"]!.GetValue<string>());
        Assert.Equal(("Test", "Everything", 1), (json["namespace"]!.GetValue<string>(), json["name"]!.GetValue<string>(), json["version"]!.GetValue<int>()));
        Assert.Equal(("Programmes", "Everything", "Task"), (json["category"]!.GetValue<string>(), json["displayName"]!.GetValue<string>(), json["kind"]!.GetValue<string>()));
        Assert.Equal(["Sent", "Skipped"], json["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.All(json["ports"]!.AsArray(), p => Assert.Equal("Flow", p!["type"]!.GetValue<string>()));
        var inputs = json["inputs"]!.AsArray().ToDictionary(i => i!["name"]!.GetValue<string>(), i => i!.AsObject());
        Assert.Equal(("String", "singleline", "Who"), (inputs["Recipient"]["typeName"]!.GetValue<string>(), inputs["Recipient"]["uiHint"]!.GetValue<string>(), inputs["Recipient"]["description"]!.GetValue<string>()));
        Assert.Equal(("multiline", "Liquid", "Content"), (inputs["Body"]["uiHint"]!.GetValue<string>(), inputs["Body"]["defaultSyntax"]!.GetValue<string>(), inputs["Body"]["category"]!.GetValue<string>()));
        Assert.Equal("dropdown", inputs["Channel"]["uiHint"]!.GetValue<string>());
        Assert.Equal(["Video", "Phone"], inputs["Channel"]["uiSpecifications"]!["dropdown"]!["items"]!.AsArray().Select(i => i!["value"]!.GetValue<string>()));
        Assert.Equal(("checkbox", "Boolean"), (inputs["Urgent"]["uiHint"]!.GetValue<string>(), inputs["Urgent"]["typeName"]!.GetValue<string>()));
        Assert.Equal("datetime-picker", inputs["At"]["uiHint"]!.GetValue<string>());
        Assert.Equal(["WaitAny", "WaitAll"], inputs["Mode"]["uiSpecifications"]!["dropdown"]!["items"]!.AsArray().Select(i => i!["text"]!.GetValue<string>()));
        Assert.True(inputs["Recipient"]["isWrapped"]!.GetValue<bool>());
        Assert.False(inputs.ContainsKey("required"));
        var output = Assert.Single(json["outputs"]!.AsArray())!;
        Assert.Equal(("MessageId", "String"), (output["name"]!.GetValue<string>(), output["typeName"]!.GetValue<string>()));
        Assert.Null(json["clrType"]);
    }

    [Fact]
    public void Registry_HasTheFlowchartContainerAndEveryBuiltInUnderElsaNames()
    {
        var registry = Registry();

        var flowchart = registry.Find("Elsa.Flowchart")!;
        Assert.True(flowchart.IsContainer);
        Assert.Equal("Flowchart", flowchart.CustomProperties["RootType"]);
        foreach (var name in new[] { "Elsa.Start", "Elsa.End", "Elsa.SetVariable", "Elsa.FlowDecision", "Elsa.FlowSwitch", "Elsa.FlowFork", "Elsa.FlowJoin", "Elsa.ForEach", "Elsa.Delay", "Elsa.StartAt", "Elsa.Timer", "Elsa.Cron", "Elsa.Event", "Elsa.WriteLine", "Elsa.Fault", "Elsa.Finish", "Elsa.Complete", "MentorFlow.WaitForSignal" })
        {
            Assert.NotNull(registry.Find(name));
        }

        Assert.True(registry.Find("Elsa.Start")!.IsStart);
        Assert.True(registry.Find("Elsa.End")!.IsTerminal);
        Assert.Equal(["True", "False"], registry.Find("Elsa.FlowDecision")!.Ports.Select(p => p.Name));
        Assert.Null(registry.Find("Elsa.WriteLine", 2));
    }

    [Fact]
    public void DynamicOutcomes_ComeFromTheNodesInputs()
    {
        var registry = Registry();
        var fork = new JsonObject { ["branches"] = Flow.Expr("Object", "[\"a\",\"b\"]", "String[]") };
        var switchNode = new JsonObject { ["cases"] = new JsonArray(new JsonObject { ["label"] = "Yes" }) };

        Assert.Equal(["a", "b"], registry.GetOutcomes(registry.Find("Elsa.FlowFork")!, fork));
        Assert.Equal(["Yes", "Default"], registry.GetOutcomes(registry.Find("Elsa.FlowSwitch")!, switchNode));
        Assert.Equal(["*"], registry.GetOutcomes(registry.Find("Elsa.FlowFork")!, new JsonObject { ["branches"] = Flow.Expr("JavaScript", "['x']", "String[]") }));
    }

    [Fact]
    public void Registry_RefusesAClassWithoutTheActivityAttribute()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Registry(typeof(NotAnnotated)));
        Assert.Contains("[Activity]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddActivity_FromAnotherModule_IsInTheRegistryAndRuns()
    {
        await using var database = await TestDatabase.SqliteAsync();
        await using var host = await EngineHost.StartAsync(database, services: s => s.AddActivity<Everything>());

        Assert.NotNull(host.Registry.Find("Test.Everything"));
        var id = await host.PublishAsync(Flow.Create().Add("e", "Test.Everything", ("recipient", Flow.Literal("a@b.c"))).Add("p", "Test.Probe").Connect("e", "Sent", "p").Json);
        var started = await host.Runtime.StartAsync(id);
        Assert.Equal(1, Probe.Count(started.InstanceId));
    }

    private sealed class NotAnnotated : Activity
    {
        protected override ValueTask ExecuteAsync(ActivityExecutionContext context) => ValueTask.CompletedTask;
    }
}
