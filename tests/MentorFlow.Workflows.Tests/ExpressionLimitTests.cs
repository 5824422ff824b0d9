using System.Diagnostics;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Expressions;
using MentorFlow.Workflows.Runtime;
using MentorFlow.Workflows.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace MentorFlow.Workflows.Tests;

/// <summary>
/// What one evaluation may produce and hold is bounded: a breach stops the evaluation early (before the big value is
/// allocated) and ends as an incident on the activity naming the limit and its setting, with no stack trace kept.
/// Defaults: 1 MB per expression result (<c>Workflows:ExpressionOutputLimitBytes</c>) and per variable value.
/// </summary>
public sealed class ExpressionLimitTests : EngineTestBase
{
    private const string OutputLimit = "exceeded 1 MB (Workflows:ExpressionOutputLimitBytes)";

    /// <summary>Runs the flow and returns its single incident, checking it came quickly and without a large allocation.</summary>
    private async Task<WorkflowIncident> IncidentAsync(Flow flow)
    {
        var allocated = GC.GetTotalAllocatedBytes();
        var clock = Stopwatch.StartNew();
        var details = await RunAsync(flow);
        clock.Stop();
        var grown = GC.GetTotalAllocatedBytes() - allocated;

        Assert.Equal(WorkflowSubStatus.Faulted, details.Summary.SubStatus);
        var incident = Assert.Single(details.Incidents);
        Assert.Null(incident.Exception);

        // Warm it takes milliseconds; the bound leaves room for the first JavaScript evaluation's JIT on a busy machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}: {incident.Message}");
        Assert.True(grown < 256L * 1024 * 1024, $"allocated {grown / (1024 * 1024)} MB");
        return incident;
    }

    private static Flow Write(string syntax, string expression) =>
        Flow.Create().Add("w", "Elsa.WriteLine", ("text", Flow.Expr(syntax, expression)));

    [Theory]
    [InlineData(29)]
    [InlineData(30)]
    public async Task Liquid_DoublingAStringWithAppend_EndsAsAnIncidentNamingTheLimit_BeforeTheValueGrows(int doublings)
    {
        var incident = await IncidentAsync(Write("Liquid",
            $"{{% assign s = 'x' %}}{{% for i in (1..{doublings}) %}}{{% assign s = s | append: s %}}{{% endfor %}}{{{{ s | size }}}}"));

        Assert.Contains("Activity 'w', input 'text'", incident.Message, StringComparison.Ordinal);
        Assert.Contains(OutputLimit, incident.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Liquid_CaptureDoubling_IsRefusedToo()
    {
        var incident = await IncidentAsync(Write("Liquid",
            "{% assign s = 'x' %}{% for i in (1..40) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s | size }}"));

        Assert.Contains("A value captured in Liquid " + OutputLimit, incident.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Liquid_OutputOverTheLimit_StopsAtTheLimit()
    {
        var incident = await IncidentAsync(Write("Liquid", "{% for i in (1..20000) %}" + new string('y', 100) + "{% endfor %}"));

        Assert.Contains("Liquid output " + OutputLimit, incident.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Liquid_ReplaceThatWouldMultiplyTheText_IsRefusedBeforeItRuns()
    {
        var incident = await IncidentAsync(Write("Liquid",
            "{% assign s = 'x' %}{% for i in (1..12) %}{% assign s = s | append: s %}{% endfor %}{% assign t = s | replace: 'x', s %}{{ t | size }}"));

        Assert.Contains("The result of the Liquid filter 'replace' " + OutputLimit, incident.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Liquid_LongLoop_HitsTheStepLimitNamingTheSetting()
    {
        var incident = await IncidentAsync(Write("Liquid", "{% for i in (1..1000000) %}{% endfor %}"));

        Assert.True(incident.Message.Contains("exceeded the limit of 100000 steps (Workflows:LiquidStepLimit)", StringComparison.Ordinal), incident.Message);
    }

    [Fact]
    public async Task Liquid_UnderTheLimits_StillRenders()
    {
        var details = await RunAsync(Write("Liquid", "{% assign s = 'ab' %}{% for i in (1..10) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}/{{ 'a-b' | replace: '-', '+' }}"));

        Assert.Empty(details.Incidents);
        Assert.Equal(["2048/a+b"], Messages(details));
    }

    [Theory]
    [InlineData("'x'.repeat(2e7)", "repeat()")]
    [InlineData("'x'.repeat(5e8)", "repeat()")]
    [InlineData("'x'.padStart(1e9, 'y')", "padStart()")]
    [InlineData("'x'.padEnd(3e6)", "padEnd()")]
    [InlineData("new Array(600000).join('abc')", "join()")]
    [InlineData("'ab'.repeat(2000).replaceAll('a', 'x'.repeat(1000))", "replaceAll()")]
    [InlineData("'x'.concat('y'.repeat(600000), 'z'.repeat(600000))", "concat()")]
    public async Task JavaScript_HugeStringInOneCall_IsRefusedBeforeItIsAllocated(string script, string builtIn)
    {
        var incident = await IncidentAsync(Write("JavaScript", script));

        Assert.Contains($"A string built by {builtIn} {OutputLimit}", incident.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JavaScript_RepeatAsAVariableValue_EndsAsAnIncidentNamingTheLimit()
    {
        var incident = await IncidentAsync(Flow.Create().Var("Big", "String")
            .Add("set", "Elsa.SetVariable", ("variable", new JsonObject { ["id"] = "var-Big", ["name"] = "Big" }), ("value", Flow.Expr("JavaScript", "'x'.repeat(5e8)", "Object"))));

        Assert.Contains("Activity 'set', input 'value'", incident.Message, StringComparison.Ordinal);
        Assert.Contains(OutputLimit, incident.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JavaScript_ResultOverTheLimit_BuiltAcrossStatements_IsRefused()
    {
        var incident = await IncidentAsync(Write("JavaScript", "let s = 'x'.repeat(1 << 19); s = s + s; s + s"));

        Assert.Contains("The JavaScript result " + OutputLimit, incident.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JavaScript_HugeArray_IsRefused()
    {
        var incident = await IncidentAsync(Write("JavaScript", "const a = new Array(5e8); a.length"));

        Assert.Contains("Activity 'w', input 'text'", incident.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VariableValue_OverItsLimit_FaultsTheActivityNamingTheSetting()
    {
        await using var host = await EngineHost.StartAsync(Database, Clock, o => o.VariableValueLimitBytes = 64 * 1024);
        var flow = Flow.Create().Var("Big", "String")
            .Add("set", "Elsa.SetVariable", ("variable", new JsonObject { ["id"] = "var-Big", ["name"] = "Big" }), ("value", Flow.Expr("JavaScript", "'x'.repeat(100000)", "Object")))
            .Add("script", "Elsa.WriteLine", ("text", Flow.Expr("JavaScript", "setVariable('Big', 'y'.repeat(100000)); 'done'")))
            .Chain("set", "script");
        var id = await host.PublishAsync(flow.Json);

        var started = await host.Runtime.StartAsync(id);
        var details = (await host.Runtime.GetInstanceAsync(started.InstanceId))!;

        var incident = Assert.Single(details.Incidents);
        Assert.Equal("set", incident.ActivityId);
        Assert.Contains("over the limit of 64 KB for one variable or output (Workflows:VariableValueLimitBytes)", incident.Message, StringComparison.Ordinal);
        Assert.Null(details.Variables.GetValueOrDefault("Big"));
    }

    [Fact]
    public async Task ScriptSetVariable_OverTheValueLimit_FaultsTheActivity()
    {
        await using var host = await EngineHost.StartAsync(Database, Clock, o => o.VariableValueLimitBytes = 64 * 1024);
        var id = await host.PublishAsync(Flow.Create().Var("Big", "String")
            .Add("w", "Elsa.WriteLine", ("text", Flow.Expr("JavaScript", "setVariable('Big', 'y'.repeat(100000)); 'done'"))).Json);

        var started = await host.Runtime.StartAsync(id);
        var details = (await host.Runtime.GetInstanceAsync(started.InstanceId))!;

        Assert.Contains("setVariable 'Big'", Assert.Single(details.Incidents).Message, StringComparison.Ordinal);
        Assert.Contains("(Workflows:VariableValueLimitBytes)", Assert.Single(details.Incidents).Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Fluid renders through the writer's <c>WriteAsync</c> methods; each must be done when it returns (no thread-pool
    /// work per fragment, which made every rendered mail wait for the pool) and still count toward the limit.
    /// </summary>
    [Fact]
    public async Task LiquidWriter_AsyncWrites_CompleteAtOnce_AndCountTowardTheLimit()
    {
        using var writer = new BoundedWriter(16);
        Task[] writes =
        [
            writer.WriteAsync('a'),
            writer.WriteAsync("bc"),
            writer.WriteAsync(['d', 'e', 'f'], 1, 2),
            writer.WriteAsync("gh".AsMemory()),
            writer.WriteAsync(new System.Text.StringBuilder("ij")),
            writer.FlushAsync(),
        ];

        Assert.All(writes, write => Assert.True(write.IsCompletedSuccessfully));
        Assert.Equal("abcefghij", writer.ToString());
        var error = await Assert.ThrowsAsync<ExpressionLimitException>(() => writer.WriteAsync("0123456789"));
        Assert.Contains("Liquid output exceeded 16 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(512L, 1024L * 1024, "ExpressionOutputLimitBytes")]
    [InlineData(1024L * 1024, 100L, "VariableValueLimitBytes")]
    public async Task Limits_AreValidatedOnStart_NamingTheSetting(long outputLimit, long variableLimit, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => EngineHost.StartAsync(Database, Clock, o =>
        {
            o.ExpressionOutputLimitBytes = outputLimit;
            o.VariableValueLimitBytes = variableLimit;
        }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
