using System.Text.Json.Nodes;
using MentorFlow.Workflows.Runtime;
using MentorFlow.Workflows.Tests.Infrastructure;

namespace MentorFlow.Workflows.Tests;

public sealed class ExpressionTests : EngineTestBase
{
    protected override void Configure(WorkflowEngineOptions options)
    {
        // Above the production default of 2 s: a script's first run on a cold engine, on two cores busy with other test
        // assemblies, must not fault on time. The loop tests stop on the 50,000-statement limit or set their own short
        // time limit (JavaScript_SlowLoop_HitsTheTimeLimit).
        options.ScriptTimeout = TimeSpan.FromSeconds(5);
        options.ScriptStatementLimit = 50_000;
        options.ScriptRecursionLimit = 40;
        options.ScriptMemoryLimitBytes = 4 * 1024 * 1024;
        options.VariableValueLimitBytes = 256 * 1024;
    }

    private Task<WorkflowInstanceDetails> WriteAsync(JsonObject text, Flow? flow = null, IReadOnlyDictionary<string, object?>? input = null) =>
        RunAsync((flow ?? Flow.Create()).Add("w", "Elsa.WriteLine", ("text", text)), input);

    private async Task<string> FaultMessageAsync(JsonObject text, Flow? flow = null)
    {
        var details = await WriteAsync(text, flow);
        Assert.Equal(WorkflowSubStatus.Faulted, details.Summary.SubStatus);
        var message = Assert.Single(details.Incidents).Message;
        Assert.Contains("Activity 'w', input 'text'", message, StringComparison.Ordinal);
        return message;
    }

    [Fact]
    public async Task Literal_IsUsedAsIs()
    {
        Assert.Equal(["{{ not liquid }}"], Messages(await WriteAsync(Flow.Literal("{{ not liquid }}"))));
    }

    [Fact]
    public async Task Variable_ReadsByNameOrById()
    {
        var flow = Flow.Create().Var("Greeting", "String", "hi");
        Assert.Equal(["hi"], Messages(await WriteAsync(Flow.Expr("Variable", "Greeting"), flow)));
        Assert.Equal(["hi"], Messages(await WriteAsync(Flow.Expr("Variable", "var-Greeting"), Flow.Create().Var("Greeting", "String", "hi"))));
    }

    [Fact]
    public async Task Object_ParsesJson()
    {
        var details = await RunAsync(Flow.Create().Var("Data")
            .Add("set", "Elsa.SetVariable", ("variable", new JsonObject { ["id"] = "var-Data", ["name"] = "Data" }), ("value", Flow.Expr("Object", """{"a":[1,2]}""", "Object"))));

        Assert.Equal(2, details.Variables["Data"]!["a"]![1]!.GetValue<int>());
    }

    [Fact]
    public async Task Liquid_SeesVariablesInputAndActivityOutputs()
    {
        var flow = Flow.Create().Var("Pair", "Object", """{"Mentee":{"Name":"Lin"}}""")
            .Add("e", "Elsa.Event", ("eventName", Flow.Literal("Go")))
            .Add("w", "Elsa.WriteLine", ("text", Flow.Expr("Liquid", "{{ Pair.Mentee.Name }}/{{ Variables.Pair.Mentee.Name }}/{{ Input.Programme }}/{{ Activities.e.Result.when }}/{{ Workflow.CorrelationId }}")))
            .Chain("e", "w");
        var id = await Host.PublishAsync(flow.Json);
        var started = await Host.Runtime.StartAsync(id, new Dictionary<string, object?> { ["Programme"] = "Spring" }, "c-1");
        await Host.Runtime.SignalAsync("Go", "c-1", new { when = "Monday" });

        var details = await Host.Runtime.GetInstanceAsync(started.InstanceId);
        Assert.Equal(["Lin/Lin/Spring/Monday/c-1"], Messages(details!));
    }

    [Fact]
    public async Task Liquid_FiltersWork_AndLocalsNeedNoDeclaration()
    {
        Assert.Equal(["MENTOR:3:x-y"], Messages(await WriteAsync(Flow.Expr("Liquid",
            "{{ 'mentor' | upcase }}:{{ 'a,b,c' | split: ',' | size }}:{% assign parts = 'x,y' | split: ',' %}{% for p in parts %}{{ p }}{% unless forloop.last %}-{% endunless %}{% endfor %}"))));
    }

    [Fact]
    public async Task Liquid_ReadingAnUndeclaredName_IsRefusedOnPublish_AndRendersEmptyInADraftRun()
    {
        var saved = await Host.Definitions.SaveDraftAsync(Flow.Create()
            .Add("w", "Elsa.WriteLine", ("text", Flow.Expr("Liquid", "Hello {{ Mentee.Name }}!"))).Model);

        var error = Assert.Single(saved.Errors);
        Assert.Equal(("w", "text"), (error.ActivityId, error.Input));
        Assert.Contains("reads 'Mentee', which is not a declared variable", error.Message, StringComparison.Ordinal);
        Assert.False((await Host.Definitions.PublishAsync(saved.Definition.DefinitionId)).Succeeded);

        var run = await Host.Runtime.StartVersionAsync(saved.Definition.Id);
        Assert.Equal(["Hello !"], Messages((await Host.Runtime.GetInstanceAsync(run.InstanceId))!));
    }

    [Fact]
    public async Task Liquid_ThatDoesNotParseAtRunTime_FaultsNamingActivityAndInput()
    {
        // A draft with a broken template can still be test-run; the run faults with a clear message.
        var saved = await Host.Definitions.SaveDraftAsync(Flow.Create().Add("w", "Elsa.WriteLine", ("text", Flow.Expr("Liquid", "{% if %}"))).Model);
        var started = await Host.Runtime.StartVersionAsync(saved.Definition.Id);

        var details = await Host.Runtime.GetInstanceAsync(started.InstanceId);
        var message = Assert.Single(details!.Incidents).Message;
        Assert.Contains("Activity 'w', input 'text': Liquid template does not compile", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JavaScript_SeesVariablesInputOutputsAndCanSetVariables()
    {
        var flow = Flow.Create().Var("Count", "Int32", "2")
            .Add("e", "Elsa.Event", ("eventName", Flow.Literal("Go")))
            .Add("w", "Elsa.WriteLine", ("text", Flow.Expr("JavaScript",
                "setVariable('Count', Count + variables.Count); `${getVariable('Count')}|${input.Name}|${getInput('Name')}|${getOutputFrom('e', 'Result').n}|${correlationId}|${typeof workflowInstanceId}`")))
            .Chain("e", "w");
        var id = await Host.PublishAsync(flow.Json);
        var started = await Host.Runtime.StartAsync(id, new Dictionary<string, object?> { ["Name"] = "Kim" }, "c-2");
        await Host.Runtime.SignalAsync("Go", "c-2", new { n = 7 });

        var details = await Host.Runtime.GetInstanceAsync(started.InstanceId);
        Assert.Equal(["4|Kim|Kim|7|c-2|string"], Messages(details!));
        Assert.Equal(4, details!.Variables["Count"]!.GetValue<long>());
    }

    [Fact]
    public async Task JavaScript_WrittenForElsa_UsesItsVariableAccessorsCommonFunctionsAndTopLevelReturn()
    {
        var flow = Flow.Create().Var("Counter", "Int32", "2").Var("first_name", "String", "Ada")
            .Add("e", "Elsa.Event", ("eventName", Flow.Literal("Go")))
            .Add("w", "Elsa.WriteLine", ("text", Flow.Expr("JavaScript", """
                setCounter(getCounter() + 5);
                if (isNullOrWhiteSpace(getFirstName())) { return 'no name'; }
                const order = getOrderId();
                return [getCounter(), getFirstName(), order, getResultFromE().n, getCorrelationId(), getWorkflowInstanceId() === workflowInstanceId,
                        getWorkflowDefinitionId().length > 0, toJson({ a: [1] }), isNullOrEmpty(''), isNullOrEmpty('x')].join('|');
                """)))
            .Chain("e", "w");
        var model = flow.Model;
        model["inputs"] = new JsonArray(new JsonObject { ["name"] = "orderId", ["type"] = "String" });
        var id = await Host.PublishAsync(model.ToJsonString());
        var started = await Host.Runtime.StartAsync(id, new Dictionary<string, object?> { ["orderId"] = "A-7" }, "c-9");
        await Host.Runtime.SignalAsync("Go", "c-9", new { n = 3 });

        var details = await Host.Runtime.GetInstanceAsync(started.InstanceId);
        Assert.Equal(WorkflowSubStatus.Finished, details!.Summary.SubStatus);
        Assert.Equal(["""7|Ada|A-7|3|c-9|true|true|{"a":[1]}|true|false"""], Messages(details));
        Assert.Equal(7, details.Variables["Counter"]!.GetValue<long>());
    }

    [Fact]
    public async Task JavaScript_ReturnAtTopLevelInACondition_IsItsValue()
    {
        var details = await RunAsync(Flow.Create().Var("Flag", "Boolean", "false")
            .Add("d", "Elsa.FlowDecision", ("condition", Flow.Expr("JavaScript", "if (getFlag()) { return true; } return false;", "Boolean")))
            .Add("yes", "Elsa.WriteLine", ("text", Flow.Literal("yes")))
            .Add("no", "Elsa.WriteLine", ("text", Flow.Literal("no")))
            .Connect("d", "True", "yes").Connect("d", "False", "no"));

        Assert.Equal(["no"], Messages(details));
    }

    [Fact]
    public async Task JavaScript_SetterOfAnElsaAccessor_KeepsTheVariableValueLimit()
    {
        var flow = Flow.Create().Var("Blob", "String", "")
            .Add("w", "Elsa.WriteLine", ("text", Flow.Expr("JavaScript", "setBlob('x'.repeat(300 * 1024)); return 'set';")));

        var details = await RunAsync(flow);

        Assert.Equal(WorkflowSubStatus.Faulted, details.Summary.SubStatus);
        Assert.Contains("setVariable 'Blob'", Assert.Single(details.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JavaScript_ResultIsConvertedToTheInputType()
    {
        var details = await RunAsync(Flow.Create()
            .Add("d", "Elsa.Delay", ("timeSpan", Flow.Expr("JavaScript", "'00:' + (10 + 5) + ':00'", "TimeSpan")))
            .Add("w", "Elsa.WriteLine", ("text", Flow.Expr("JavaScript", "({ a: 1, b: [true] })")))
            .Chain("d", "w"));

        Assert.Equal(Clock.GetUtcNow().AddMinutes(15), Assert.Single(details.Bookmarks).DueAt);
    }

    [Fact]
    public async Task JavaScript_ObjectResultBecomesJsonText()
    {
        Assert.Equal(["""{"a":1,"b":[true]}"""], Messages(await WriteAsync(Flow.Expr("JavaScript", "({ a: 1, b: [true] })"))));
    }

    [Fact]
    public async Task JavaScript_InfiniteLoop_HitsTheTimeOrStatementLimit()
    {
        var message = await FaultMessageAsync(Flow.Expr("JavaScript", "while (true) { }"));
        Assert.True(message.Contains("time limit", StringComparison.Ordinal) || message.Contains("statements", StringComparison.Ordinal), message);
    }

    [Fact]
    public async Task JavaScript_SlowLoop_HitsTheTimeLimit()
    {
        // Few statements, much time: a huge string repeat in a loop under the statement limit.
        await using var host = await EngineHost.StartAsync(Database, Clock, o =>
        {
            o.ScriptTimeout = TimeSpan.FromMilliseconds(200);
            o.ScriptStatementLimit = int.MaxValue;
            o.ScriptMemoryLimitBytes = 1024L * 1024 * 1024;
        });
        var id = await host.PublishAsync(Flow.Create().Add("w", "Elsa.WriteLine", ("text", Flow.Expr("JavaScript", "let x = 0; for (;;) { x++; }"))).Json);
        var started = await host.Runtime.StartAsync(id);
        var details = await host.Runtime.GetInstanceAsync(started.InstanceId);
        Assert.Contains("exceeded the time limit of 0.2 s", Assert.Single(details!.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JavaScript_StatementCount_IsLimited()
    {
        await using var host = await EngineHost.StartAsync(Database, Clock, o =>
        {
            o.ScriptTimeout = TimeSpan.FromSeconds(30);
            o.ScriptStatementLimit = 1_000;
        });
        var id = await host.PublishAsync(Flow.Create().Add("w", "Elsa.WriteLine", ("text", Flow.Expr("JavaScript", "let x = 0; for (let i = 0; i < 100000; i++) { x++; } x"))).Json);
        var started = await host.Runtime.StartAsync(id);
        var details = await host.Runtime.GetInstanceAsync(started.InstanceId);
        Assert.Contains("exceeded the limit of 1000 statements", Assert.Single(details!.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JavaScript_RecursionDepth_IsLimited()
    {
        var message = await FaultMessageAsync(Flow.Expr("JavaScript", "function f(n) { return f(n + 1); } f(0)"));
        Assert.Contains("recursion depth limit of 40", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JavaScript_Memory_IsLimited()
    {
        // The time and statement limits are lifted so that only the memory limit can stop the script, however slow the machine.
        await using var host = await EngineHost.StartAsync(Database, Clock, o =>
        {
            o.ScriptTimeout = TimeSpan.FromMinutes(1);
            o.ScriptStatementLimit = int.MaxValue;
        });
        var id = await host.PublishAsync(Flow.Create().Add("w", "Elsa.WriteLine", ("text", Flow.Expr("JavaScript", "const a = []; for (let i = 0; i < 40000; i++) { a.push('x'.repeat(1000) + i); } a.length"))).Json);
        var started = await host.Runtime.StartAsync(id);
        var details = await host.Runtime.GetInstanceAsync(started.InstanceId);
        Assert.Contains("exceeded the memory limit", Assert.Single(details!.Incidents).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("System.IO.File.ReadAllText('/etc/passwd')")]
    [InlineData("importNamespace('System.IO')")]
    [InlineData("clr.System.Environment.Exit(1)")]
    [InlineData("getVariable.constructor('return this')().System.IO")]
    public async Task JavaScript_HasNoClrAccess(string script)
    {
        var message = await FaultMessageAsync(Flow.Expr("JavaScript", script));
        Assert.Contains("JavaScript", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JavaScript_ThrownError_FaultsWithItsMessage()
    {
        var message = await FaultMessageAsync(Flow.Expr("JavaScript", "throw new Error('no mentors left')"));
        Assert.Contains("no mentors left", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiteralThatCannotConvert_FaultsNamingTheInput()
    {
        var saved = await Host.Definitions.SaveDraftAsync(Flow.Create().Add("d", "Elsa.Delay", ("timeSpan", Flow.Expr("JavaScript", "'soon'", "TimeSpan"))).Model);
        var started = await Host.Runtime.StartVersionAsync(saved.Definition.Id);

        var details = await Host.Runtime.GetInstanceAsync(started.InstanceId);
        Assert.Contains("Activity 'd', input 'timeSpan': cannot convert", Assert.Single(details!.Incidents).Message, StringComparison.Ordinal);
    }
}
